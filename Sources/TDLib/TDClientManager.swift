import CoreMetrics
import Foundation
import Logging
import Synchronization
import Tracing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs every TDLib client of one library on a single receive thread.
///
/// The manager owns the only thread that calls `td_receive` for its library, routes each object by
/// `@client_id`, and matches answers to requests by a unique `@extra`. It never decodes whole objects
/// and never waits on a consumer, so one slow client cannot delay the others.
///
/// Call ``shutdown(timeout:)`` before the process exits: TDLib can abort a process that exits while
/// clients are still open.
public final class TDClientManager: Sendable {
    /// The library this manager drives.
    public let library: any TDJSONInterface
    let logger: Logger
    /// Where each new client's metrics go; `nil` takes `MetricsSystem.factory` when the client is created.
    let metricsFactory: (any MetricsFactory)?
    /// How long ``run()`` waits for each client to close at shutdown.
    let closeTimeout: Duration
    let state = Locked(State())
    let stopRequested = Atomic<Bool>(false)
    private let lastExtra = Atomic<UInt64>(0)
    /// Every timeout of this manager's requests and closes (and of `Telegram`'s waits on top of it).
    package let deadlines = DeadlineTimer(name: "tdlib-deadlines")
    static let claimedLibraries = Locked<Set<String>>([])
    static let sharedManagers = Locked<[String: TDClientManager]>([:])

    struct PendingRequest {
        let clientID: Int32
        let continuation: UnsafeContinuation<TDJSONObject, any Error>
        /// The request's timeout, cancelled when the request ends otherwise.
        let deadline: DeadlineTimer.Token?
        /// The client's metrics, `nil` when none are recorded.
        let metrics: TDClientMetrics?
        /// When the request started, for its latency; 0 without metrics.
        let startedAt: UInt64
        /// The request's span, `nil` without a tracer.
        let span: (any Span)?

        func end(_ outcome: TDRequestOutcome, error: (any Error)?) {
            metrics?.requestEnded(outcome, startedAt: startedAt)
            if let span { TDClientTracing.end(span, outcome, error: error) }
        }
    }

    struct ClientState {
        let updates: AsyncStream<TDJSONObject>.Continuation
        let reportsDroppedUpdates: Bool
        let metrics: TDClientMetrics?
        var closeWaiters: [UInt64: (continuation: UnsafeContinuation<Void, any Error>, deadline: DeadlineTimer.Token)] =
            [:]
        var droppedUpdates = 0
        /// How many updates were handed to ``updates`` so far, counted before each is yielded.
        var routedUpdates = 0
    }

    enum LoopState {
        case notStarted
        case running
        case stopped
    }

    struct State {
        var clients: [Int32: ClientState] = [:]
        var pending: [UInt64: PendingRequest] = [:]
        var loop = LoopState.notStarted
        var isShutDown = false
        var loopExitWaiters: [UnsafeContinuation<Void, Never>] = []
        /// Set once ``shutdown(timeout:)`` has closed every client and stopped the receive thread.
        var isShutDownFully = false
        /// ``run()`` calls waiting for the shutdown, by an identifier from ``makeExtra()``.
        var shutdownWaiters: [UInt64: UnsafeContinuation<Void, Never>] = [:]
    }

