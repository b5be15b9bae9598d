import Foundation
import Logging
import TDLib
import TDLibAPI
import TDLibAPIClient

extension Telegram {
    // MARK: Login

    /// Logs in, from wherever the session stands.
    ///
    /// It sends TDLib's parameters and the phone number or bot token itself. When the login needs the
    /// user (a code, an email address or code, the 2FA password, names for a new account, a QR scan),
    /// it asks on the terminal through `prompter` when `blocking`, or else returns that state at once:
    /// answer it with ``sendCode(_:)``, ``sendPassword(_:)``... and call `login(blocking: false)` again.
    /// - Returns: ``LoginState/ready`` when logged in, or the state that needs the user.
    /// - Throws: ``TelegramError`` with `loginInProgress` when another login call runs on this client;
    ///   `TDLibError` when TDLib refuses a step (an invalid phone number, a wrong code...); `TDClientError`
    ///   with `timedOut` when a step takes longer than ``TelegramConfiguration/stepTimeout``, with
    ///   `clientClosed` when the client is stopped.
    @discardableResult
    public func login(blocking: Bool = true, prompter: any TelegramPrompter = TerminalPrompter()) async throws
        -> LoginState
    {
        try state.withLock { state throws in
            guard !state.isStopped else { throw TDClientError(.clientClosed, "the client is stopped") }
            guard !state.loginInProgress else {
                throw TelegramError(.loginInProgress, "another login call is running on this client")
            }
            state.loginInProgress = true
        }
        defer { state.withLock { $0.loginInProgress = false } }

        let machine = LoginMachine(account: configuration.account, blocking: blocking)
        var current = stateVersion == 0 ? try await sendParametersFirst() : authorizationState
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
                if current.endsSession { throw TDClientError(.clientClosed, reason) }
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

    /// A new TDLib client always waits for its parameters first (TDLib keeps none between runs), so they go
    /// out at once instead of after a request for the state: one round trip fewer for every client.
    private func sendParametersFirst() async throws -> LoginState {
        _ = try await client.send(parameters, timeout: configuration.stepTimeout)
        return try await waitForLoginState(timeout: configuration.stepTimeout) { $0 != .waitTdlibParameters }
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
    private func require(_ expected: String, _ matches: (LoginState) -> Bool) throws {
        let current = authorizationState
        guard matches(current) else {
            let reason = "this answer needs \(expected); the state is \(current.name)"
            // A stopped client may still show its last state until TDLib's closing updates have been read.
            if current.endsSession || isStopped { throw TDClientError(.clientClosed, reason) }
            throw TelegramError(.unexpectedState, reason)
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
            } catch let error as TDClientError where error.code == .clientClosed && authorizationState == .closed {
                return
            }
        }
    }
}
