import Foundation
import TDLibSimulator

// The C symbols of libtdjson, answered by one process-wide simulator, so that any TDLib client can
// load this library by path in place of the real one. The scenario comes from the file named by
// TDLIB_SIMULATOR_SCENARIO, or is the built-in one.

private let simulator: TDSimulator = {
    if let path = ProcessInfo.processInfo.environment[SimulatorScenario.environmentVariable], !path.isEmpty {
        do {
            return TDSimulator(scenario: try SimulatorScenario(contentsOf: path))
        } catch {
            FileHandle.standardError.write(
                Data("tdjson-simulator: cannot read the scenario \(path): \(error); using the built-in one\n".utf8))
        }
    }
    return TDSimulator()
}()

@_cdecl("td_create_client_id")
public func tdCreateClientId() -> Int32 {
    simulator.createClientID()
}

@_cdecl("td_send")
public func tdSend(_ clientID: Int32, _ request: UnsafePointer<CChar>?) {
    guard let request else { return }
    simulator.send(clientID: clientID, request: request)
}

@_cdecl("td_receive")
public func tdReceive(_ timeout: Double) -> UnsafePointer<CChar>? {
    simulator.receive(timeout: timeout)
}

@_cdecl("td_execute")
public func tdExecute(_ request: UnsafePointer<CChar>?) -> UnsafePointer<CChar>? {
    guard let request else { return nil }
    return simulator.execute(request: request)
}

/// A legacy client handle is its client identifier, which is never 0.
private func clientID(_ handle: UnsafeMutableRawPointer?) -> Int32? {
    guard let handle else { return nil }
    return Int32(truncatingIfNeeded: Int(bitPattern: handle))
}

@_cdecl("td_json_client_create")
public func tdJsonClientCreate() -> UnsafeMutableRawPointer? {
    UnsafeMutableRawPointer(bitPattern: Int(simulator.createLegacyClient()))
}

@_cdecl("td_json_client_send")
public func tdJsonClientSend(_ client: UnsafeMutableRawPointer?, _ request: UnsafePointer<CChar>?) {
    guard let id = clientID(client), let request else { return }
    simulator.send(clientID: id, request: request)
}

@_cdecl("td_json_client_receive")
public func tdJsonClientReceive(_ client: UnsafeMutableRawPointer?, _ timeout: Double) -> UnsafePointer<CChar>? {
    guard let id = clientID(client) else { return nil }
    return simulator.receiveLegacy(clientID: id, timeout: timeout)
}

@_cdecl("td_json_client_execute")
public func tdJsonClientExecute(_ client: UnsafeMutableRawPointer?, _ request: UnsafePointer<CChar>?)
    -> UnsafePointer<CChar>?
{
    guard let request else { return nil }
    return simulator.execute(request: request)
}

@_cdecl("td_json_client_destroy")
public func tdJsonClientDestroy(_ client: UnsafeMutableRawPointer?) {
    guard let id = clientID(client) else { return }
    simulator.destroyLegacy(clientID: id)
}

@_cdecl("td_set_log_verbosity_level")
public func tdSetLogVerbosityLevel(_ level: Int32) {}

@_cdecl("td_set_log_file_path")
public func tdSetLogFilePath(_ path: UnsafePointer<CChar>?) -> Int32 { 1 }

@_cdecl("td_set_log_max_file_size")
public func tdSetLogMaxFileSize(_ size: Int64) {}

@_cdecl("td_set_log_fatal_error_callback")
public func tdSetLogFatalErrorCallback(_ callback: (@convention(c) (UnsafePointer<CChar>?) -> Void)?) {}

@_cdecl("td_set_log_message_callback")
public func tdSetLogMessageCallback(
    _ maxVerbosity: Int32, _ callback: (@convention(c) (Int32, UnsafePointer<CChar>?) -> Void)?
) {}
