import ArgumentParser
import Foundation
import Logging
import Telegram

@main
struct TG: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tg",
        abstract: "A command-line Telegram client on TDLib.",
        discussion: """
            Credentials come from flags or the environment: TG_API_ID and TG_API_HASH (my.telegram.org), TG_PHONE or \
            TG_BOT_TOKEN, TG_DATABASE_KEY, TG_FILES_DIRECTORY, TG_PROXY, TDLIB_PATH; TG_LOG_LEVEL sets the log level \
            (error by default). Secrets are read only from the \
            environment or a prompt. With --simulator (or TG_SIMULATOR=1) everything runs offline against the \
            built-in TDLib simulator; its demo account is +15550100001 with the code 11111.
            """,
        subcommands: [
            Login.self, Logout.self, Me.self, Chats.self, History.self, Send.self, SendFile.self, Download.self,
            Listen.self, Echo.self, Stats.self, Call.self, Execute.self,
        ])

    /// Errors as one line on standard error, TDLib's code and message included, and a non-zero exit.
    static func main() async {
        let level = ProcessInfo.processInfo.environment["TG_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as TDLibError {
            Output.error("tg: \(error)")
            Foundation.exit(1)
        } catch let error as TelegramError {
            Output.error("tg: \(error.message)")
            Foundation.exit(1)
        } catch let error as TDClientError {
            Output.error("tg: \(error.message)")
            Foundation.exit(1)
        } catch let error as CLIError {
            Output.error("tg: \(error.description)")
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Log in, answering the code, email, password and registration prompts.")

    @OptionGroup var options: ConnectionOptions

    @Flag(help: "Log in by scanning a QR code from another device: prints the tg://login link.")
    var qr = false

    func run() async throws {
        let json = options.json
        let qr = qr
        try await Session.run(options, requireLogin: false) { telegram in
            if qr {
                let link = try await telegram.requestQRCodeLogin()
                if json {
                    Output.line(TDJSONValue.object(["qr_link": .string(link)]).jsonString())
                } else {
                    Output.line("Scan this link as a QR code from Telegram on another device:\n\(link)")
                }
            }
            guard try await telegram.login(blocking: true) == .ready else {
                throw CLIError("the login did not finish")
            }
            let me = try await telegram.getMe()
            if json {
                Output.line(me.jsonString())
            } else {
                Output.line("Logged in as \(Output.name(me)) (id \(me.id)).")
            }
        }
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Log out and delete the local session.")
    @OptionGroup var options: ConnectionOptions

    func run() async throws {
        let json = options.json
        try await Session.run(options) { telegram in
            try await telegram.logOut()
            Output.line(json ? #"{"@type":"ok"}"# : "Logged out.")
        }
    }
}

struct Me: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the logged-in account.")
    @OptionGroup var options: ConnectionOptions

    func run() async throws {
        let json = options.json
        try await Session.run(options) { telegram in
            let me = try await telegram.getMe()
            if json {
                Output.line(me.jsonString())
                return
            }
            let username = me.usernames?.activeUsernames.first.map { "@" + $0 } ?? ""
            Output.table(
                ["field", "value"],
                [
                    ["id", String(me.id)], ["name", Output.name(me)], ["username", username],
                    ["phone", me.phoneNumber.isEmpty ? "" : "+" + me.phoneNumber],
                ])
        }
    }
}

struct Chats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the chats of the main list in Telegram's order (pinned and most recent first).")
    @OptionGroup var options: ConnectionOptions
    @Option(help: "How many chats; all of them by default.") var limit: Int?
    @Flag(help: "The archive instead of the main list.") var archive = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("the limit must be positive") }
    }

    func run() async throws {
        let (json, limit, list) = (options.json, limit ?? .max, archive ? ChatList.archive : .main)
        try await Session.run(options) { telegram in
            let chats = try await telegram.chats(in: list).collect(limit: limit)
            if json {
                Output.line("[" + chats.map { $0.jsonString() }.joined(separator: ",") + "]")
                return
            }
            Output.table(
                ["id", "type", "title", "last message"],
                chats.map { chat in
                    [
                        String(chat.id), Self.kind(chat.type), chat.title,
                        String(Output.summary(chat.lastMessage?.content).prefix(60)),
                    ]
                })
        }
    }

    static func kind(_ type: ChatType) -> String {
        switch type {
        case .`private`: "private"
        case .basicGroup: "group"
        case .supergroup(let group): group.isChannel ? "channel" : "supergroup"
        case .secret: "secret"
        case .unknown(let object): object.type
        }
    }
}

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a chat's messages, newest first, across as many pages as TDLib needs.")
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "The chat's identifier.") var chat: Int64
    @Option(help: "How many messages (the whole history with --all).") var limit = 20
    @Flag(help: "The whole history, to the start of the chat.") var all = false

    func validate() throws {
        if limit < 1 { throw ValidationError("the limit must be positive") }
    }

    func run() async throws {
        let (json, chat, limit) = (options.json, chat, all ? Int.max : limit)
        try await Session.run(options) { telegram in
            let messages = try await telegram.history(chatID: chat, limit: limit).collect()
            if json {
                Output.line("[" + messages.map { $0.jsonString() }.joined(separator: ",") + "]")
                return
            }
            Output.table(
                ["id", "date", "from", "text"],
                messages.map { message in
                    let date = Date(timeIntervalSince1970: TimeInterval(message.date))
                    let sender: String =
                        switch message.senderId {
                        case .user(let user): String(user.userId)
                        case .chat(let chat): String(chat.chatId)
                        case .unknown: "?"
                        }
                    return [String(message.id), date.formatted(.iso8601), sender, Output.summary(message.content)]
                })
        }
    }
}

struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a text message.")
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "The chat's identifier.") var chat: Int64
    @Argument(help: "The text.") var text: String
    @Flag(help: "The text is Telegram HTML (<b>, <i>, <a href>...).") var html = false
    @Flag(help: "The text is MarkdownV2.") var markdown = false

    func validate() throws {
        if html && markdown { throw ValidationError("choose --html or --markdown, not both") }
        if text.isEmpty { throw ValidationError("the text is empty") }
    }

    func run() async throws {
        let (json, chat) = (options.json, chat)
        let formatted: FormattedText
        if html || markdown {
            let mode: TextParseMode = html ? .hTML(TextParseModeHTML()) : .markdown(TextParseModeMarkdown(version: 2))
            formatted = try TextParsing.parse(text, mode: mode, tdlibPath: options.tdlibPath)
        } else {
            formatted = FormattedText(text: text, entities: [])
        }
        try await Session.run(options) { telegram in
            let message = try await telegram.sendMessageAndWait(
                chatID: chat, text: formatted.text, entities: formatted.entities)
            Output.line(json ? message.jsonString() : "Sent message \(message.id) to chat \(chat).")
        }
    }
}

/// HTML and MarkdownV2 parsing through real TDLib's `td_execute`, which works offline and without
/// login; the simulator does not parse markup.
enum TextParsing {
    static func parse(_ text: String, mode: TextParseMode, tdlibPath: String?) throws -> FormattedText {
        let library = try TDLibrary.load(path: tdlibPath)
        return try TDClientManager.shared(for: library, tdlibLogVerbosity: 0).execute(
            ParseTextEntities(text: text, parseMode: mode))
    }
}

struct Listen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print updates as JSON, one object per line, until Ctrl-C.")
    @OptionGroup var options: ConnectionOptions
    @Option(name: .customLong("type"), help: "Only updates of this TDLib type (repeatable), e.g. updateNewMessage.")
    var types: [String] = []

    func run() async throws {
        let types = types.isEmpty ? nil : Set(types)
        try await Session.run(options, interruptIsSuccess: true) { telegram in
            for await update in telegram.updates(types: types) {
                Output.line(update.jsonString())
            }
        }
    }
}

