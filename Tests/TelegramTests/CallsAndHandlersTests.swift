import Foundation
import TDLib
import TDLibSimulator
import Telegram
import TelegramText
import Testing

@Suite("Telegram: calls and updates against the simulator")
struct TelegramCallsTests {
    func loggedIn(_ simulator: TDSimulator, phone: String = "+15550100001", code: String = "11111") async throws
        -> Telegram
    {
        let tg = try await Telegram(configuration: try simulatedConfiguration(simulator: simulator, phone: phone))
        _ = try await tg.login(blocking: false)
        try await tg.sendCode(code)
        return tg
    }

    @Test func everyCallReturnsTheWorld() async throws {
        try await withSimulator { simulator in
            let tg = try await loggedIn(simulator)
            #expect(try await tg.getMe().id == 1001)
            #expect(try await tg.getUser(2001).usernames?.activeUsernames == ["dave_sim"])
            _ = try await tg.getUserFullInfo(2002)
            let chats = try await tg.getChats(limit: 3)
            #expect(chats.chatIds.count == 3)
            #expect(chats.totalCount == 5)
            try await tg.loadChats(limit: 10)
            do {
                try await tg.loadChats(limit: 10)
                Issue.record("expected 404 once every chat is loaded")
            } catch let error as TDLibError {
                #expect(error.code == 404)
            }
            #expect(try await tg.getChat(-3001).title == "Weekend plans")
            // As TDLib: a chat just loaded holds only its last message; the page below it has the rest.
            let history = try await tg.getChatHistory(chatID: -3001, limit: 10)
            #expect(history.messages.count == 1)
            let newest = try #require(history.messages.first ?? nil)
            let older = try await tg.getChatHistory(chatID: -3001, limit: 10, fromMessageID: newest.id)
            #expect(older.messages.compactMap { $0?.id } == [newest.id - (1 << 20)])
            #expect(try await tg.getMessage(chatID: -3001, messageID: newest.id) == newest)
            let pending = try await tg.sendMessage(chatID: 2002, text: "Hello, Erin")
            guard case .pending = pending.sendingState else {
                Issue.record("sendMessage answers with the pending message")
                return
            }
            let sent = try await tg.sendMessageAndWait(chatID: 2002, text: "Second message")
            #expect(sent.sendingState == nil)
            try await tg.deleteMessages(chatID: 2002, messageIDs: [sent.id])
            let imported = try await tg.importContacts([
                ImportedContact(phoneNumber: "+15550102001", firstName: "Dave", lastName: "", note: nil)
            ])
            #expect(imported.userIds == [2001])
            #expect(try await tg.getSupergroupFullInfo(4001).memberCount == 3)
            #expect(try await tg.createBasicGroupChat(3001).id == -3001)
            do {
                _ = try await tg.getWebPageInstantView(url: "https://example.com")
                Issue.record("expected 404 for a page with no instant view")
            } catch let error as TDLibError {
                #expect(error.code == 404)
            }
            await tg.stop()
        }
    }

