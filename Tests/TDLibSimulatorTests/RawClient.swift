import Foundation
import Testing

@testable import TDLibSimulator

/// One client of a simulator driven through the C interface, for tests of the exact order of the
/// objects TDLib sends: with no latency the simulator queues a request's objects before `send` returns.
/// Use it on a manual clock, with the scenario's network delays at 0 or driven by `advance`.
struct RawClient {
    let simulator: TDSimulator
    let id: Int32

    init(_ simulator: TDSimulator) {
        self.simulator = simulator
        self.id = simulator.createClientID()
    }

    /// Sends a request given as JSON.
    func send(_ json: String) {
        json.withCString { simulator.send(clientID: id, request: $0) }
    }

    /// Every object queued so far, each as a dictionary, in order.
    func drain() throws -> [[String: Any]] {
        var objects: [[String: Any]] = []
        while let pointer = simulator.receive(timeout: 0) {
            let data = Data(String(cString: pointer).utf8)
            if let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] { objects.append(object) }
        }
        return objects
    }

    /// Sends a request and returns the objects it produced, its answer last.
    func call(_ json: String) throws -> [[String: Any]] {
        send(json)
        return try drain()
    }

    /// Logs in with a phone number and code, and returns the objects of the whole login.
    func logIn(phone: String = "+15550100001", code: String = "11111") throws -> [[String: Any]] {
        let directory = try SimulatedTelegram.temporaryDirectory()
        var objects = try call(
            #"{"@type":"setTdlibParameters","database_directory":"\#(directory)","api_id":94575,"api_hash":"x","system_language_code":"en","device_model":"tests","application_version":"1"}"#
        )
        objects += try call(#"{"@type":"setAuthenticationPhoneNumber","phone_number":"\#(phone)"}"#)
        objects += try call(#"{"@type":"checkAuthenticationCode","code":"\#(code)"}"#)
        return objects
    }

    /// Closes the client; on a manual clock it is closed when this returns.
    func close() throws {
        _ = try call(#"{"@type":"close"}"#)
    }
}

extension [String: Any] {
    var type: String { self["@type"] as? String ?? "" }
}
