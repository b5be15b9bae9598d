import BotLogin
import ChatStats
import ClearGroupMessages
import ExampleSupport
import Foundation
import GetMe
import InstantView
import NonBlockingLogin
import PingPong
import SendText
import TDLib
import TDLibAPI
import TDLibSimulator
import Telegram
import Testing

/// python-telegram's example programs in Swift, each run on the simulator as `swift run` runs it.
@Suite(.timeLimit(.minutes(2))) struct PythonTelegramExamplesTests {
    /// Runs `body` with a client of a new simulator (no scripted events unless given), logged in as the
    /// example's account unless `login` is false, then shuts the simulator's client manager down.
    private func withExample<T: Sendable>(
        _ account: ExampleRunner.Account, events: [SimulatorScenario.Event] = [], login: Bool = true,
        _ body: (Telegram) async throws -> T
    ) async throws -> T {
        var scenario = SimulatorScenario.default
        scenario.events = events
        let simulator = TDSimulator(scenario: scenario)
        var configuration = try ExampleRunner.simulatorConfiguration(simulator, account: account)
        configuration.stepTimeout = .seconds(30)
        let result: Result<T, any Error>
        do {
            result = .success(
                try await withTelegram(configuration) { tg in
                    if login { _ = try await tg.login(blocking: true, prompter: AliceCode()) }
                    return try await body(tg)
                })
        } catch {
            result = .failure(error)
        }
        try await TDClientManager.shared(for: simulator).shutdown(timeout: .seconds(30))
        return try result.get()
    }

    @Test func getMePrintsTheUser() async throws {
        let line = try await withExample(.user) { tg in GetMe.describe(try await GetMe.me(on: tg)) }
        #expect(line == "1001: Alice Simulated (@alice_sim)")
    }

    @Test func botLoginLogsInWithTheTokenAndIsABot() async throws {
        let bot = try await withExample(.bot) { tg in try await BotLogin.bot(on: tg) }
        #expect(bot.id == 1_000_001)
        #expect(BotLogin.isBot(bot))
    }

    @Test func theNonBlockingLoginAsksForTheCodeItself() async throws {
        let (state, said) = try await withExample(.user, login: false) { tg in
            let lines = LinesSaid()
            let state = try await NonBlockingLogin.login(tg, ask: AliceCode(), say: lines.append)
            return (state, lines.all)
        }
        #expect(state == .ready)
        #expect(said.contains("A code is needed: this program asks for it, not the library"))
        #expect(said.last == "Authorization state: ready")
    }

    @Test func sendTextReturnsTheMessageOnceTelegramHasIt() async throws {
        let sent = try await withExample(.user) { tg in try await SendText.send("Hello", to: 2001, on: tg) }
        #expect(sent.sendingState == nil)
        #expect(sent.textOrCaption == "Hello")
        #expect(sent.chatId == 2001)
    }

    @Test func pingPongAnswersPingInAnyCaseAndNothingElse() async throws {
        let events = [(2001 as Int64, "hello"), (-3001, "PING"), (2001, "ping")].enumerated().map { index, message in
            SimulatorScenario.Event(
                type: "incomingMessage", after: 0.001 * Double(index + 1), chatID: message.0, senderID: 2001,
                text: message.1)
        }
        // The handler and the stream are in place before the login, after which the messages come.
        let sent = try await withExample(.user, events: events, login: false) { tg in
            let succeeded = tg.updates(of: UpdateMessageSendSucceeded.self)
            PingPong.register(on: tg)
            _ = try await tg.login(blocking: true, prompter: AliceCode())
            var sent: [String] = []
            for await update in succeeded {
                sent.append("\(update.message.chatId) \(update.message.textOrCaption ?? "")")
                if sent.count == 2 { break }
            }
            return sent
        }
        #expect(sent == ["-3001 pong", "2001 pong"])
    }

    @Test func chatStatsCountsTheLongerWordsOfTheHistory() async throws {
        let texts = try await withExample(.user) { tg in try await ChatStats.texts(in: -3001, limit: 1000, on: tg) }
        #expect(texts == ["The lake, if it is sunny.", "Hiking or the lake?"])
        let words = ChatStats.mostCommonWords(in: texts, count: 30)
        #expect(words.map(\.word) == ["lake", "hiking", "sunny"])
        #expect(words.map(\.count) == [2, 1, 1])
        #expect(ChatStats.mostCommonWords(in: texts, count: 1).map(\.word) == ["lake"])
    }

    @Test func instantViewShowsTDLibsErrorForAPageWithoutOne() async throws {
        try await withExample(.user) { tg in
            do {
                _ = try await InstantView.title(of: "https://example.com/", on: tg)
                Issue.record("the simulator has no instant views")
            } catch let error as TDLibError {
                #expect(error.code == 404)
                #expect(error.message == "Not Found")
            }
        }
    }

    @Test func clearGroupMessagesDeletesOnlyMyMessagesAfterConfirming() async throws {
        let (refused, deleted, left, others) = try await withExample(.user) { tg in
            for text in ["one", "two", "three"] { _ = try await tg.sendMessageAndWait(chatID: -3001, text: text) }
            let refused = try await ClearGroupMessages.clear(-3001, on: tg) { _ in false }
            let deleted = try await ClearGroupMessages.clear(-3001, on: tg) { _ in true }
            let left = try await ClearGroupMessages.messages(of: 1001, in: -3001, on: tg)
            let others = try await ClearGroupMessages.messages(of: 2001, in: -3001, on: tg)
            return (refused, deleted, left, others)
        }
        #expect(refused == 0)
        #expect(deleted == 3)
        #expect(left.isEmpty)
        #expect(others.count == 1)
    }
}

/// What an example reported, in order.
private final class LinesSaid: Sendable {
    private let lines = Locked<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Alice's login code on the simulator.
private struct AliceCode: TelegramPrompter {
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
