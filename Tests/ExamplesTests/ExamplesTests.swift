import CommandBot
import ConversationUserbot
import EchoBot
import ExampleSupport
import Foundation
import KeyboardBot
import TDLib
import TDLibAPI
import TDLibSimulator
import Telegram
import Testing

/// The example programs, driven by simulated users who write to them; what each sends back is checked.
@Suite(.timeLimit(.minutes(2))) struct ExamplesTests {
    /// A simulated user's message, delivered in order, a millisecond apart.
    typealias Incoming = (chatID: Int64, senderID: Int64, text: String)

    /// Logs in as the example's account, registers it, delivers `incoming`, and returns the texts the
    /// example sent, once it has sent `count` of them.
    private func run(
        _ account: ExampleRunner.Account, incoming: [Incoming], replies: [SimulatorScenario.Event] = [],
        expecting count: Int, register: @Sendable (Telegram) -> Void
    ) async throws -> [String] {
        var scenario = SimulatorScenario.default
        scenario.events =
            replies
            + incoming.enumerated().map { index, message in
                SimulatorScenario.Event(
                    type: "incomingMessage", after: 0.001 * Double(index + 1), chatID: message.chatID,
                    senderID: message.senderID, text: message.text)
            }
        let simulator = TDSimulator(scenario: scenario)
        var configuration = try ExampleRunner.simulatorConfiguration(simulator, account: account)
        configuration.stepTimeout = .seconds(30)
        let sent = try await withTelegram(configuration) { tg in
            let sent = tg.updates(of: UpdateMessageSendSucceeded.self)
            register(tg)
            _ = try await tg.login(blocking: true, prompter: CodePrompter())
            var texts: [String] = []
            for await update in sent {
                texts.append(update.message.textOrCaption ?? "")
                if texts.count == count { break }
            }
            return texts
        }
        try await TDClientManager.shared(for: simulator).shutdown(timeout: .seconds(30))
        return sent
    }

    @Test func theEchoBotSendsEachTextBack() async throws {
        let sent = try await run(.bot, incoming: [(2001, 2001, "hello"), (-3001, 2002, "echo?")], expecting: 2) {
            EchoBot.register(on: $0)
        }
        #expect(sent == ["hello", "echo?"])
    }

    @Test func theCommandBotAnswersEachCommandAndAnythingElse() async throws {
        let incoming: [Incoming] = [
            (2001, 2001, "/start"), (2001, 2001, "/add 2 3 37"), (2001, 2001, "/add"), (2001, 2001, "/help"),
            (2001, 2001, "what?"), (-3001, 2002, "chatter in a group"), (2001, 2001, "/start@echo_sim_bot"),
        ]
        let sent = try await run(.bot, incoming: incoming, expecting: 6) { CommandBot.register(on: $0) }
        #expect(
            sent == [
                "Hello! Send /help to see what I can do.", "42", "Give me numbers: /add 2 3", "/add 2 3 adds numbers.",
                "I only know /start, /help and /add.", "Hello! Send /help to see what I can do.",
            ])
    }

    @Test func theUserbotAsksTheNameAndGreetsByIt() async throws {
        let reply = SimulatorScenario.Event(
            type: "reply", after: 0.01, chatID: 2001, senderID: 2001, text: "Dave", whenText: "Hi! What is your name?")
        let sent = try await run(.user, incoming: [(2001, 2001, "hi")], replies: [reply], expecting: 2) {
            ConversationUserbot.register(on: $0)
        }
        #expect(sent == ["Hi! What is your name?", "Nice to meet you, Dave."])
    }
}

/// A user (Alice) who talks to the example bots in the same simulator.
@Suite(.timeLimit(.minutes(2))) struct KeyboardBotTests {
    @Test func aVoteIsAnsweredAndTheQuestionEditedToShowTheChoice() async throws {
        var scenario = SimulatorScenario.default
        scenario.events = []
        let simulator = TDSimulator(scenario: scenario)
        let bot = try await Telegram(configuration: ExampleRunner.simulatorConfiguration(simulator, account: .bot))
        let alice = try await Telegram(configuration: ExampleRunner.simulatorConfiguration(simulator, account: .user))
        do {
            _ = try await bot.login(blocking: false)
            KeyboardBot.register(on: bot)
            _ = try await alice.login(blocking: true, prompter: CodePrompter())
            let botChat = try await alice.send(SearchPublicChat(username: "echo_sim_bot"))
            let incoming = alice.updates(of: UpdateNewMessage.self)
            let edits = alice.updates(of: UpdateMessageContent.self)
            _ = try await alice.sendMessage(chatID: botChat.id, text: "/vote")
            var asked: Message?
            for await new in incoming where new.message.chatId == botChat.id && !new.message.isOutgoing {
                asked = new.message
                break
            }
            let question = try #require(asked)
            #expect(question.textOrCaption == "Which language?")
            #expect(question.replyMarkup == KeyboardBot.keyboard.replyMarkup)
            let answer = try await alice.pressButton(in: question, callbackData: "swift")
            #expect(answer.text == "Thanks for voting swift")
            for await edit in edits where edit.messageId == question.id {
                guard case .text(let text) = edit.newContent else { continue }
                #expect(text.text.text == "Which language? You chose swift.")
                break
            }
        } catch {
            Issue.record(error)
        }
        await alice.stop()
        await bot.stop()
        try await TDClientManager.shared(for: simulator).shutdown(timeout: .seconds(30))
    }
}

/// Alice's login code on the simulator.
private struct CodePrompter: TelegramPrompter {
    func code(_ info: AuthenticationCodeInfo) async throws -> String { "11111" }
    func password(hint: String) async throws -> String { "" }
    func emailAddress() async throws -> String { "" }
    func emailCode(_ info: EmailAddressAuthenticationCodeInfo) async throws -> String { "" }
    func registration(termsOfService: TermsOfService) async throws -> (firstName: String, lastName: String) {
        ("", "")
    }
    func showQRLink(_ link: String) async {}
    func show(error: TDLibError) async {}
}
