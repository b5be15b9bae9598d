import Foundation
import Testing

func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

func jsonArray(_ text: String) throws -> [[String: Any]] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
}

@Suite("tg against the simulator", .serialized)
struct CLITests {
    @Test func loginThenEveryReadCommandInBothFormats() async throws {
        let tg = TG()
        let login = try await tg.run("login", input: "99999\n11111\n")
        #expect(login.status == 0)
        #expect(login.output.contains("Logged in as Alice Simulated"))
        #expect(login.error.contains("PHONE_CODE_INVALID, try again"))

        let me = try await tg.run("me")
        #expect(me.output.contains("@alice_sim"))
        #expect(try await jsonObject(tg.run("me", "--json").output)["id"] as? Int == 1001)

        let chats = try await tg.run("chats", "--limit", "3")
        #expect(chats.output.split(separator: "\n").count == 4)
        #expect(chats.output.hasPrefix("id"))
        let chatsJSON = try await jsonArray(tg.run("chats", "--json").output)
        #expect(chatsJSON.count == 5)

        let history = try await tg.run("history", "--", "-3001")
        #expect(history.output.contains("The lake, if it is sunny."))
        let historyJSON = try await jsonArray(tg.run("history", "--json", "--limit", "1", "--", "-3001").output)
        #expect(historyJSON.count == 1)

        let stats = try await tg.run("stats", "--json", "--", "-3001")
        let words = try #require(try jsonObject(stats.output)["words"] as? [[String: Any]])
        #expect(words.first?["word"] as? String == "lake")
        #expect(stats.error.contains("2 messages"))

        let call = try await tg.run("call", "getOption", #"{"name":"version"}"#)
        #expect(try jsonObject(call.output)["value"] as? String == "1.8.66")
        let execute = try await tg.run("execute", "getTextEntities", #"{"text":"hi @durov"}"#)
        #expect(execute.output.contains("textEntityTypeMention"))

        let logout = try await tg.run("logout")
        #expect(logout.status == 0)
        let after = try await tg.run("me")
        #expect(after.status == 1)
        #expect(after.error.contains("not logged in"))
    }

    @Test func sendPlainHTMLAndMarkdown() async throws {
        let tg = TG()
        try await tg.run("login", input: "11111\n")
        let plain = try await tg.run("send", "2002", "plain <b>text</b>")
        #expect(plain.output.contains("Sent message"))
        let html = try await jsonObject(tg.run("send", "--json", "--html", "2002", "<b>bold</b> move").output)
        let content = try #require(html["content"] as? [String: Any])
        let text = try #require(content["text"] as? [String: Any])
        #expect(text["text"] as? String == "bold move")
        #expect((text["entities"] as? [Any])?.count == 1)
        let markdown = try await jsonObject(
            tg.run("send", "--json", "--markdown", "2002", "*strong* \\_escaped\\_").output)
        let markdownText = try #require((markdown["content"] as? [String: Any])?["text"] as? [String: Any])
        #expect(markdownText["text"] as? String == "strong _escaped_")
    }

    @Test func passwordEmailAndRegistrationPrompts() async throws {
        var bob = TG()
        bob.environment["TG_PHONE"] = "+15550100002"
        let login = try await bob.run("login", input: "22222\nwrong\ncorrect horse\n")
        #expect(login.status == 0)
        #expect(login.error.contains("Password (hint: a horse)"))
        #expect(!login.output.contains("correct horse") && !login.error.contains("correct horse"))

        var carol = TG()
        carol.environment["TG_PHONE"] = "+15550100003"
        #expect(try await carol.run("login", input: "33333\ncarol@example.com\n44444\n").status == 0)

        var newcomer = TG()
        newcomer.environment["TG_PHONE"] = "+15550100004"
        let registered = try await newcomer.run("login", "--json", input: "55555\nNova\nNewcomer\n")
        #expect(try jsonObject(registered.output)["first_name"] as? String == "Nova")
        #expect(registered.error.contains("Terms of service"))
    }

    @Test func botLoginAndQRLogin() async throws {
        var bot = TG()
        bot.environment["TG_BOT_TOKEN"] = "1000001:SIMULATOR-BOT-TOKEN"
        #expect(try await bot.run("login").output.contains("Logged in as Echo"))
        let qr = try await TG().run("login", "--qr", "--json")
        #expect(qr.status == 0)
        #expect(qr.output.contains("tg://login?token="))
    }

    @Test func badArgumentsAndEndOfInput() async throws {
        let tg = TG()
        #expect(try await tg.run("history", "not-a-number").status == 64)
        #expect(try await tg.run("call", "getOption", "not json").status == 64)
        #expect(try await tg.run("send", "--html", "--markdown", "1", "x").status == 64)
        let noCode = try await tg.run("login", input: "")
        #expect(noCode.status == 1)
        #expect(noCode.error.contains("standard input has ended"))
        try await tg.run("login", input: "11111\n")
        let unknownChat = try await tg.run("call", "getChat", #"{"chat_id":1}"#)
        #expect(unknownChat.status == 1)
        #expect(unknownChat.error == "tg: TDLib error 400: Chat not found\n")
    }

    @Test func listenPrintsJSONLinesAndStopsCleanlyOnCtrlC() async throws {
        let tg = TG()
        try await tg.run("login", input: "11111\n")
        let listen = try tg.start(["listen", "--type", "updateNewMessage"])
        // The default scenario sends "ping" to the account two seconds after it is ready: wait for its line.
        try await listen.waitForOutput(containing: "\n")
        listen.interrupt()
        let outcome = try await listen.finished()
        #expect(outcome.status == 0)
        let lines = outcome.output.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(try jsonObject(String(line))["@type"] as? String == "updateNewMessage")
        }
    }

    @Test func echoBotAnswersPing() async throws {
        var bot = TG()
        bot.environment["TG_BOT_TOKEN"] = "1000001:SIMULATOR-BOT-TOKEN"
        let echo = try bot.start(["echo", "--json"])
        try await echo.waitForOutput(containing: "\n")
        echo.interrupt()
        let outcome = try await echo.finished()
        #expect(outcome.status == 0)
        let first = try jsonObject(String(outcome.output.split(separator: "\n").first ?? ""))
        #expect(first["received"] as? String == "ping")
        #expect(first["sent"] as? String == "pong")
    }
}
