import Foundation
import Testing

/// Runs the built `tg` as a process, against the simulator, in a folder of its own.
struct TG {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-tests-\(UUID().uuidString)").path
    var environment: [String: String] = [:]

    static var binary: String? {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent("tg").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Outcome {
        var status: Int32
        var output: String
        var error: String
    }

    func process(_ arguments: [String], input: String?) throws -> (Process, Pipe, Pipe) {
        guard let binary = Self.binary else { throw CLIMissing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // After the subcommand, before any `--` that ends the options.
        // After the subcommand, before any `--` that ends the options; `execute` always uses real TDLib.
        let backend = arguments.first == "execute" ? [] : ["--simulator"]
        process.arguments = Array(arguments.prefix(1)) + backend + arguments.dropFirst()
        var environment = ProcessInfo.processInfo.environment
        environment["TG_FILES_DIRECTORY"] = folder
        for key in ["TG_BOT_TOKEN", "TG_PHONE", "TG_SIMULATOR_SCENARIO", "TG_DATABASE_KEY"] { environment[key] = nil }
        environment.merge(self.environment) { $1 }
        process.environment = environment
        let (output, error, standardInput) = (Pipe(), Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        return (process, output, error)
    }

    @discardableResult
    func run(_ arguments: String..., input: String? = nil) throws -> Outcome {
        let (process, output, error) = try process(arguments, input: input)
        // Both pipes are drained at once: a command that fills one while the other is read would block forever.
        let errorData = DrainedData()
        let drained = DispatchGroup()
        DispatchQueue.global().async(group: drained) {
            errorData.data = error.fileHandleForReading.readDataToEndOfFile()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        let err = errorData.data
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            error: String(decoding: err, as: UTF8.self))
    }
}

/// What a background reader read from a pipe.
final class DrainedData: @unchecked Sendable {
    // @unchecked: written once on the reading queue before its DispatchGroup is left, read only after
    // `wait()` on that group returns, which orders the two.
    var data = Data()
}

struct CLIMissing: Error, CustomStringConvertible {
    var description: String { "the tg executable is not built next to the tests (swift build --build-tests builds it)" }
}

func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite("tg against the simulator", .serialized)
struct CLITests {
    @Test func loginThenEveryReadCommandInBothFormats() throws {
        let tg = TG()
        let login = try tg.run("login", input: "99999\n11111\n")
        #expect(login.status == 0)
        #expect(login.output.contains("Logged in as Alice Simulated"))
        #expect(login.error.contains("PHONE_CODE_INVALID, try again"))

        let me = try tg.run("me")
        #expect(me.output.contains("@alice_sim"))
        #expect(try jsonObject(tg.run("me", "--json").output)["id"] as? Int == 1001)

        let chats = try tg.run("chats", "--limit", "3")
        #expect(chats.output.split(separator: "\n").count == 4)
        #expect(chats.output.hasPrefix("id"))
        let chatsJSON = try #require(
            JSONSerialization.jsonObject(with: Data(tg.run("chats", "--json").output.utf8)) as? [[String: Any]])
        #expect(chatsJSON.count == 5)

        let history = try tg.run("history", "--", "-3001")
        #expect(history.output.contains("The lake, if it is sunny."))
        let historyJSON = try #require(
            JSONSerialization.jsonObject(
                with: Data(tg.run("history", "--json", "--limit", "1", "--", "-3001").output.utf8))
                as? [[String: Any]])
        #expect(historyJSON.count == 1)

        let stats = try tg.run("stats", "--json", "--", "-3001")
        let words = try #require(try jsonObject(stats.output)["words"] as? [[String: Any]])
        #expect(words.first?["word"] as? String == "lake")
        #expect(stats.error.contains("2 messages"))

        let call = try tg.run("call", "getOption", #"{"name":"version"}"#)
        #expect(try jsonObject(call.output)["value"] as? String == "1.8.66")
        let execute = try tg.run("execute", "getTextEntities", #"{"text":"hi @durov"}"#)
        #expect(execute.output.contains("textEntityTypeMention"))

        let logout = try tg.run("logout")
        #expect(logout.status == 0)
        let after = try tg.run("me")
        #expect(after.status == 1)
        #expect(after.error.contains("not logged in"))
    }

    @Test func sendPlainHTMLAndMarkdown() throws {
        let tg = TG()
        try tg.run("login", input: "11111\n")
        let plain = try tg.run("send", "2002", "plain <b>text</b>")
        #expect(plain.output.contains("Sent message"))
        let html = try jsonObject(tg.run("send", "--json", "--html", "2002", "<b>bold</b> move").output)
        let content = try #require(html["content"] as? [String: Any])
        let text = try #require(content["text"] as? [String: Any])
        #expect(text["text"] as? String == "bold move")
        #expect((text["entities"] as? [Any])?.count == 1)
        let markdown = try jsonObject(tg.run("send", "--json", "--markdown", "2002", "*strong* \\_escaped\\_").output)
        let markdownText = try #require((markdown["content"] as? [String: Any])?["text"] as? [String: Any])
        #expect(markdownText["text"] as? String == "strong _escaped_")
    }

    @Test func passwordEmailAndRegistrationPrompts() throws {
        var bob = TG()
        bob.environment["TG_PHONE"] = "+15550100002"
        let login = try bob.run("login", input: "22222\nwrong\ncorrect horse\n")
        #expect(login.status == 0)
        #expect(login.error.contains("Password (hint: a horse)"))
        #expect(!login.output.contains("correct horse") && !login.error.contains("correct horse"))

        var carol = TG()
        carol.environment["TG_PHONE"] = "+15550100003"
        #expect(try carol.run("login", input: "33333\ncarol@example.com\n44444\n").status == 0)

        var newcomer = TG()
        newcomer.environment["TG_PHONE"] = "+15550100004"
        let registered = try newcomer.run("login", "--json", input: "55555\nNova\nNewcomer\n")
        #expect(try jsonObject(registered.output)["first_name"] as? String == "Nova")
        #expect(registered.error.contains("Terms of service"))
    }

    @Test func botLoginAndQRLogin() throws {
        var bot = TG()
        bot.environment["TG_BOT_TOKEN"] = "1000001:SIMULATOR-BOT-TOKEN"
        #expect(try bot.run("login").output.contains("Logged in as Echo"))
        let qr = try TG().run("login", "--qr", "--json")
        #expect(qr.status == 0)
        #expect(qr.output.contains("tg://login?token="))
    }

    @Test func badArgumentsAndEndOfInput() throws {
        let tg = TG()
        #expect(try tg.run("history", "not-a-number").status == 64)
        #expect(try tg.run("call", "getOption", "not json").status == 64)
        #expect(try tg.run("send", "--html", "--markdown", "1", "x").status == 64)
        let noCode = try tg.run("login", input: "")
        #expect(noCode.status == 1)
        #expect(noCode.error.contains("standard input has ended"))
        let unknownChat = try { () throws -> TG.Outcome in
            try tg.run("login", input: "11111\n")
            return try tg.run("call", "getChat", #"{"chat_id":1}"#)
        }()
        #expect(unknownChat.status == 1)
        #expect(unknownChat.error == "tg: TDLib error 400: Chat not found\n")
    }

    @Test func listenPrintsJSONLinesAndStopsCleanlyOnCtrlC() throws {
        let tg = TG()
        try tg.run("login", input: "11111\n")
        let (process, output, _) = try tg.process(["listen", "--type", "updateNewMessage"], input: nil)
        // The default scenario sends "ping" to the account two seconds after it is ready.
        var received = Data()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !String(decoding: received, as: UTF8.self).contains("\n") {
            received.append(output.fileHandleForReading.availableData)
        }
        process.interrupt()
        received.append(output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: received, as: UTF8.self).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(try jsonObject(String(line))["@type"] as? String == "updateNewMessage")
        }
    }

    @Test func echoBotAnswersPing() throws {
        var bot = TG()
        bot.environment["TG_BOT_TOKEN"] = "1000001:SIMULATOR-BOT-TOKEN"
        let (process, output, _) = try bot.process(["echo", "--json"], input: nil)
        var received = Data()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !String(decoding: received, as: UTF8.self).contains("\n") {
            received.append(output.fileHandleForReading.availableData)
        }
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let first = try jsonObject(String(String(decoding: received, as: UTF8.self).split(separator: "\n").first ?? ""))
        #expect(first["received"] as? String == "ping")
        #expect(first["sent"] as? String == "pong")
    }
}
