import Foundation
import Logging
import TDLib
import TDLibAPI
import TDLibAPIClient

/// A Telegram account driven through TDLib, with python-telegram's API: a login that can block on the
/// terminal or return at each step for a web app, typed calls, raw calls, update handlers and streams.
///
/// ```swift
/// let tg = try await Telegram(configuration: configuration)
/// var state = try await tg.login(blocking: false)
/// if case .waitCode = state { state = try await tg.sendCode(code) }
/// ```
///
/// Call ``stop(closeTimeout:)`` when done (or use ``withTelegram(_:logger:_:)``): TDLib can abort a
/// process that exits with clients still open. In a server, run it as a swift-service-lifecycle `Service`
/// in the server's `ServiceGroup` (see ``run()``): graceful shutdown then closes it.
public final class Telegram: Sendable {
    /// The configuration the client was created with.
    public let configuration: TelegramConfiguration
    /// The TDLib client underneath. Not for users: its update sequence has one reader, this object, and
    /// requests go through ``send(_:timeout:)``, ``send(json:timeout:)`` and ``callMethod(_:_:timeout:)``.
    package let client: TDClient
    /// Chats, users, groups, options and the connection state, kept from TDLib's updates.
    public let store: TelegramStore
    let logger: Logger
    let messageRoutes = MessageRoutes()
    let state = Locked(State())
    private let handlerQueue: AsyncStream<(type: String, update: Update)>.Continuation

    struct State {
        var login = LoginState.waitTdlibParameters
        var version = 0
        var waiters: [UInt64: (afterVersion: Int, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var lastWaiterID: UInt64 = 0
        var loginInProgress = false
        var proxyAdded = false
        var handlers: [UpdateHandlerID: (type: String, handler: UpdateHandler)] = [:]
        var lastHandlerID = 0
        var subscribers: [Int: (types: Set<String>?, continuation: AsyncStream<Update>.Continuation)] = [:]
        var lastSubscriberID = 0
        var isStopped = false
        var updatesEnded = false
    }

    /// A function called with each update of the type it was added for.
    public typealias UpdateHandler = @Sendable (Update) async throws -> Void

    /// Creates the client: loads TDLib (or uses the configured backend), creates the TDLib client and
    /// its folders, and logs in at once when the configuration says so.
    /// - Throws: `TDClientError` when TDLib cannot be loaded, or (`versionMismatch`) is not the release the
    ///   API was generated for and ``TelegramConfiguration/tdlibVersionMismatch`` says to fail;
    ///   ``TelegramError`` for the folders or the login.
    public init(configuration: TelegramConfiguration, logger: Logger = Logger(label: "swift-telegram")) async throws {
        self.configuration = configuration
        self.logger = logger
        store = TelegramStore(changeBufferSize: configuration.updateBufferSize)
        let library = try configuration.library ?? TDLibrary.load(path: configuration.libraryPath, logger: logger)
        let manager = try TDClientManager.shared(
            for: library, logger: logger, tdlibLogVerbosity: configuration.tdlibVerbosity)
        do {
            try manager.checkTDLibVersion(onMismatch: configuration.tdlibVersionMismatch, logger: logger)
        } catch let error as TDClientError where error.code == .versionMismatch {
            throw error
        } catch {
            // A backend that cannot tell its release (a test double, say) is used as it is, unless told not to.
            guard configuration.tdlibVersionMismatch == .warn else { throw error }
            logger.warning("TDLib's version could not be read; it is not checked", metadata: ["error": "\(error)"])
        }
        try Self.createFolders(configuration.resolvedFilesDirectory)
        client = try manager.createClient(updateBuffering: .unbounded)
        TDLibLogBridge.redact(configuration.databaseEncryptionKey.text)
        TDLibLogBridge.redact(configuration.databaseEncryptionKey.bytes.base64)
        switch configuration.account {
        case .bot(let token): TDLibLogBridge.redact(token.text)
        case .phone(let phone):
            TDLibLogBridge.redact(phone)
            TDLibLogBridge.redact(phone.filter(\.isNumber))
        case .qrCode: break
        }

        let (handlerStream, handlerQueue) = AsyncStream<(type: String, update: Update)>.makeStream(
            bufferingPolicy: .bufferingNewest(configuration.updateBufferSize))
        self.handlerQueue = handlerQueue
        Task { [self] in await dispatchUpdates() }
        Task { [self] in await runHandlers(handlerStream) }
        if configuration.loginAtStart {
            do {
                _ = try await login(blocking: true)
            } catch {
                // Nobody gets this client to stop: close it here, which also ends the two tasks above.
                await stop()
                throw error
            }
        }
    }

    /// Creates a client from python-telegram's arguments; see ``TelegramConfiguration``.
    public convenience init(
        apiID: Int32, apiHash: Secret, databaseEncryptionKey: Secret, phone: String? = nil, botToken: Secret? = nil,
        filesDirectory: String? = nil, libraryPath: String? = nil, library: (any TDJSONInterface)? = nil,
        useTestDC: Bool = false, logger: Logger = Logger(label: "swift-telegram")
    ) async throws {
        var configuration = try TelegramConfiguration(
            apiID: apiID, apiHash: apiHash, databaseEncryptionKey: databaseEncryptionKey, phone: phone,
            botToken: botToken)
        configuration.filesDirectory = filesDirectory
        configuration.libraryPath = libraryPath
        configuration.library = library
        configuration.useTestDC = useTestDC
        try await self.init(configuration: configuration, logger: logger)
    }

    /// Creates the account's folder and TDLib's two inside it, readable by the owner only.
    ///
    /// One `mkdir` each where the parent exists (`FileManager` also looks at every component and sets the
    /// permissions again): with many accounts starting at once the file system is a large part of the start-up.
    private static func createFolders(_ root: String) throws(TelegramError) {
        for folder in [root, root + "/database", root + "/files"] {
            if mkdir(folder, 0o700) == 0 { continue }
            var isFolder: ObjCBool = false
            if errno == EEXIST, FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder),
                isFolder.boolValue
            {
                continue
            }
            do {
                // A missing parent, or a failure to report (a file in the way): FileManager creates the
                // parents or says why.
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw TelegramError(
                    .invalidConfiguration, "cannot create the folder \(folder): \(error.localizedDescription)",
                    underlying: error)
            }
        }
    }

