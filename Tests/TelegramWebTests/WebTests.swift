import Foundation
import Hummingbird
import TDLibSimulator
import Testing

@testable import TelegramWeb

/// A browser without a browser: keeps its session cookie and reads forms' CSRF tokens.
struct Visitor {
    let client: RouterClient
    var cookie: String?
    var csrf: String?
    var lastPage = ""

    /// The session's identifier, from its cookie.
    var sessionID: String? { cookie?.split(separator: "=", maxSplits: 1).last.map(String.init) }

    @discardableResult
    mutating func get(_ path: String = "/") async throws -> String {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(uri: path, method: .get, headers: headers, body: nil)
        if let setCookie = response.headers[.setCookie] {
            cookie = String(setCookie.split(separator: ";")[0])
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
        }
        lastPage = String(buffer: response.body)
        if let range = lastPage.range(of: #"name="csrf" value=""#) {
            csrf = String(lastPage[range.upperBound...].prefix { $0 != "\"" })
        }
        return lastPage
    }

    /// Posts a form with the page's CSRF token (or `csrf` when given) and follows the redirect.
    @discardableResult
    mutating func post(_ path: String, _ fields: [String: String], csrf override: String? = nil) async throws -> (
        status: HTTPResponse.Status, page: String
    ) {
        var fields = fields
        fields["csrf"] = override ?? csrf ?? ""
        let body = fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(
            uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        if response.status == .seeOther || response.status == .found {
            return (response.status, try await get())
        }
        return (response.status, String(buffer: response.body))
    }
}

/// Runs `body` with the app's routes on a simulator with a manual clock: nothing in these tests waits
/// for the wall clock, and the simulator's timers (the QR confirmation) fire when a test advances it.
func withWebApp(
    simulator: TDSimulator = TDSimulator(clock: .manual()),
    configure: (inout WebConfiguration) -> Void = { _ in },
    _ body: @Sendable (RouterClient, WebApp) async throws -> Void
) async throws {
    var configuration = WebConfiguration(backend: .simulator(simulator))
    // Only a safety net against a hang: no verdict depends on it, however slow the machine.
    configuration.requestTimeout = .seconds(120)
    configuration.dataDirectory =
        FileManager.default.temporaryDirectory.appendingPathComponent("tg-web-tests-\(UUID().uuidString)").path
    configure(&configuration)
    let web = WebApp(configuration: configuration)
    do {
        try await body(RouterClient(router: web.buildRouter()), web)
    } catch {
        await web.shutdown()
        throw error
    }
    await web.shutdown()
}

@Suite("tg-web over HTTP")
struct WebTests {
    @Test func codeThenPasswordLoginShowsTheAccount() async throws {
        try await withWebApp { client, _ in
            var browser = Visitor(client: client)
            let start = try await browser.get()
            #expect(start.contains("Log in to Telegram"))
            #expect(start.contains("simulator-banner"))
            var page = try await browser.post("/start", ["kind": "phone", "phone": "+15550100002"]).page
            #expect(page.contains("Enter the code"))
            page = try await browser.post("/code", ["code": "00001"]).page
            #expect(page.contains("The code is wrong"))
            #expect(page.contains("Enter the code"))
            page = try await browser.post("/code", ["code": "22222"]).page
            #expect(page.contains(#"<span id="hint">a horse</span>"#))
            page = try await browser.post("/password", ["password": "correct horse"]).page
            #expect(page.contains(#"<h2 id="me">Bob Secure</h2>"#))
            #expect(page.contains("Weekend plans"))
            #expect(!page.contains(#"value="correct horse""#))
            // A reload shows the same step.
            #expect(try await browser.get().contains(#"<h2 id="me">Bob Secure</h2>"#))
            page = try await browser.post("/logout", [:]).page
            #expect(page.contains("Log in to Telegram"))
        }
    }

    @Test func forgedOrMissingCSRFIsRefused() async throws {
        try await withWebApp { client, _ in
            var browser = Visitor(client: client)
            try await browser.get()
            let forged = try await browser.post("/start", ["kind": "phone", "phone": "+15550100001"], csrf: "0123")
            #expect(forged.status == .forbidden)
            let missing = try await browser.post("/start", ["kind": "phone", "phone": "+15550100001"], csrf: "")
            #expect(missing.status == .forbidden)
            var stranger = Visitor(client: client)
            let noSession = try await stranger.post(
                "/start", ["kind": "phone", "phone": "+15550100001"], csrf: browser.csrf)
            #expect(noSession.status == .forbidden)
            #expect(try await browser.get().contains("Log in to Telegram"))
        }
    }

