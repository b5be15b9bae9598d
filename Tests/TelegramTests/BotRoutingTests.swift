import Foundation
import TDLib
import TDLibAPI
import TDLibSimulator
import Telegram
import Testing

/// Routes, commands and typed handlers, driven by messages that simulated users send to a bot.
@Suite struct BotRoutingTests {
    /// A scenario where users 2001 (private chat 2001) and 2002 (basic group -3001) write to the bot, in order.
    private func scenario(_ messages: [(chatID: Int64, senderID: Int64, text: String)]) -> SimulatorScenario {
        var scenario = SimulatorScenario.default
        scenario.events = messages.enumerated().map { index, message in
            SimulatorScenario.Event(
                type: "incomingMessage", after: 0.001 * Double(index + 1), chatID: message.chatID,
                senderID: message.senderID, text: message.text)
        }
        return scenario
    }

    /// Logs the bot in, lets `register` add its handlers, delivers the scenario's messages, and returns what
    /// the handlers recorded once a handler added last has seen "/end" (handlers run in order, one message at a time).
    private func run(
        _ messages: [(chatID: Int64, senderID: Int64, text: String)],
        register: @escaping @Sendable (Telegram, Recorder) -> Void
    ) async throws -> [String] {
        let clock = SimulatorClock.manual()
        var result: [String] = []
        try await withSimulator(scenario(messages + [(2001, 2001, "/end")]), clock: clock) { simulator in
            let tg = try await Telegram(
                configuration: simulatedConfiguration(simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN"))
            let recorder = Recorder()
            register(tg, recorder)
            tg.addMessageHandler { message in if message.textOrCaption == "/end" { recorder.finish() } }
            _ = try await tg.login(blocking: false)
            clock.advance(by: .seconds(1))
            result = try await recorder.lines(within: .seconds(30))
            await tg.stop()
        }
        return result
    }

    @Test func theFirstMatchingRouteTakesAMessageAndPlainHandlersSeeEveryOne() async throws {
        let lines = try await run([
            (2001, 2001, "/start"), (2001, 2001, "/START@echo_sim_bot deep-link  "), (2001, 2001, "/start@other_bot"),
            (-3001, 2002, "/help me please"), (2001, 2001, "/unknown"), (-3001, 2002, "hello"),
        ]) { tg, recorder in
            tg.addMessageHandler { message in recorder.add("every: \(message.textOrCaption ?? "")") }
            tg.onCommand("start", filter: .privateChat) { _, arguments in recorder.add("start [\(arguments)]") }
            tg.onCommand("help", filter: .group && .from(userID: 2002)) { _, arguments in
                recorder.add("help [\(arguments)]")
            }
            tg.onMessage(.text(hasPrefix: "/")) { message in
                recorder.add("unknown command \(message.textOrCaption ?? "")")
            }
            tg.onMessage(.incoming) { message in recorder.add("other: \(message.textOrCaption ?? "")") }
        }
        #expect(
            lines == [
                "every: /start", "start []",
                "every: /START@echo_sim_bot deep-link  ", "start [deep-link]",
                "every: /start@other_bot", "unknown command /start@other_bot",
                "every: /help me please", "help [me please]",
                "every: /unknown", "unknown command /unknown",
                "every: hello", "other: hello",
                "every: /end", "unknown command /end",
            ])
    }

    @Test func typedHandlersAndStreamsGetTheUpdateTypeTheyAskFor() async throws {
        let lines = try await run([(2001, 2001, "one"), (-3001, 2002, "two")]) { tg, recorder in
            tg.on(UpdateNewMessage.self) { update in
                recorder.add("\(update.message.chatId): \(update.message.textOrCaption ?? "")")
            }
            tg.on(UpdateNewChat.self) { update in recorder.add("chat \(update.chat.id)") }
            // TDLib sends bots no updateChatLastMessage (send_update_chat_last_message_impl).
            tg.on(UpdateChatLastMessage.self) { update in recorder.add("last in \(update.chatId)") }
        }
        #expect(lines.filter { !$0.hasPrefix("chat") } == ["2001: one", "-3001: two", "2001: /end"])
        #expect(lines.contains("chat -3001"))
    }

    @Test func filtersTellChatKindsDirectionAndContent() async throws {
        try await withSimulator(scenario([])) { simulator in
            let tg = try await Telegram(
                configuration: simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            _ = try await tg.login(blocking: true, prompter: ScriptedPrompter(["11111"]))
            var texts: [String: Message] = [:]
            _ = try await tg.loadChatsIgnoringEnd()
            for chatID: Int64 in [2001, -3001, -1_000_000_004_001, -1_000_000_004_002] {
                // TDLib's pages may be shorter than asked: page until an empty one.
                var from: Int64 = 0
                while case let page = try await tg.getChatHistory(chatID: chatID, limit: 10, fromMessageID: from)
                    .messages.compactMap({ $0 }), let oldest = page.last
                {
                    for message in page { texts[message.textOrCaption ?? ""] = message }
                    from = oldest.id
                }
            }
            let sent = try await tg.sendMessageAndWait(chatID: 2001, text: "mine")
            func names(_ filter: MessageFilter) -> Set<String> {
                Set(texts.filter { filter.matches($0.value) }.keys)
            }
            #expect(filter(.privateChat, on: sent))
            #expect(filter(.outgoing && .from(userID: 1001), on: sent))
            #expect(!filter(.incoming, on: sent))
            #expect(
                names(.group) == [
                    "Hiking or the lake?", "The lake, if it is sunny.", "Swift 6.3 builds this package in one go.",
                ])
            #expect(names(.channel).contains("Welcome to the simulator's news channel."))
            #expect(names(.photo) == ["The new logo"])
            #expect(names(.document) == ["The release notes"])
            #expect(names(.text(contains: "LAKE")) == ["Hiking or the lake?", "The lake, if it is sunny."])
            #expect(names(.inChat(2001) && .from(userID: 2001)) == ["Hi! Are we still on for Saturday?"])
            await tg.stop()
        }
    }

    private func filter(_ filter: MessageFilter, on message: Message) -> Bool { filter.matches(message) }
}

/// What handlers saw, in order, and the signal that the last message was handled.
final class Recorder: Sendable {
    private let seen = Locked<[String]>([])
    private let done: AsyncStream<Void>
    private let doneContinuation: AsyncStream<Void>.Continuation

    init() { (done, doneContinuation) = AsyncStream<Void>.makeStream() }

    func add(_ line: String) { seen.withLock { $0.append(line) } }
    func finish() { doneContinuation.yield() }

    /// The lines once ``finish()`` was called; fails after `limit` (a hang, never a verdict on speed).
    func lines(within limit: Duration) async throws -> [String] {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { [done] in
                for await _ in done { return true }
                return false
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            defer { group.cancelAll() }
            let finished = try await group.next() ?? false
            try #require(finished, "the handlers did not reach the last message; seen: \(seen.withLock { $0 })")
            return seen.withLock { $0 }
        }
    }
}

extension Telegram {
    /// Loads every chat the account has, so that its chats can be read.
    fileprivate func loadChatsIgnoringEnd() async throws {
        do { try await loadChats(limit: 100) } catch let error as TDLibError where error.code == 404 {}
    }
}