    @Test func rawAndTypedCallsMixOnOneClient() async throws {
        try await withSimulator { simulator in
            let tg = try await loggedIn(simulator)
            let raw = try await tg.callMethod("getUser", ["user_id": 2002])
            #expect(raw.type == "user")
            let fields = try raw.jsonObject()
            #expect(fields["first_name"] as? String == "Erin")
            let typed = try await tg.send(GetUser(userId: 2002))
            #expect(typed.firstName == "Erin")
            let option = try await tg.callMethod("getOption", ["name": "version"])
            #expect(try option.decode(as: OptionValue.self) == .string(OptionValueString(value: "1.8.66")))
            do {
                _ = try await tg.callMethod("getChat", ["chat_id": 999])
                Issue.record("expected an error for an unknown chat")
            } catch let error as TDLibError {
                #expect(error == TDLibError(code: 400, message: "Chat not found"))
            }
            let invalid = await #expect(throws: TDClientError.self) {
                _ = try await tg.callMethod("getChat", ["@extra": 1])
            }
            #expect(invalid?.code == .invalidRequest)
            await tg.stop()
        }
    }

    @Test func handlersSurviveAThrowingHandlerAndCanBeRemoved() async throws {
        try await withSimulator { simulator in
            let tg = try await loggedIn(simulator)
            let seen = Locked<[String]>([])
            struct Boom: Error {}
            tg.addMessageHandler { _ in throw Boom() }
            let counting = tg.addMessageHandler { message in
                if case .text(let text) = message.content { seen.withLock { $0.append(text.text.text) } }
            }
            _ = try await tg.sendMessage(chatID: 2001, text: "ping")
            try await waitUntil { seen.withLock { $0.contains("pong") } }
            #expect(seen.withLock { $0 }.contains("ping"))
            tg.removeUpdateHandler(counting)
            let before = seen.withLock { $0.count }
            // Handlers run in the order they were added, one update at a time: once a handler added
            // later has seen the message, a removed handler that still ran would have seen it first.
            let (marker, markerSeen) = AsyncStream<Void>.makeStream()
            tg.addMessageHandler { message in
                if case .text(let text) = message.content, text.text.text == "after removal" { markerSeen.yield() }
            }
            _ = try await tg.sendMessage(chatID: 2002, text: "after removal")
            for await _ in marker { break }
            #expect(seen.withLock { $0.count } == before)
            await tg.stop()
        }
    }

    @Test func aHandlerMayStopTheClientAndStreamsEnd() async throws {
        try await withSimulator { simulator in
            let tg = try await loggedIn(simulator)
            let messages = tg.updates(types: ["updateNewMessage"])
            let reader = Task {
                var count = 0
                for await _ in messages { count += 1 }
                return count
            }
            tg.addMessageHandler { message in
                if case .text(let text) = message.content, text.text.text == "pong" { await tg.stop() }
            }
            _ = try await tg.sendMessage(chatID: 2001, text: "ping")
            try await waitUntil { tg.authorizationState == .closed }
            #expect(tg.isStopped)
            let count = await reader.value
            #expect(count >= 2)
            let error = await #expect(throws: TDClientError.self) { _ = try await tg.getMe() }
            #expect(error?.code == .clientClosed)
            await tg.stop()
        }
    }

    @Test func stopFailsRequestsInFlightAndIsIdempotent() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            simulator.hold("testCallEmpty")
            let inFlight = (0..<10).map { _ in Task { try await tg.send(TestCallEmpty()) } }
            try await simulator.waitForRequests("testCallEmpty", count: 10)  // all sent, none answered
            await tg.stop(closeTimeout: .milliseconds(200))
            for request in inFlight {
                await #expect(throws: (any Error).self) { _ = try await request.value }
            }
            await tg.stop()
        }
    }
}

/// Polls `condition`, which the code under test makes true by itself, until it holds.
///
/// The timeout only ends a hang (and records it); it is far beyond any time the condition takes.
func waitUntil(timeout: Duration = .seconds(60), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("the condition did not hold within \(timeout)")
            return
        }
        try await Task.sleep(for: .milliseconds(10))  // how often to look again; the condition decides
    }
}

@Suite("Telegram: formatted text")
struct TelegramStyledTextTests {
    @Test func styledTextIsSentWithItsEntitiesComputedLocally() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            _ = try await tg.login(blocking: false)
            try await tg.sendCode("11111")
            let name = "<Dave & co>"
            let message = try await tg.sendMessage(
                chatID: 2001, "Hi \(Bold(name)), see \(Link("this", url: "https://example.com"))")
            guard case .text(let text) = message.content else {
                Issue.record("expected a text message")
                return
            }
            #expect(text.text.text == "Hi <Dave & co>, see this")
            #expect(text.text.entities.count == 2)
            await tg.stop()
        }
    }
}
