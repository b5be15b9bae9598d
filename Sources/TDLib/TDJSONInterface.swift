/// TDLib's log callback as the C interface declares it: verbosity level and a NUL-terminated message.
public typealias TDLogMessageCallback = @convention(c) (Int32, UnsafePointer<CChar>?) -> Void

/// The C interface of TDLib's JSON library (`libtdjson`), or of anything that answers like it.
///
/// ``TDLibrary`` implements it over a dynamically loaded library; an in-process backend such as a
/// simulator can implement it directly. Implementations must be safe to call from any thread,
/// except ``receive(timeout:)``, which ``TDClientManager`` calls from its one receive thread only.
public protocol TDJSONInterface: Sendable {
    /// A short, human-readable name of the backend for logs (a path, or "simulator").
    var name: String { get }
    /// `td_create_client_id`: reserves the identifier of a new client.
    func createClientID() -> Int32
    /// `td_send`: queues a NUL-terminated JSON request for a client.
    func send(clientID: Int32, request: UnsafePointer<CChar>)
    /// `td_receive`: the next NUL-terminated JSON object for any client, or `nil` after `timeout` seconds.
    ///
    /// The returned bytes stay valid only until the next call.
    func receive(timeout: Double) -> UnsafePointer<CChar>?
    /// `td_execute`: runs a synchronous request and returns its NUL-terminated JSON answer.
    ///
    /// The returned bytes stay valid only until the next call on the same thread.
    func execute(request: UnsafePointer<CChar>) -> UnsafePointer<CChar>?
    /// `td_set_log_message_callback`: routes TDLib's log messages up to `maxVerbosity` to `callback`.
    func setLogMessageCallback(maxVerbosity: Int32, callback: TDLogMessageCallback?)
}