struct Echo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an echo bot: answers \"ping\" with \"pong\" and repeats any other text, until Ctrl-C.")
    @OptionGroup var options: ConnectionOptions

    func run() async throws {
        let json = options.json
        try await Session.run(options, interruptIsSuccess: true) { telegram in
            for await update in telegram.updates(types: ["updateNewMessage"]) {
                guard case .newMessage(let new) = update, !new.message.isOutgoing,
                    case .text(let content) = new.message.content
                else { continue }
                let incoming = content.text.text
                let reply = incoming.lowercased() == "ping" ? "pong" : incoming
                _ = try await telegram.sendMessage(chatID: new.message.chatId, text: reply)
                Output.line(
                    json
                        ? TDJSONValue.object([
                            "chat_id": .int(new.message.chatId), "received": .string(incoming), "sent": .string(reply),
                        ]).jsonString()
                        : "chat \(new.message.chatId): \(incoming) -> \(reply)")
            }
        }
    }
}

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The most frequent words of a chat's whole history, with a progress bar on standard error.")
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "The chat's identifier.") var chat: Int64
    @Option(help: "How many words to show.") var top = 20

    func run() async throws {
        let (json, chat, top) = (options.json, chat, top)
        try await Session.run(options) { telegram in
            var counts: [String: Int] = [:]
            var total = 0
            for try await message in telegram.history(chatID: chat) {
                total += 1
                if total % 100 == 0 { Progress.show(messages: total) }
                guard case .text(let text) = message.content else { continue }
                for word in text.text.text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                where word.count > 1 {
                    counts[String(word), default: 0] += 1
                }
            }
            Progress.show(messages: total)
            Progress.finish()
            let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top)
            if json {
                Output.line(
                    TDJSONValue.object([
                        "messages": .int(Int64(total)),
                        "words": .array(
                            ranked.map { .object(["word": .string($0.key), "count": .int(Int64($0.value))]) }),
                    ]).jsonString())
            } else {
                Output.table(["word", "count"], ranked.map { [$0.key, String($0.value)] })
            }
        }
    }
}

/// A one-line progress display on standard error.
enum Progress {
    static func show(messages: Int) {
        let filled = min(30, messages / 10 % 31)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(messages) messages".utf8))
    }

    static func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Call any TDLib method with raw JSON parameters.")
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "The method, e.g. getOption.") var method: String
    @Argument(help: #"The parameters as a JSON object, e.g. '{"name":"version"}'."#) var parameters = "{}"

    func run() async throws {
        let request = try RawRequest.make(method, parameters)
        try await Session.run(options) { telegram in
            Output.line(try await telegram.send(json: request).string)
        }
    }
}

struct Execute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a synchronous TDLib method (no login), e.g. parseTextEntities or getTextEntities.")
    @Argument(help: "The method.") var method: String
    @Argument(help: "The parameters as a JSON object.") var parameters = "{}"
    @Option(help: "The libtdjson to load (env TDLIB_PATH).") var tdlibPath: String?

    func run() async throws {
        let request = try RawRequest.make(method, parameters)
        let library = try TDLibrary.load(path: tdlibPath)
        let manager = try TDClientManager.shared(for: library, tdlibLogVerbosity: 0)
        Output.line(try manager.execute(json: request).string)
    }
}

/// A raw request: the parameters object with `@type` set to the method.
enum RawRequest {
    static func make(_ method: String, _ parameters: String) throws -> String {
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw ValidationError("the method must be a TDLib method name, like getOption")
        }
        let body = parameters.trimmingCharacters(in: .whitespacesAndNewlines)
        guard body.hasPrefix("{"), body.hasSuffix("}"),
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) is [String: Any]
        else {
            throw ValidationError("the parameters must be a JSON object, like '{\"name\":\"version\"}'")
        }
        let inner = body.dropFirst().dropLast().trimmingCharacters(in: .whitespacesAndNewlines)
        return "{\"@type\":\"\(method)\"" + (inner.isEmpty ? "" : "," + inner) + "}"
    }
}
