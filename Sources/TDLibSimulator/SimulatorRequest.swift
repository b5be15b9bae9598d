import Foundation
import TDLib
import TDLibAPI

/// The objects one request or event produces for one client, in order.
struct Outbox {
    let clientID: Int32
    /// The request's `@extra`, as raw JSON.
    var extra: [UInt8]?
    var items: [[UInt8]] = []
    /// Whether the last item is the client's `authorizationStateClosed`.
    var closesClient = false
    /// `false` for the answers of `td_execute`, which belong to no client.
    var addsClientID = true

    init(clientID: Int32) {
        self.clientID = clientID
    }

    mutating func answer(_ object: some TDEncodable) {
        items.append(finish(object.jsonBytes(), extra: extra))
        closesClient = false
    }

    mutating func error(_ code: Int, _ message: String) {
        answer(TDErrorObject(code: Int32(clamping: code), message: message))
    }

    /// A request TDLib could not read: a ``SimulatedError`` carries TDLib's whole message already.
    mutating func parseError(_ error: any Error) {
        if let error = error as? SimulatedError {
            self.error(error.code, error.message)
        } else {
            self.error(400, "Failed to parse JSON object as TDLib request: \(error)")
        }
    }

    mutating func update(_ update: Update) {
        items.append(finish(update.jsonBytes(), extra: nil))
        closesClient = false
    }

    mutating func setState(_ step: AuthorizationStep, session: inout ClientSession) {
        session.auth = step
        update(.authorizationState(UpdateAuthorizationState(authorizationState: session.authorizationState)))
        closesClient = step == .closed
    }

    /// Adds `@extra` and `@client_id` before the object's closing brace.
    private func finish(_ json: [UInt8], extra: [UInt8]?) -> [UInt8] {
        var bytes = json
        guard bytes.last == UInt8(ascii: "}") else { return bytes }
        bytes.removeLast()
        let isEmpty = bytes.count <= 1
        if let extra {
            bytes.append(contentsOf: (isEmpty ? "" : ",").utf8)
            bytes.append(contentsOf: #""@extra":"#.utf8)
            bytes.append(contentsOf: extra)
        }
        guard addsClientID else {
            bytes.append(UInt8(ascii: "}"))
            return bytes
        }
        bytes.append(contentsOf: ((isEmpty && extra == nil) ? "" : ",").utf8)
        bytes.append(contentsOf: #""@client_id":\#(clientID)}"#.utf8)
        return bytes
    }
}

/// A request as it came: its `@type`, its raw `@extra`, and its bytes for typed decoding.
struct Request {
    let type: String
    let extra: [UInt8]?
    let bytes: [UInt8]
    private let fields: [String: Any]

    init(_ bytes: [UInt8]) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw SimulatedError(code: 400, message: "Failed to parse JSON object as TDLib request: not an object")
        }
        switch object["@type"] {
        case let name as String:
            self.type = name
        case let number as NSNumber:
            // TDLib takes a function's TL constructor number in place of its name, read as 32 bits.
            let constructor = Int32(truncatingIfNeeded: number.int64Value)
            guard let name = TDRegistry.functionType(constructor: constructor) else {
                let hex = String(UInt32(bitPattern: constructor), radix: 16)
                throw SimulatedError(
                    code: 400,
                    message: "Failed to parse JSON object as TDLib request: Unknown constructor 0x"
                        + String(repeating: "0", count: 8 - hex.count) + hex)
            }
            self.type = name.description
        default:
            throw SimulatedError(
                code: 400, message: "Failed to parse JSON object as TDLib request: Can't find field \"@type\"")
        }
        self.bytes = bytes
        self.fields = object
        if let extra = object["@extra"] {
            self.extra = (try? JSONSerialization.data(withJSONObject: extra, options: [.fragmentsAllowed]))
                .map(Array.init)
        } else {
            self.extra = nil
        }
    }

    func string(_ key: String) -> String? { fields[key] as? String }

    /// A field as Foundation read it, for the methods that walk a JSON value of any shape.
    func rawValue(_ key: String) -> Any? { fields[key] }

    /// Whether the request gives `key` a value other than `null`.
    func has(_ key: String) -> Bool { fields[key].map { !($0 is NSNull) } ?? false }

    /// The raw `@extra` of a request Foundation could not parse: a number or a string after the key.
    static func extra(scannedFrom bytes: [UInt8]) -> [UInt8]? {
        let key = Array(#""@extra""#.utf8)
        guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: key) }) else { return nil }
        var index = start + key.count
        func skipSpaces() { while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 } }
        skipSpaces()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        skipSpaces()
        let valueStart = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard index < bytes.count else { return nil }
            return Array(bytes[valueStart...index])
        }
        while index < bytes.count, "-+.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
        return index > valueStart ? Array(bytes[valueStart..<index]) : nil
    }

    func decode<F: TDDecodable>(_ type: F.Type) throws -> F {
        do {
            // TDLib reads a missing scalar, string or array field of a request as its default.
            return try TDMissingFields.$current.withValue(.useTDLibDefaults) { try F(json: bytes) }
        } catch let error as TDDecodingError {
            throw SimulatedError(code: 400, message: "Failed to parse JSON object as TDLib request: \(error)")
        }
    }
}