    @Test func twoSessionsNeverSeeEachOther() async throws {
        try await withWebApp { client, _ in
            var alice = Visitor(client: client)
            var bob = Visitor(client: client)
            try await alice.get()
            try await bob.get()
            #expect(alice.cookie != bob.cookie)
            #expect(alice.csrf != bob.csrf)
            try await alice.post("/start", ["kind": "phone", "phone": "+15550100001"])
            let alicePage = try await alice.post("/code", ["code": "11111"]).page
            #expect(alicePage.contains("Alice Simulated"))
            let bobPage = try await bob.get()
            #expect(bobPage.contains("Log in to Telegram"))
            #expect(!bobPage.contains("Alice"))
            // Bob's token cannot drive Alice's session, and Alice's cannot drive Bob's.
            var impostor = bob
            impostor.csrf = alice.csrf
            #expect(try await impostor.post("/logout", [:]).status == .forbidden)
            #expect(try await alice.get().contains("Alice Simulated"))
        }
    }

    @Test func htmlInANameIsShownAsText() async throws {
        try await withWebApp { client, _ in
            var browser = Visitor(client: client)
            try await browser.get()
            try await browser.post("/start", ["kind": "phone", "phone": "+15550100004"])
            let registration = try await browser.post("/code", ["code": "55555"]).page
            #expect(registration.contains("terms of service"))
            let home = try await browser.post("/register", ["first": "<script>alert(1)</script>", "last": "O'Neil"])
                .page
            #expect(home.contains("&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neil"))
            #expect(!home.contains("<script>alert(1)"))
        }
    }

    @Test func botQRAndLimits() async throws {
        let limits: @Sendable (inout WebConfiguration) -> Void = {
            $0.maxAttempts = 3
            $0.maxSessions = 2
        }
        let simulator = TDSimulator(clock: .manual())
        try await withWebApp(simulator: simulator, configure: limits) { client, web in
            var bot = Visitor(client: client)
            try await bot.get()
            let home = try await bot.post("/start", ["kind": "bot", "token": "1000001:SIMULATOR-BOT-TOKEN"]).page
            #expect(home.contains("Echo"))

            var qr = Visitor(client: client)
            try await qr.get()
            let waiting = try await qr.post("/start", ["kind": "qr"]).page
            #expect(waiting.contains("tg://login?token="))
            #expect(waiting.contains(#"http-equiv="refresh""#))
            // The simulator has the request, and so the timer of the other device's confirmation (1 s).
            try await simulator.waitForRequests("requestQrCodeAuthentication")
            let session = try #require(await web.store.session(id: qr.sessionID))
            let telegram = try #require(await session.telegram)
            // Subscribed before the clock moves: the update to `ready` cannot be missed.
            let states = telegram.updates(types: ["updateAuthorizationState"])
            simulator.clock.advance(by: .seconds(1))
            for await _ in states where telegram.authorizationState == .ready { break }
            #expect(telegram.authorizationState == .ready)
            #expect(try await qr.get().contains("Alice Simulated"))

            var third = Visitor(client: client)
            try await third.get()
            #expect(
                try await third.post("/start", ["kind": "phone", "phone": "+15550100001"]).status == .serviceUnavailable
            )

            _ = try await qr.post("/logout", [:])
            try await third.post("/start", ["kind": "phone", "phone": "+15550100001"])
            for _ in 0..<3 { try await third.post("/code", ["code": "1"]) }
            let limited = try await third.post("/code", ["code": "11111"])
            #expect(limited.status == .tooManyRequests)
        }
    }

    @Test func idleSessionsExpireOnTheConfiguredClock() async throws {
        let clock = ManualClock()
        let idle: @Sendable (inout WebConfiguration) -> Void = {
            $0.clock = clock
            $0.idleTimeout = .seconds(60)
        }
        try await withWebApp(configure: idle) { client, web in
            var alice = Visitor(client: client)
            var bob = Visitor(client: client)
            try await alice.get()
            try await bob.get()
            let codePage = try await alice.post("/start", ["kind": "phone", "phone": "+15550100001"]).page
            #expect(codePage.contains("Enter the code"))
            let aliceCookie = alice.cookie
            let bobCookie = bob.cookie
            // The expiry as tg-web runs it: a service of its group, here cancelled when the test ends.
            let expiry = Task { await SessionExpiry(app: web).run() }
            defer { expiry.cancel() }

            // Checks are a quarter of the idle timeout apart (15 s); each sleep means the last check is done.
            await clock.waitForSleeps(1)
            clock.advance(by: .seconds(45))
            await clock.waitForSleeps(2)
            #expect(await web.store.count == 2)
            try await bob.get()  // Bob is seen at 45 s, Alice last at 0 s.

            clock.advance(by: .seconds(20))
            await clock.waitForSleeps(3)
            #expect(await web.store.count == 1)
            let restart = try await alice.get()
            #expect(restart.contains("Log in to Telegram"))
            #expect(alice.cookie != aliceCookie)
            #expect(try await bob.get().contains("Log in to Telegram"))
            #expect(bob.cookie == bobCookie)
        }
    }
}