    /// Creates the manager of `library` and routes TDLib's own log to `logger`.
    ///
    /// - Parameters:
    ///   - library: the loaded TDLib (see ``TDLibrary/load(path:environment:logger:)``) or another backend.
    ///   - logger: where the manager and TDLib's own log write.
    ///   - tdlibLogVerbosity: TDLib's log level: 0 fatal, 1 errors, 2 warnings, 3 info, 4 debug, 5 verbose.
    ///   - metricsFactory: where the clients' metrics go (see <doc:Metrics>); `nil` takes swift-metrics'
    ///     `MetricsSystem.factory` as each client is created, which records nothing until a backend is bootstrapped.
    ///   - closeTimeout: how long ``run()`` waits for each client to close once the service stops.
    /// - Throws: ``TDClientError`` with code `libraryInUse` when another manager drives the same library.
    public init(
        library: any TDJSONInterface,
        logger: Logger = Logger(label: "swift-telegram.tdlib"),
        tdlibLogVerbosity: Int = 1,
        metricsFactory: (any MetricsFactory)? = nil,
        closeTimeout: Duration = .seconds(30)
    ) throws(TDClientError) {
        let claimed = Self.claimedLibraries.withLock { $0.insert(library.name).inserted }
        guard claimed else {
            throw TDClientError(
                .libraryInUse,
                "\(library.name) already has a TDClientManager; use one manager per library in a process")
        }
        self.library = library
        self.logger = logger
        self.metricsFactory = metricsFactory
        self.closeTimeout = closeTimeout
        setTDLibLogVerbosity(tdlibLogVerbosity)
    }

    deinit {
        deadlines.stop()
    }

    /// The process's one manager of `library`, created on first use and kept until it shuts down.
    ///
    /// Use it wherever several parts of a program (or several accounts) share one TDLib. The logger and
    /// verbosity apply only when this call creates the manager.
    public static func shared(
        for library: any TDJSONInterface,
        logger: Logger = Logger(label: "swift-telegram.tdlib"),
        tdlibLogVerbosity: Int = 1
    ) throws(TDClientError) -> TDClientManager {
        let result: Result<TDClientManager, TDClientError> = sharedManagers.withLock { managers in
            if let existing = managers[library.name] { return .success(existing) }
            do {
                let manager = try TDClientManager(
                    library: library, logger: logger, tdlibLogVerbosity: tdlibLogVerbosity)
                managers[library.name] = manager
                return .success(manager)
            } catch let error as TDClientError {
                return .failure(error)
            } catch {
                return .failure(TDClientError(.libraryInUse, "\(error)", underlying: error))
            }
        }
        return try result.get()
    }