    // MARK: Authorization state

    /// The authorization state, kept current from TDLib's updates (a session revoked elsewhere shows here).
    public var authorizationState: LoginState { state.withLock { $0.login } }

    /// Asks TDLib for its authorization state.
    public func getAuthorizationState() async throws -> LoginState {
        LoginState(try await client.send(GetAuthorizationState(), timeout: configuration.stepTimeout))
    }

    /// Reads every update of the TDLib client: keeps the state and the store, feeds streams and handlers.
    /// Never waits.
    private func dispatchUpdates() async {
        for await object in client.updates {
            let update: Update
            do {
                update = try Update(json: object.bytes)
            } catch {
                store.apply(nil)
                logger.warning("An update did not decode", metadata: ["type": "\(object.type)", "error": "\(error)"])
                continue
            }
            // The streams are chosen before the update changes any state: a stream made after its caller saw
            // that change (a login that returned `.ready`) starts after the update that made it.
            let type = object.type
            let (subscribers, isHandled) = state.withLock { state in
                (
                    state.subscribers.values.filter { $0.types?.contains(type) ?? true }.map(\.continuation),
                    state.handlers.values.contains { $0.type == type }
                )
            }
            store.apply(update)
            if case .authorizationState(let change) = update {
                setLoginState(LoginState(change.authorizationState))
            }
            messageRoutes.dispatch(update)
            for subscriber in subscribers { subscriber.yield(update) }
            // Only updates that a handler takes go to the handler lanes: most updates of most clients have
            // none, and each would cost the lanes' task a wake-up.
            if isHandled { handlerQueue.yield((type, update)) }
        }
        let (waiters, subscribers) = state.withLock { state in
            state.updatesEnded = true
            if state.login != .closed { state.login = .closed }
            defer {
                state.waiters = [:]
                state.subscribers = [:]
            }
            return (state.waiters.values.map(\.continuation), state.subscribers.values.map(\.continuation))
        }
        for waiter in waiters { waiter.resume(throwing: TDClientError(.clientClosed, "the TDLib client is closed")) }
        for subscriber in subscribers { subscriber.finish() }
        messageRoutes.endAll()
        store.finish()
        handlerQueue.finish()
    }

