import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TDLibSimulator
import Telegram

/// The `tg-web` application: the non-blocking login across HTTP requests, one Telegram client per
/// browser session.
public struct WebApp: Sendable {
    /// The configuration the app runs with.
    public let configuration: WebConfiguration
    let store: SessionStore
    let logger: Logger
    static let cookieName = "tgweb_session"

    /// Creates the app.
    public init(configuration: WebConfiguration, logger: Logger = Logger(label: "tg-web")) {
        self.configuration = configuration
        self.logger = logger
        store = SessionStore(clock: IdleClock(configuration.clock))
    }

    /// Serves until SIGINT or SIGTERM, then closes every session's client.
    ///
    /// The HTTP server, the sessions' clients and the expiry of idle sessions run as one `ServiceGroup`; a
    /// signal shuts them down gracefully in reverse order: the server answers its requests in flight and
    /// stops, then the expiry stops, then every client is closed.
    public func run() async throws {
        let app = Application(
            router: buildRouter(),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "tg-web"),
            onServerRunning: { [configuration] channel in
                let port = channel.localAddress?.port ?? configuration.port
                let backend = configuration.simulator == nil ? "Telegram" : "the built-in simulator"
                // Unbuffered, so that a program reading a pipe (a test, a supervisor) sees the line at once.
                let line = "tg-web: serving on http://\(configuration.host):\(port) (\(backend)); Ctrl-C stops it\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: SessionClients(app: self), serviceName: "sessions"),
                    .init(service: SessionExpiry(app: self), serviceName: "expiry"),
                    .init(service: app, serviceName: "http"),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Ends the sessions idle for longer than ``WebConfiguration/idleTimeout``, checking a quarter of
    /// it apart (at most 30 s), on ``WebConfiguration/clock``; returns when the task is cancelled.
    func expireIdleSessions() async {
        let interval = min(configuration.idleTimeout / 4, .seconds(30))
        while !Task.isCancelled {
            do {
                try await store.clock.sleep(interval)
            } catch {
                return
            }
            await store.expire(idle: configuration.idleTimeout)
        }
    }

    /// Ends every session and the simulator's client manager.
    public func shutdown() async {
        await store.closeAll()
        if let simulator = configuration.simulator {
            try? await TDClientManager.shared(for: simulator).shutdown(timeout: .seconds(5))
        }
        logger.info("tg-web stopped; every Telegram client is closed")
    }

    /// The routes.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { request, _ in await page(request) }
        router.get("/healthz") { _, _ in "ok" }
        router.post("/start") { request, _ in await post(request, countsAsAttempt: false) { try await start($0, $1) } }
        router.post("/code") { request, _ in
            await post(request) { session, form in
                try await answer(session) { try await $0.sendCode(form["code"] ?? "") }
            }
        }
        router.post("/resend") { request, _ in
            await post(request) { session, _ in try await answer(session) { try await $0.resendCode() } }
        }
        router.post("/email") { request, _ in
            await post(request) { session, form in
                try await answer(session) { try await $0.sendEmailAddress(form["address"] ?? "") }
            }
        }
        router.post("/email-code") { request, _ in
            await post(request) { session, form in
                try await answer(session) { try await $0.sendEmailCode(form["code"] ?? "") }
            }
        }
        router.post("/password") { request, _ in
            await post(request) { session, form in
                try await answer(session) { try await $0.sendPassword(form["password"] ?? "") }
            }
        }
        router.post("/register") { request, _ in
            await post(request) { session, form in
                try await answer(session) {
                    try await $0.registerUser(firstName: form["first"] ?? "", lastName: form["last"] ?? "")
                }
            }
        }
        router.post("/logout") { request, _ in
            await post(request, countsAsAttempt: false) { session, _ in
                await session.logOut(timeout: configuration.requestTimeout)
            }
        }
        router.post("/reset") { request, _ in
            await post(request, countsAsAttempt: false) { session, _ in await session.end() }
        }
        return router
    }

    // MARK: Sessions

    /// The request's session, or a new one (then `isNew`, and the response must set its cookie).
    private func session(for request: Request) async -> (WebSession, isNew: Bool) {
        if let existing = await store.session(id: request.cookies[Self.cookieName]?.value) {
            await existing.touch()
            return (existing, false)
        }
        return (await store.create(), true)
    }

    private func context(_ session: WebSession) async -> Pages.Context {
        Pages.Context(
            csrfToken: session.csrfToken, flash: await session.takeFlash(), simulator: configuration.simulator)
    }

    private func respond(_ html: String, status: HTTPResponse.Status = .ok, session: WebSession, isNew: Bool)
        -> Response
    {
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
        secure(&response)
        if isNew { response.setCookie(cookie(for: session)) }
        return response
    }

    private func cookie(for session: WebSession) -> Cookie {
        Cookie(name: Self.cookieName, value: session.id, path: "/", httpOnly: true, sameSite: .strict)
    }

    private func secure(_ response: inout Response) {
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        if let referrerPolicy = HTTPFields.Element.Name("Referrer-Policy") {
            response.headers[referrerPolicy] = "no-referrer"
        }
        response.headers[.cacheControl] = "no-store"
    }

    // MARK: Pages

    /// Renders the page for the session's current authorization state, so that a reload or the back
    /// button always shows the step the login is really at.
    private func page(_ request: Request) async -> Response {
        let (session, isNew) = await session(for: request)
        let context = await context(session)
        guard let telegram = await session.telegram else {
            return respond(Pages.start(context), session: session, isNew: isNew)
        }
        let html: String
        switch telegram.authorizationState {
        case .waitTdlibParameters, .waitPhoneNumber: html = Pages.waiting(context, "Connecting to Telegram")
        case .waitCode(let info): html = Pages.code(context, info)
        case .waitEmailAddress: html = Pages.emailAddress(context)
        case .waitEmailCode(let info): html = Pages.emailCode(context, info)
        case .waitPassword(let hint, _): html = Pages.password(context, hint: hint)
        case .waitRegistration(let terms): html = Pages.registration(context, terms)
        case .waitOtherDeviceConfirmation(let link): html = Pages.qr(context, link: link)
        case .ready:
            do {
                let timeout = configuration.requestTimeout
                let me = try await telegram.send(GetMe(), timeout: timeout)
                // From the store: TDLib is asked (loadChats) only while it holds fewer than 10 chats.
                let chats = try await withTimeout(timeout) { try await telegram.chats(in: .main).collect(limit: 10) }
                html = Pages.home(context, me: me, chats: chats)
            } catch {
                var retry = context
                retry.flash = Self.describe(error)
                html = Pages.waiting(retry, "Loading your account")
            }
        case .loggingOut, .closing, .closed: html = Pages.ended(context, telegram.authorizationState)
        case .waitPremiumPurchase:
            html = Pages.problem(
                "Premium required", "Telegram requires a Premium purchase to log in this account.", context)
        case .unknown(let type):
            html = Pages.problem("Unknown state", "TDLib reported a state this app does not know: \(type).", context)
        }
        return respond(html, session: session, isNew: isNew)
    }

    // MARK: Forms

    /// Checks the session and its CSRF token, counts the attempt, runs `action`, and shows the result
    /// with a redirect to the page of the new state; an error becomes the next page's message.
    private func post(
        _ request: Request, countsAsAttempt: Bool = true,
        _ action: @escaping @Sendable (WebSession, [String: String]) async throws -> Void
    ) async -> Response {
        let (session, isNew) = await session(for: request)
        let form: [String: String]
        do {
            form = Self.parseForm(try await request.body.collect(upTo: 64 * 1024))
        } catch {
            return respond(
                Pages.problem("Request too large", "The form was too large.", await context(session)),
                status: .contentTooLarge, session: session, isNew: isNew)
        }
        guard !isNew, let token = form["csrf"], Self.constantTimeEqual(token, session.csrfToken) else {
            return respond(
                Pages.problem(
                    "Form expired", "This form is not valid for your session: reload the page and try again.",
                    await context(session)),
                status: .forbidden, session: session, isNew: isNew)
        }
        if countsAsAttempt, !(await session.countAttempt(limit: configuration.maxAttempts)) {
            return respond(
                Pages.problem(
                    "Too many attempts", "This session made too many attempts. Start again later.",
                    await context(session)),
                status: .tooManyRequests, session: session, isNew: false)
        }
        do {
            try await action(session, form)
        } catch let limit as SessionLimitReached {
            return respond(
                Pages.problem("Too many sessions", limit.message, await context(session)),
                status: .serviceUnavailable, session: session, isNew: false)
        } catch {
            await session.setFlash(Self.describe(error))
        }
        var response = Response.redirect(to: "/", type: .normal)
        secure(&response)
        return response
    }

    /// `/start`: creates the session's client for a phone number, a bot token or a QR code, and begins.
    private func start(_ session: WebSession, _ form: [String: String]) async throws {
        if await session.telegram != nil { return }
        guard await store.activeClientCount() < configuration.maxSessions else {
            throw SessionLimitReached(
                message: "The server has as many Telegram sessions as it allows. Try again later.")
        }
        let account: TelegramAccount
        switch form["kind"] {
        case "bot":
            let token = form["token"]?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !token.isEmpty else { throw FormProblem("Enter a bot token.") }
            account = .bot(token: Secret(token))
        case "qr":
            account = .qrCode
        default:
            let phone = form["phone"]?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !phone.isEmpty else { throw FormProblem("Enter a phone number.") }
            account = .phone(phone)
        }
        let folder = configuration.dataDirectory + "/" + String(session.id.prefix(24))
        var telegramConfiguration = TelegramConfiguration(
            apiID: 0, apiHash: "", databaseEncryptionKey: Secret(bytes: Random.bytes(32)), account: account)
        switch configuration.backend {
        case .telegram(let apiID, let apiHash, let useTestDC, let libraryPath):
            telegramConfiguration.apiID = apiID
            telegramConfiguration.apiHash = apiHash
            telegramConfiguration.useTestDC = useTestDC
            telegramConfiguration.libraryPath = libraryPath
        case .simulator(let simulator):
            telegramConfiguration.apiID = 94575
            telegramConfiguration.apiHash = "simulator"
            telegramConfiguration.library = simulator
        }
        telegramConfiguration.filesDirectory = folder
        telegramConfiguration.stepTimeout = configuration.requestTimeout
        telegramConfiguration.deviceModel = "tg-web (swift-telegram)"
        telegramConfiguration.tdlibVerbosity = 1
        let telegram = try await Telegram(configuration: telegramConfiguration, logger: logger)
        await session.attach(telegram, folder: folder)
        _ = try await telegram.login(blocking: false)
    }

    /// Sends one answer, then lets the login carry on to the next state that needs the user.
    private func answer(_ session: WebSession, _ send: @Sendable (Telegram) async throws -> LoginState) async throws {
        guard let telegram = await session.telegram else { throw FormProblem("Start by entering a phone number.") }
        let next = try await send(telegram)
        if !next.needsUser, next != .ready, next != .closed {
            _ = try await telegram.login(blocking: false)
        }
    }

    // MARK: Helpers

    /// A message for the page: what went wrong, in words a user understands, and never a secret.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as TDLibError:
            if let seconds = error.retryAfterSeconds { return "Too many attempts. Try again in \(seconds) seconds." }
            switch error.message {
            case "PHONE_CODE_INVALID": return "The code is wrong. Check it and try again."
            case "PHONE_CODE_EXPIRED": return "The code has expired. Ask for a new one."
            case "PASSWORD_HASH_INVALID": return "The password is wrong."
            case "PHONE_NUMBER_INVALID": return "This phone number is not valid."
            case "EMAIL_INVALID": return "This email address is not valid."
            case "EMAIL_CODE_INVALID": return "The email code is wrong."
            case "FIRSTNAME_INVALID": return "Enter a first name."
            case "ACCESS_TOKEN_INVALID": return "This bot token is not valid."
            default: return "Telegram answered: \(error.message)"
            }
        case let error as TDClientError where error.code == .timedOut:
            return "Telegram did not answer in time. Try again."
        case is TimedOut:
            return "Telegram did not answer in time. Try again."
        case let problem as FormProblem:
            return problem.message
        case let error as TelegramError:
            return error.message
        case let error as TDClientError:
            return error.message
        default:
            return "Something went wrong."
        }
    }

    /// Reads an `application/x-www-form-urlencoded` body.
    static func parseForm(_ buffer: ByteBuffer) -> [String: String] {
        let body = String(buffer: buffer)
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let (a, b) = (Array(left.utf8), Array(right.utf8))
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

struct FormProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

struct SessionLimitReached: Error {
    let message: String
}