    /// Sets TDLib's own log level, and sends its messages up to that level to the manager's logger: its
    /// fatal errors, errors and warnings at `critical`, `error` and `warning`; its info level, which carries
    /// requests and updates whole, at `debug`; more verbose levels at `trace`.
    public func setTDLibLogVerbosity(_ level: Int) {
        let level = Int32(clamping: max(0, level))
        TDLibLogBridge.install(logger: logger)
        _ = try? execute(json: Array(#"{"@type":"setLogStream","log_stream":{"@type":"logStreamEmpty"}}"#.utf8))
        _ = try? execute(json: Array(#"{"@type":"setLogVerbosityLevel","new_verbosity_level":\#(level)}"#.utf8))
        library.setLogMessageCallback(maxVerbosity: level, callback: TDLibLogBridge.callback)
    }

    // MARK: Clients

    /// Creates a TDLib client.
    ///
    /// TDLib creates the client when it gets its first request, usually `setTdlibParameters` or
    /// `getOption`. Its updates wait in ``TDClient/updates`` from the start, so none is missed.
    /// - Parameters:
    ///   - updateBuffering: what to do when updates come faster than they are read.
    ///   - metricsLabel: the value of the `client` dimension of its metrics and attribute of its spans (see
    ///     <doc:Metrics>); `nil` takes TDLib's client identifier. Never put a phone number, a token or another
    ///     secret here.
    /// - Throws: ``TDClientError`` with code `clientClosed` after ``shutdown(timeout:)``.
    public func createClient(
        updateBuffering: TDUpdateBuffering = .default, metricsLabel: String? = nil
    ) throws(TDClientError) -> TDClient {
        let (stream, continuation) = AsyncStream<TDJSONObject>.makeStream(
            bufferingPolicy: updateBuffering.streamPolicy)
        let factory = metricsFactory ?? MetricsSystem.factory
        let startLoop: Bool
        let clientID: Int32
        do {
            (clientID, startLoop) = try state.withLock { state throws(TDClientError) in
                guard !state.isShutDown else {
                    throw TDClientError(.clientClosed, "the client manager is shut down")
                }
                let id = library.createClientID()
                state.clients[id] = ClientState(
                    updates: continuation, reportsDroppedUpdates: updateBuffering != .discard,
                    metrics: TDClientMetrics.make(factory: factory, client: metricsLabel ?? String(id)))
                guard case .notStarted = state.loop else { return (id, false) }
                state.loop = .running
                return (id, true)
            }
        }
        if startLoop { startReceiveLoop() }
        logger.debug("Created TDLib client", metadata: ["client": "\(clientID)"])
        let tracing = TDClientTracing.make(client: metricsLabel ?? String(clientID))
        return TDClient(id: clientID, manager: self, updates: TDUpdateStream(stream), tracing: tracing)
    }

    /// The identifiers of the clients that are not closed yet.
    public var openClientIDs: [Int32] {
        state.withLock { Array($0.clients.keys) }
    }

    func isOpen(clientID: Int32) -> Bool {
        state.withLock { $0.clients[clientID] != nil }
    }

    /// How many requests of all clients wait for TDLib's answer now.
    public var pendingRequestCount: Int {
        state.withLock { $0.pending.count }
    }

    /// How many updates of the client the receive thread has put in its stream so far.
    ///
    /// Read right after an answer, it counts at least every update TDLib sent before that answer: the
    /// receive thread routes objects in TDLib's order, and counts each update before it yields it.
    func routedUpdateCount(clientID: Int32) -> Int {
        state.withLock { $0.clients[clientID]?.routedUpdates ?? 0 }
    }

    func pendingRequestCount(clientID: Int32) -> Int {
        state.withLock { state in state.pending.values.reduce(0) { $0 + ($1.clientID == clientID ? 1 : 0) } }
    }

    // MARK: Requests

    /// Checks a request given as raw JSON and sends it: one object with a `@type`, no `@extra`.
    func send(clientID: Int32, json: [UInt8], timeout: Duration?, tracing: TDClientTracing?) async throws
        -> TDJSONObject
    {
        let envelope = json.withUnsafeBufferPointer(JSONScanner.requestEnvelope(of:))
        guard let envelope else {
            throw TDClientError(
                .invalidRequest,
                "the request is not one valid JSON object (UTF-8 text, nested at most \(JSONScanner.maximumRequestDepth) deep)"
            )
        }
        guard envelope.type != nil else {
            throw TDClientError(.invalidRequest, "the request has no \"@type\" string")
        }
        guard !envelope.hasExtra else {
            throw TDClientError(.invalidRequest, "the request sets \"@extra\", which the client manager owns")
        }
        return try await send(clientID: clientID, trustedJSON: json, timeout: timeout, tracing: tracing)
    }

    /// Sends a request that is known to be one JSON object without `@extra`, and waits for its answer.
    package func send(
        clientID: Int32, trustedJSON json: [UInt8], timeout: Duration?, tracing: TDClientTracing? = nil
    ) async throws -> TDJSONObject {
        let extra = makeExtra()
        let request = Self.request(json, extra: extra)
        let span = tracing?.startSpan(for: json)
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<TDJSONObject, any Error>) in
                let refusal: TDClientError? = state.withLock { state in
                    guard let client = state.clients[clientID] else {
                        return TDClientError(.clientClosed, "client \(clientID) is closed")
                    }
                    guard !Task.isCancelled else {
                        return TDClientError(.cancelled, "the request was cancelled before it was sent")
                    }
                    // Scheduled once the request is registered, so that even a deadline that is already due
                    // finds it (its action waits for this lock).
                    let deadline = timeout.map { timeout in
                        deadlines.schedule(after: timeout) { [weak self] in
                            self?.failRequest(
                                extra: extra, with: TDClientError(.timedOut, "no answer within \(timeout)"),
                                outcome: .timedOut)
                        }
                    }
                    // Under the lock, so that the request is counted in flight before anything can end it.
                    let startedAt = client.metrics?.requestStarted() ?? 0
                    state.pending[extra] = PendingRequest(
                        clientID: clientID, continuation: continuation, deadline: deadline, metrics: client.metrics,
                        startedAt: startedAt, span: span)
                    return nil
                }
                if let refusal {
                    if let span {
                        TDClientTracing.end(span, refusal.code == .cancelled ? .cancelled : .closed, error: refusal)
                    }
                    continuation.resume(throwing: refusal)
                    return
                }
                request.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { characters in
                        // `request` always ends with a NUL, so the base address exists.
                        if let base = characters.baseAddress { library.send(clientID: clientID, request: base) }
                    }
                }
            }
        } onCancel: {
            failRequest(
                extra: extra, with: TDClientError(.cancelled, "the waiting task was cancelled"), outcome: .cancelled)
        }
    }

