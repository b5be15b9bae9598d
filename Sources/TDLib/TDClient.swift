/// One TDLib client: one Telegram account's session, driven with raw JSON requests.
///
/// Create it with ``TDClientManager/createClient(updateBuffering:metricsLabel:)``. Requests may be sent from any
/// task; each waits for its own answer. Typed requests come from the `TDLibAPI` module.
public final class TDClient: Sendable {
    /// TDLib's identifier of this client (`@client_id`).
    public let id: Int32
    /// The manager that routes this client's answers and updates.
    public let manager: TDClientManager
    /// Every update TDLib sends to this client, in order, from its creation until it closes.
    ///
    /// Read it from one task only. It ends when the client closes. See ``TDUpdateBuffering``
    /// for what happens when it is read more slowly than updates arrive.
    public let updates: TDUpdateStream
    /// Where its request spans go; `nil` when no tracer was active at its creation.
    let tracing: TDClientTracing?

    init(id: Int32, manager: TDClientManager, updates: TDUpdateStream, tracing: TDClientTracing?) {
        self.id = id
        self.manager = manager
        self.updates = updates
        self.tracing = tracing
    }

    /// Sends one request, given as the UTF-8 bytes of a JSON object, and returns TDLib's answer.
    ///
    /// - Parameters:
    ///   - json: one JSON object with an `@type` and no `@extra` (the manager sets it).
    ///   - timeout: how long to wait for the answer; `nil` waits until the client closes.
    /// - Throws: ``TDLibError`` when TDLib answers with an error; ``TDClientError`` when the request
    ///   is not valid JSON, the client is closed, the timeout passes, or the task is cancelled.
    public func send(json: [UInt8], timeout: Duration? = nil) async throws -> TDJSONObject {
        try await manager.send(clientID: id, json: json, timeout: timeout, tracing: tracing)
    }

    /// Sends one request given as a JSON string; see ``send(json:timeout:)-([UInt8],_)``.
    public func send(json: String, timeout: Duration? = nil) async throws -> TDJSONObject {
        try await manager.send(clientID: id, json: Array(json.utf8), timeout: timeout, tracing: tracing)
    }

    /// Sends a request known to be one JSON object with `@type` and no `@extra`, skipping the check.
    package func send(trustedJSON json: [UInt8], timeout: Duration? = nil) async throws -> TDJSONObject {
        try await manager.send(clientID: id, trustedJSON: json, timeout: timeout, tracing: tracing)
    }

    /// How many of this client's requests wait for TDLib's answer now.
    public var pendingRequestCount: Int { manager.pendingRequestCount(clientID: id) }

    /// How many updates have entered ``updates`` so far (0 once the client is closed).
    ///
    /// Read after an answer arrives, it is at least the number of updates TDLib sent before that answer,
    /// so a reader of ``updates`` that counts what it has read knows when it has seen all of them.
    package var routedUpdateCount: Int { manager.routedUpdateCount(clientID: id) }

    /// Whether the client is still open: not yet closed by TDLib or by ``close(timeout:)``.
    public var isOpen: Bool { manager.isOpen(clientID: id) }

    /// Closes the client and waits until TDLib reports `authorizationStateClosed`, at most `timeout`.
    ///
    /// Requests still waiting fail with ``TDClientError/Code/clientClosed`` and ``updates`` ends.
    /// Closing a closed client returns at once.
    /// - Throws: ``TDClientError`` with code `timedOut` when TDLib did not close in time; the client
    ///   is given up locally all the same.
    public func close(timeout: Duration = .seconds(30)) async throws {
        try await manager.close(clientID: id, timeout: timeout)
    }
}

/// The updates of one client, as an asynchronous sequence of raw JSON objects.
public struct TDUpdateStream: AsyncSequence, Sendable {
    public typealias Element = TDJSONObject
    private let stream: AsyncStream<TDJSONObject>

    init(_ stream: AsyncStream<TDJSONObject>) {
        self.stream = stream
    }

    /// Iterates over the updates.
    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate var base: AsyncStream<TDJSONObject>.AsyncIterator

        /// The next update, or `nil` once the client is closed.
        public mutating func next() async -> TDJSONObject? {
            await base.next()
        }

        /// The next update, or `nil` once the client is closed, on the caller's isolation.
        public mutating func next(isolation actor: isolated (any Actor)?) async -> TDJSONObject? {
            await base.next(isolation: actor)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream.makeAsyncIterator())
    }
}