    private func setLoginState(_ login: LoginState) {
        let ready = state.withLock { state in
            state.login = login
            state.version += 1
            let version = state.version
            let ready = state.waiters.filter { $0.value.afterVersion < version }
            for id in ready.keys { state.waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
        logger.debug("Authorization state", metadata: ["state": "\(login.name)"])
        for waiter in ready { waiter.resume() }
    }

    /// Waits until the authorization state changes after `version`, at most `timeout`.
    func waitForStateChange(after version: Int, timeout: Duration) async throws {
        let id = state.withLock { state -> UInt64 in
            state.lastWaiterID += 1
            return state.lastWaiterID
        }
        // On the manager's deadline timer: a wait costs no task of its own and no wake-up until it is due.
        let deadlines = client.manager.deadlines
        var deadline: DeadlineTimer.Token?
        defer { if let deadline { deadlines.cancel(deadline) } }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let immediate: Result<Void, any Error>? = state.withLock { state in
                if state.version > version { return .success(()) }
                if state.updatesEnded { return .failure(TDClientError(.clientClosed, "the TDLib client is closed")) }
                state.waiters[id] = (version, continuation)
                // Scheduled once the waiter is registered, so that a deadline already due still finds it.
                deadline = deadlines.schedule(after: timeout) { [weak self] in
                    let waiter = self?.state.withLock { $0.waiters.removeValue(forKey: id) }
                    waiter?.continuation.resume(
                        throwing: TDClientError(
                            .timedOut, "TDLib reported no new authorization state within \(timeout)"))
                }
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    var stateVersion: Int { state.withLock { $0.version } }

    /// Waits until the authorization state is one that `accepts` takes, each change at most `timeout` apart.
    package func waitForLoginState(timeout: Duration, where accepts: (LoginState) -> Bool) async throws
        -> LoginState
    {
        while true {
            // State and version read together: a change between them would otherwise be waited for again.
            let (login, version) = state.withLock { ($0.login, $0.version) }
            if accepts(login) { return login }
            try await waitForStateChange(after: version, timeout: timeout)
        }
    }

    /// Sends one login request and waits for the state it leads to.
    func step<F: TDFunction>(_ request: F) async throws -> LoginState {
        let version = stateVersion
        _ = try await client.send(request, timeout: configuration.stepTimeout)
        try await waitForStateChange(after: version, timeout: configuration.stepTimeout)
        return authorizationState
    }

    /// The state, from TDLib's first `updateAuthorizationState` when none has come yet.
    ///
    /// A new TDLib client reports nothing until it gets a request; its first update comes before the
    /// answer to that request, so the update stream, not the answer, is the one source of the state.
    func currentState() async throws -> LoginState {
        if stateVersion > 0 { return authorizationState }
        _ = try await getAuthorizationState()
        try await waitForStateChange(after: 0, timeout: configuration.stepTimeout)
        return authorizationState
    }

    // MARK: Lifecycle

    /// Closes the TDLib session, at most `closeTimeout`: waiting requests fail, update streams end.
    /// Safe to call more than once and from an update handler.
    public func stop(closeTimeout: Duration = .seconds(10)) async {
        let first = state.withLock { state in
            defer { state.isStopped = true }
            return !state.isStopped
        }
        guard first else { return }
        do {
            try await client.close(timeout: closeTimeout)
        } catch {
            logger.warning("TDLib did not close in time; the client was given up", metadata: ["error": "\(error)"])
        }
        logger.debug("Stopped")
    }

    /// Whether ``stop(closeTimeout:)`` was called.
    public var isStopped: Bool { state.withLock { $0.isStopped } }

    /// Waits until SIGINT or SIGTERM (or until TDLib closes the session), then stops cleanly.
    public func idle() async {
        // A stream of no update types: it yields nothing and ends when the session's updates end.
        await SignalWaiter.waitForTermination(orUntilEndOf: updates(types: []))
        await stop()
    }
}

/// Runs `body` with a new client and always stops it, even when `body` throws.
public func withTelegram<Result: Sendable>(
    _ configuration: TelegramConfiguration, logger: Logger = Logger(label: "swift-telegram"),
    _ body: (Telegram) async throws -> Result
) async throws -> Result {
    let telegram = try await Telegram(configuration: configuration, logger: logger)
    do {
        let result = try await body(telegram)
        await telegram.stop()
        return result
    } catch {
        await telegram.stop()
        throw error
    }
}

extension Array where Element == UInt8 {
    fileprivate var base64: String { Data(self).base64EncodedString() }
}