    /// A number no other request of this manager has had, for `@extra`.
    func makeExtra() -> UInt64 {
        lastExtra.wrappingAdd(1, ordering: .relaxed).newValue
    }

    func failRequest(extra: UInt64, with error: TDClientError, outcome: TDRequestOutcome) {
        guard let pending = state.withLock({ $0.pending.removeValue(forKey: extra) }) else { return }
        if let deadline = pending.deadline { deadlines.cancel(deadline) }
        pending.end(outcome, error: error)
        pending.continuation.resume(throwing: error)
    }

    /// The request with `"@extra":N` as its first key, NUL-terminated for C.
    static func request(_ json: [UInt8], extra: UInt64) -> [UInt8] {
        var request: [UInt8] = []
        request.reserveCapacity(json.count + 32)
        var position = 0
        while position < json.count, json[position] != UInt8(ascii: "{") { position += 1 }
        position += 1
        request.append(contentsOf: #"{"@extra":"#.utf8)
        request.append(contentsOf: String(extra).utf8)
        var next = position
        while next < json.count, json[next] == 0x20 || json[next] == 0x0A || json[next] == 0x0D || json[next] == 0x09 {
            next += 1
        }
        if next < json.count, json[next] != UInt8(ascii: "}") { request.append(UInt8(ascii: ",")) }
        if position < json.count { request.append(contentsOf: json[position...]) }
        request.append(0)
        return request
    }

    /// Runs a synchronous TDLib method with `td_execute`, on the caller's thread.
    ///
    /// Only methods that TDLib documents as "can be called synchronously" work here, for example
    /// `parseTextEntities`, `getTextEntities` or `setLogVerbosityLevel`.
    /// - Throws: ``TDLibError`` for TDLib's errors; ``TDClientError`` for a request that is not JSON.
    public func execute(json: [UInt8]) throws -> TDJSONObject {
        guard json.withUnsafeBufferPointer(JSONScanner.requestEnvelope(of:))?.type != nil else {
            throw TDClientError(
                .invalidRequest, "the request is not one JSON object (UTF-8 text) with a \"@type\"")
        }
        return try execute(trustedJSON: json)
    }

    /// Runs a synchronous request known to be one JSON object.
    package func execute(trustedJSON json: [UInt8]) throws -> TDJSONObject {
        var request = json
        request.append(0)
        let answer: [UInt8]? = request.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                guard let base = characters.baseAddress, let result = library.execute(request: base) else {
                    return nil
                }
                return Self.copy(result)
            }
        }
        guard let answer else {
            throw TDClientError(.undecodable, "td_execute returned nothing")
        }
        let object = try TDJSONObject(bytes: answer)
        if let error = object.tdlibError { throw error }
        return object
    }

    /// Sends a JSON request string; see ``execute(json:)-([UInt8])``.
    public func execute(json: String) throws -> TDJSONObject {
        try execute(json: Array(json.utf8))
    }

    static func copy(_ pointer: UnsafePointer<CChar>) -> [UInt8] {
        let count = strlen(pointer)
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }
}
