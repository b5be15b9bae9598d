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
import TelegramTesting
import Testing

/// python-telegram's example programs in Swift, each run as an app of a test world.
@Suite(.timeLimit(.minutes(2))) struct PythonTelegramExamplesTests {
    @Test func getMePrintsTheUser() async throws {
        try await withTestWorld { world in
            let alice = world.account("Alice", username: "alice_sim")
            let tg = try await world.app(alice)
            #expect(GetMe.describe(try await GetMe.me(on: tg)) == "\(alice.id): Alice (@alice_sim)")
        }
    }

    @Test func botLoginLogsInWithTheTokenAndIsABot() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Robo")
            let me = try await BotLogin.bot(on: try await world.app(bot))
            #expect(me.id == bot.id)
            #expect(BotLogin.isBot(me))
        }
    }

    @Test func sendTextReturnsTheMessageOnceTelegramHasIt() async throws {
        try await withTestWorld { world in
            let alice = world.account("Alice")
            let tg = try await world.app(alice)
            let bob = try await world.user("Bob")
            let sent = try await SendText.send("Hello", to: bob.chatID, on: tg)
            #expect(sent.sendingState == nil)
            #expect(sent.textOrCaption == "Hello")
            #expect(try await bob.nextMessage(in: alice).textOrCaption == "Hello")
        }
    }

    @Test func pingPongAnswersPingInAnyCaseAndNothingElse() async throws {
        try await withTestWorld { world in
            let alice = world.account("Alice")
            PingPong.register(on: try await world.app(alice))
            let bob = try await world.user("Bob")
            let friends = world.group("Friends", members: [alice, bob.account])

            try await bob.send("hello", to: alice)
            try await bob.send("PING", to: friends)
            #expect(try await bob.nextMessage(in: friends).textOrCaption == "pong")
            try await bob.send("ping", to: alice)
            #expect(try await bob.nextMessage(in: alice).textOrCaption == "pong")
            #expect(bob.unreadMessages.isEmpty, "\(world.transcript)")
        }
    }

    @Test func chatStatsCountsTheLongerWordsOfTheHistory() async throws {
        try await withTestWorld { world in
            let alice = world.account("Alice")
            let bob = world.account("Bob")
            let friends = world.group("Friends", members: [alice, bob])
            world.addMessage("Hiking or the lake?", from: bob, in: friends)
            world.addMessage("The lake, if it is sunny.", from: alice, in: friends)

            let texts = try await ChatStats.texts(in: friends.chatID, limit: 1000, on: try await world.app(alice))
            #expect(texts == ["The lake, if it is sunny.", "Hiking or the lake?"])
            let words = ChatStats.mostCommonWords(in: texts, count: 30)
            #expect(words.map(\.word) == ["lake", "hiking", "sunny"])
            #expect(words.map(\.count) == [2, 1, 1])
            #expect(ChatStats.mostCommonWords(in: texts, count: 1).map(\.word) == ["lake"])
        }
    }

    @Test func instantViewShowsTDLibsErrorForAPageWithoutOne() async throws {
        try await withTestWorld { world in
            let tg = try await world.app(world.account("Alice"))
            let error = await #expect(throws: TDLibError.self) {
                _ = try await InstantView.title(of: "https://example.com/", on: tg)
            }
            #expect(error?.code == 404)
            #expect(error?.message == "Not Found")
        }
    }

    @Test func clearGroupMessagesDeletesOnlyMyMessagesAfterConfirming() async throws {
        try await withTestWorld { world in
            let alice = world.account("Alice")
            let bob = world.account("Bob")
            let friends = world.group("Friends", members: [alice, bob])
            world.addMessage("hello", from: bob, in: friends)
            let tg = try await world.app(alice)
            for text in ["one", "two", "three"] {
                _ = try await tg.sendMessageAndWait(chatID: friends.chatID, text: text)
            }

            #expect(try await ClearGroupMessages.clear(friends.chatID, on: tg) { _ in false } == 0)
            #expect(try await ClearGroupMessages.clear(friends.chatID, on: tg) { _ in true } == 3)
            #expect(try await ClearGroupMessages.messages(of: alice.id, in: friends.chatID, on: tg).isEmpty)
            #expect(try await ClearGroupMessages.messages(of: bob.id, in: friends.chatID, on: tg).count == 1)
        }
    }

    /// The one example that drives the login itself, so it runs on a simulator of its own, not logged in.
    @Test func theNonBlockingLoginAsksForTheCodeItself() async throws {
        let simulator = TDSimulator(scenario: .default)
        var configuration = try ExampleRunner.simulatorConfiguration(simulator, account: .user)
        configuration.stepTimeout = .seconds(30)
        let said = LinesSaid()
        let state: Result<LoginState, any Error>
        do {
            state = .success(
                try await withTelegram(configuration) { tg in
                    try await NonBlockingLogin.login(tg, ask: AliceCode(), say: said.append)
                })
        } catch {
            state = .failure(error)
        }
        try await TDClientManager.shared(for: simulator).shutdown(timeout: .seconds(30))
        #expect(try state.get() == .ready)
        #expect(said.all.contains("A code is needed: this program asks for it, not the library"))
        #expect(said.all.last == "Authorization state: ready")
    }
}

/// What an example reported, in order.
private final class LinesSaid: Sendable {
    private let lines = Locked<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Alice's login code on the default simulator.
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
