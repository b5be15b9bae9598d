import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("tg-web as a process")
struct WebServerProcessTests {
    @Test func sigtermClosesEveryClientAndExitsCleanly() async throws {
        var tg = TG()
        tg.environment["TG_LOG_LEVEL"] = "info"
        defer { try? FileManager.default.removeItem(atPath: tg.folder) }
        let web = try tg.startWeb()
        let output = try await web.waitForOutput(containing: "; Ctrl-C stops it")
        let base = try #require(Self.address(in: output))

        // A browser starts a phone login: the server now holds a Telegram client at WAIT_CODE.
        let http = URLSession(configuration: .ephemeral)
        let start = try await Self.fetch(http, base + "/")
        let cookie = try #require(start.cookie)
        let csrf = try #require(Self.value(after: #"name="csrf" value=""#, in: start.body))
        _ = try await Self.fetch(
            http, base + "/start", cookie: cookie, form: "kind=phone&phone=%2B15550100001&csrf=\(csrf)")
        let page = try await Self.fetch(http, base + "/", cookie: cookie)
        #expect(page.body.contains("Enter the code"))

        web.terminate()
        let outcome = try await web.finished()
        #expect(!outcome.signalled)
        #expect(outcome.status == 0)
        #expect(outcome.error.contains("every Telegram client is closed"))
    }

    /// `http://127.0.0.1:PORT` from tg-web's first line.
    private static func address(in output: String) -> String? {
        value(after: "serving on ", in: output).map { String($0.prefix { $0 != " " }) }
    }

    /// The text after `prefix` up to the next quote or space.
    private static func value(after prefix: String, in text: String) -> String? {
        guard let range = text.range(of: prefix) else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" && $0 != " " })
    }

    private struct Page {
        var body: String
        var cookie: String?
    }

    /// One request; cookies are handled here, not by URLSession, so that nothing but this test sets them.
    private static func fetch(_ http: URLSession, _ url: String, cookie: String? = nil, form: String? = nil)
        async throws -> Page
    {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpShouldHandleCookies = false
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        if let form {
            request.httpMethod = "POST"
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(form.utf8)
        }
        let (data, response) = try await http.data(for: request)
        let setCookie = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie")
        return Page(
            body: String(decoding: data, as: UTF8.self),
            cookie: setCookie.map { String($0.prefix { $0 != ";" }) })
    }
}
