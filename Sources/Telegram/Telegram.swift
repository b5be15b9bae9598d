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
/// process that exits with clients still open.
public final class Telegram: Sendable {
    /// The configuration the client was created with.
    public let configuration: TelegramConfiguration
    /// The TDLib client underneath, for raw JSON requests and typed `send`.
    public let client: TDClient
    /// Chats, users, groups, options and the connection state, kept from TDLib's updates.
    public let store: TelegramStore
    let logger: Logger
    let messageRoutes = MessageRoutes()
    private let state = Locked(State())
    private let handlerQueue: AsyncStream<(type: String, update: Update)>.Continuation

    private struct State {
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
        if case .bot(let token) = configuration.account { TDLibLogBridge.redact(token.text) }

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

    private static func createFolders(_ root: String) throws(TelegramError) {
        for folder in [root, root + "/database", root + "/files"] {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw TelegramError(
                    .invalidConfiguration, "cannot create the folder \(folder): \(error.localizedDescription)")
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
            store.apply(update)
            if case .authorizationState(let change) = update {
                setLoginState(LoginState(change.authorizationState))
            }
            messageRoutes.dispatch(update)
            let type = object.type
            let subscribers = state.withLock { state in
                state.subscribers.values.filter { $0.types?.contains(type) ?? true }.map(\.continuation)
            }
            for subscriber in subscribers { subscriber.yield(update) }
            handlerQueue.yield((type, update))
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
        for waiter in waiters { waiter.resume(throwing: TelegramError(.stopped, "the TDLib client is closed")) }
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
    private func waitForStateChange(after version: Int, timeout: Duration) async throws {
        let id = state.withLock { state -> UInt64 in
            state.lastWaiterID += 1
            return state.lastWaiterID
        }
        let timer = Task { [weak self] in
            try await sleepInNaps(for: timeout)
            let waiter = self?.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(
                throwing: TelegramError(.timedOut, "TDLib reported no new authorization state within \(timeout)"))
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let immediate: Result<Void, any Error>? = state.withLock { state in
                if state.version > version { return .success(()) }
                if state.updatesEnded { return .failure(TelegramError(.stopped, "the TDLib client is closed")) }
                state.waiters[id] = (version, continuation)
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    private var stateVersion: Int { state.withLock { $0.version } }

    /// Sends one login request and waits for the state it leads to.
    private func step<F: TDFunction>(_ request: F) async throws -> LoginState {
        let version = stateVersion
        _ = try await client.send(request, timeout: configuration.stepTimeout)
        try await waitForStateChange(after: version, timeout: configuration.stepTimeout)
        return authorizationState
    }

    /// The state, from TDLib's first `updateAuthorizationState` when none has come yet.
    ///
    /// A new TDLib client reports nothing until it gets a request; its first update comes before the
    /// answer to that request, so the update stream, not the answer, is the one source of the state.
    private func currentState() async throws -> LoginState {
        if stateVersion > 0 { return authorizationState }
        _ = try await getAuthorizationState()
        try await waitForStateChange(after: 0, timeout: configuration.stepTimeout)
        return authorizationState
    }

    // MARK: Login

    /// Logs in, from wherever the session stands.
    ///
    /// It sends TDLib's parameters and the phone number or bot token itself. When the login needs the
    /// user (a code, an email address or code, the 2FA password, names for a new account, a QR scan),
    /// it asks on the terminal through `prompter` when `blocking`, or else returns that state at once:
    /// answer it with ``sendCode(_:)``, ``sendPassword(_:)``... and call `login(blocking: false)` again.
    /// - Returns: ``LoginState/ready`` when logged in, or the state that needs the user.
    /// - Throws: ``TelegramError`` with `loginInProgress` when another login call runs on this client;
    ///   `TDLibError` when TDLib refuses a step (an invalid phone number, a wrong code...).
    @discardableResult
    public func login(blocking: Bool = true, prompter: any TelegramPrompter = TerminalPrompter()) async throws
        -> LoginState
    {
        try state.withLock { state throws(TelegramError) in
            guard !state.isStopped else { throw TelegramError(.stopped, "the client is stopped") }
            guard !state.loginInProgress else {
                throw TelegramError(.loginInProgress, "another login call is running on this client")
            }
            state.loginInProgress = true
        }
        defer { state.withLock { $0.loginInProgress = false } }

        let machine = LoginMachine(account: configuration.account, blocking: blocking)
        var current = try await currentState()
        while true {
            // TDLib holds proxy requests until it has its parameters (Td::run_request), so the proxy is
            // added right after them, before anything reaches the network.
            if current != .waitTdlibParameters { try await addProxyOnce() }
            switch machine.action(for: current) {
            case .sendParameters:
                current = try await step(parameters)
            case .sendPhoneNumber:
                guard case .phone(let phone) = configuration.account else { return current }
                current = try await step(SetAuthenticationPhoneNumber(phoneNumber: phone, settings: nil))
            case .sendBotToken:
                guard case .bot(let token) = configuration.account else { return current }
                current = try await step(CheckAuthenticationBotToken(token: token.text))
            case .requestQRCode:
                current = try await step(RequestQrCodeAuthentication(otherUserIds: []))
            case .prompt(let waiting):
                current = try await answer(waiting, with: prompter)
            case .returnToCaller(let waiting):
                return waiting
            case .finished:
                logger.info("Logged in", metadata: ["account": "\(configuration.account)"])
                return .ready
            case .fail(let reason):
                throw TelegramError(.unexpectedState, reason)
            }
        }
    }

    /// Answers one state on the terminal (blocking login); a wrong answer is reported and asked again.
    private func answer(_ waiting: LoginState, with prompter: any TelegramPrompter) async throws -> LoginState {
        do {
            switch waiting {
            case .waitCode(let info): return try await sendCode(try await prompter.code(info))
            case .waitEmailAddress: return try await sendEmailAddress(try await prompter.emailAddress())
            case .waitEmailCode(let info): return try await sendEmailCode(try await prompter.emailCode(info))
            case .waitPassword(let hint, _): return try await sendPassword(try await prompter.password(hint: hint))
            case .waitRegistration(let terms):
                let names = try await prompter.registration(termsOfService: terms)
                return try await registerUser(firstName: names.firstName, lastName: names.lastName)
            case .waitOtherDeviceConfirmation(let link):
                // Read before showing: the link may be confirmed while the prompter shows it.
                let version = stateVersion
                await prompter.showQRLink(link)
                try await waitForStateChange(after: version, timeout: .seconds(600))
                return authorizationState
            default:
                return waiting
            }
        } catch let error as TDLibError where error.code == 400 {
            await prompter.show(error: error)
            return authorizationState
        }
    }

    private var parameters: SetTdlibParameters {
        let root = configuration.resolvedFilesDirectory
        return SetTdlibParameters(
            useTestDc: configuration.useTestDC, databaseDirectory: root + "/database", filesDirectory: root + "/files",
            databaseEncryptionKey: configuration.databaseEncryptionKey.bytes,
            // As python-telegram: the message database brings the file and chat databases with it.
            useFileDatabase: configuration.useMessageDatabase, useChatInfoDatabase: configuration.useMessageDatabase,
            useMessageDatabase: configuration.useMessageDatabase,
            useSecretChats: configuration.useSecretChats, apiId: configuration.apiID,
            apiHash: configuration.apiHash.text,
            systemLanguageCode: configuration.systemLanguageCode, deviceModel: configuration.deviceModel,
            systemVersion: configuration.systemVersion, applicationVersion: configuration.applicationVersion)
    }

    private func addProxyOnce() async throws {
        guard let proxy = configuration.proxy, !state.withLock({ $0.proxyAdded }) else { return }
        let type: ProxyType
        let server: String
        let port: Int
        switch proxy {
        case .socks5(let host, let number, let username, let password):
            (server, port) = (host, number)
            type = .socks5(ProxyTypeSocks5(username: username, password: password.text))
        case .http(let host, let number, let username, let password, let httpOnly):
            (server, port) = (host, number)
            type = .http(ProxyTypeHttp(username: username, password: password.text, httpOnly: httpOnly))
        case .mtproto(let host, let number, let secret):
            (server, port) = (host, number)
            type = .mtproto(ProxyTypeMtproto(secret: secret.text))
        }
        _ = try await client.send(
            AddProxy(proxy: Proxy(server: server, port: Int32(clamping: port), type: type), enable: true, comment: ""),
            timeout: configuration.stepTimeout)
        state.withLock { $0.proxyAdded = true }
        logger.info("Proxy added", metadata: ["server": "\(server)", "port": "\(port)"])
    }

    /// Checks that the login waits for `expected`, so that an answer is never sent at the wrong step.
    private func require(_ expected: String, _ matches: (LoginState) -> Bool) throws(TelegramError) {
        let current = authorizationState
        guard matches(current) else {
            throw TelegramError(.unexpectedState, "this answer needs \(expected); the state is \(current.name)")
        }
    }

    /// Sends the login code; returns the next state. A wrong code throws `TDLibError` (`PHONE_CODE_INVALID`)
    /// and leaves the state at `WAIT_CODE`.
    @discardableResult
    public func sendCode(_ code: String) async throws -> LoginState {
        try require("WAIT_CODE") { if case .waitCode = $0 { true } else { false } }
        TDLibLogBridge.redact(code)
        return try await step(CheckAuthenticationCode(code: code))
    }

    /// Asks Telegram to send the code again, by the next method it announced; returns the new state.
    @discardableResult
    public func resendCode() async throws -> LoginState {
        try require("WAIT_CODE") { if case .waitCode = $0 { true } else { false } }
        return try await step(ResendAuthenticationCode(reason: nil))
    }

    /// Sends the 2FA password; a wrong one throws `TDLibError` (`PASSWORD_HASH_INVALID`).
    @discardableResult
    public func sendPassword(_ password: String) async throws -> LoginState {
        try require("WAIT_PASSWORD") { if case .waitPassword = $0 { true } else { false } }
        TDLibLogBridge.redact(password)
        return try await step(CheckAuthenticationPassword(password: password))
    }

    /// Sends the email address Telegram asked for.
    @discardableResult
    public func sendEmailAddress(_ address: String) async throws -> LoginState {
        try require("WAIT_EMAIL_ADDRESS") { $0 == .waitEmailAddress }
        return try await step(SetAuthenticationEmailAddress(emailAddress: address))
    }

    /// Sends the code that came by email; a wrong one throws `TDLibError` (`EMAIL_CODE_INVALID`).
    @discardableResult
    public func sendEmailCode(_ code: String) async throws -> LoginState {
        try require("WAIT_EMAIL_CODE") { if case .waitEmailCode = $0 { true } else { false } }
        TDLibLogBridge.redact(code)
        return try await step(CheckAuthenticationEmailCode(code: .code(EmailAddressAuthenticationCode(code: code))))
    }

    /// Registers a new account with its names, after its user accepted the terms of service.
    @discardableResult
    public func registerUser(firstName: String, lastName: String = "") async throws -> LoginState {
        try require("WAIT_REGISTRATION") { if case .waitRegistration = $0 { true } else { false } }
        return try await step(RegisterUser(firstName: firstName, lastName: lastName, disableNotification: false))
    }

    /// Starts a QR-code login instead of the phone number: returns the `tg://login` link to show as a QR
    /// code; the state then waits for another device to confirm it.
    public func requestQRCodeLogin() async throws -> String {
        var current = try await currentState()
        if case .waitTdlibParameters = current { current = try await step(parameters) }
        guard case .waitPhoneNumber = current else {
            if case .waitOtherDeviceConfirmation(let link) = current { return link }
            throw TelegramError(
                .unexpectedState, "a QR login starts from WAIT_PHONE_NUMBER; the state is \(current.name)")
        }
        let next = try await step(RequestQrCodeAuthentication(otherUserIds: []))
        guard case .waitOtherDeviceConfirmation(let link) = next else {
            throw TelegramError(.unexpectedState, "TDLib answered the QR request with \(next.name)")
        }
        return link
    }

    /// Waits until the authorization state changes, at most `timeout`; returns the new state.
    @discardableResult
    public func waitForNextState(timeout: Duration = .seconds(60)) async throws -> LoginState {
        try await waitForStateChange(after: stateVersion, timeout: timeout)
        return authorizationState
    }

    /// Logs out: TDLib ends the session on Telegram and deletes its local data; the client closes.
    public func logOut() async throws {
        _ = try await client.send(LogOut(), timeout: configuration.stepTimeout)
        while true {
            // State and version are read together: `closed` may land between two separate reads, and the
            // update stream ends right after it, so a wait for a later change would only see the end.
            let (login, version) = state.withLock { ($0.login, $0.version) }
            if login == .closed { return }
            do {
                try await waitForStateChange(after: version, timeout: configuration.stepTimeout)
            } catch let error as TelegramError where error.code == .stopped && authorizationState == .closed {
                return
            }
        }
    }

    // MARK: Updates

    /// Calls `handler` with every update whose TDLib type is `type` (for example `updateNewMessage`).
    ///
    /// Handlers run one at a time, in the order updates come, on a task of their own: a slow handler
    /// delays other handlers, never the client. With ``TelegramConfiguration/handlerConcurrency`` above 1,
    /// updates of different chats are handled at the same time, those of one chat still in order. A handler that throws is logged and the others go on.
    /// A handler may call ``stop(closeTimeout:)``.
    @discardableResult
    public func addUpdateHandler(_ type: String, _ handler: @escaping UpdateHandler) -> UpdateHandlerID {
        state.withLock { state in
            state.lastHandlerID += 1
            let id = UpdateHandlerID(value: state.lastHandlerID)
            state.handlers[id] = (type, handler)
            return id
        }
    }

    /// Calls `handler` with every new message (`updateNewMessage`).
    @discardableResult
    public func addMessageHandler(_ handler: @escaping @Sendable (Message) async throws -> Void) -> UpdateHandlerID {
        addUpdateHandler("updateNewMessage") { update in
            if case .newMessage(let new) = update { try await handler(new.message) }
        }
    }

    /// Removes a handler; an update already being handled finishes.
    public func removeUpdateHandler(_ id: UpdateHandlerID) {
        _ = state.withLock { $0.handlers.removeValue(forKey: id) }
    }

    private func runHandlers(_ queue: AsyncStream<(type: String, update: Update)>) async {
        let lanes = HandlerLanes(limit: configuration.handlerConcurrency) { [weak self] type, update in
            await self?.runHandlers(of: type, update)
        }
        await lanes.run(queue)
    }

    private func runHandlers(of type: String, _ update: Update) async {
        let handlers = state.withLock { state in
            state.handlers.sorted { $0.key.value < $1.key.value }.filter { $0.value.type == type }.map(
                \.value.handler)
        }
        for handler in handlers {
            do {
                try await handler(update)
            } catch {
                logger.error("An update handler threw", metadata: ["type": "\(type)", "error": "\(error)"])
            }
        }
    }

    /// The updates from now on, decoded; only the TDLib types in `types` when given.
    ///
    /// Each call makes an independent stream with its own buffer of ``TelegramConfiguration/updateBufferSize``
    /// updates (the oldest dropped when a reader falls that far behind). Streams end when the client stops.
    public func updates(types: Set<String>? = nil) -> AsyncStream<Update> {
        let (stream, continuation) = AsyncStream<Update>.makeStream(
            bufferingPolicy: .bufferingNewest(configuration.updateBufferSize))
        let added = state.withLock { state -> Int? in
            guard !state.updatesEnded else { return nil }
            state.lastSubscriberID += 1
            state.subscribers[state.lastSubscriberID] = (types, continuation)
            return state.lastSubscriberID
        }
        if let added {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.subscribers.removeValue(forKey: added) }
            }
        } else {
            continuation.finish()
        }
        return stream
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

/// Identifies an update handler, for ``Telegram/removeUpdateHandler(_:)``.
public struct UpdateHandlerID: Hashable, Sendable {
    let value: Int
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
