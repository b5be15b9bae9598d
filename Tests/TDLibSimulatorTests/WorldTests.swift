import Foundation
import Testing

@testable import TDLibAPIClient
@testable import TDLibSimulator

@Suite("Simulator: the world")
struct WorldTests {
    /// A client logged in as Alice.
    func alice(_ telegram: SimulatedTelegram) async throws -> (TDClient, UpdateLog) {
        let (client, log) = try await telegram.client()
        _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "+15550100001"))
        _ = try await client.send(CheckAuthenticationCode(code: "11111"))
        _ = try await log.next {
            if case .authorizationState(let s) = $0, case .ready = s.authorizationState { true } else { nil }
        }
        return (client, log)
    }

    @Test func chatsLoadAndEndWith404() async throws {
        try await withSimulator { telegram in
            let (client, log) = try await alice(telegram)
            _ = try await client.send(LoadChats(chatList: .main(ChatListMain()), limit: 3))
            _ = try await client.send(LoadChats(chatList: .main(ChatListMain()), limit: 3))
            await expectTDLibError(404, "Not Found") {
                _ = try await client.send(LoadChats(chatList: .main(ChatListMain()), limit: 3))
            }
            var newChats: [Int64] = []
            for _ in 0..<5 {
                newChats.append(
                    try await log.next { if case .newChat(let update) = $0 { update.chat.id } else { nil } })
            }
            #expect(Set(newChats).count == 5)

            let chats = try await client.send(GetChats(chatList: .main(ChatListMain()), limit: 10))
            #expect(chats.totalCount == 5)
            #expect(chats.chatIds.count == 5)
            let group = try await client.send(GetChat(chatId: -3001))
            #expect(group.title == "Weekend plans")
            guard case .basicGroup(let type) = group.type else {
                Issue.record("expected a basic group")
                return
            }
            #expect(type.basicGroupId == 3001)
            await expectTDLibError(400, "Chat not found") { _ = try await client.send(GetChat(chatId: 42)) }
        }
    }

    @Test func historyPagesFromNewestToOldest() async throws {
        try await withSimulator { telegram in
            let (client, _) = try await alice(telegram)
            let latest = try await client.send(
                GetChatHistory(chatId: -3001, fromMessageId: 0, offset: 0, limit: 1, onlyLocal: false))
            let newest = try #require(latest.messages.first ?? nil)
            guard case .text(let text) = newest.content else {
                Issue.record("expected a text message")
                return
            }
            #expect(text.text.text == "The lake, if it is sunny.")
            let older = try await client.send(
                GetChatHistory(chatId: -3001, fromMessageId: newest.id, offset: 0, limit: 10, onlyLocal: false))
            // As TDLib: from_message_id itself is left out at offset 0, and offset -1 takes it in.
            #expect(older.messages.compactMap { $0?.id } == [newest.id - (1 << 20)])
            let withIt = try await client.send(
                GetChatHistory(chatId: -3001, fromMessageId: newest.id, offset: -1, limit: 10, onlyLocal: false))
            #expect(withIt.messages.compactMap { $0?.id } == [newest.id, newest.id - (1 << 20)])
            let one = try await client.send(GetMessage(chatId: -3001, messageId: newest.id))
            #expect(one == newest)
            await expectTDLibError(404, "Not Found") {
                _ = try await client.send(GetMessage(chatId: -3001, messageId: 12345))
            }
        }
    }

    @Test func historyParametersAreCheckedAsTDLibChecksThem() async throws {
        try await withSimulator { telegram in
            let (client, log) = try await telegram.client()
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(CheckAuthenticationBotToken(token: "1000001:SIMULATOR-BOT-TOKEN"))
            func history(chat: Int64 = 2001, offset: Int32 = 0, limit: Int32) async throws -> Messages {
                try await client.send(
                    GetChatHistory(chatId: chat, fromMessageId: 0, offset: offset, limit: limit, onlyLocal: false))
            }
            // Checked before the chat, in TDLib's order (MessagesManager::get_dialog_history).
            await expectTDLibError(400, "Parameter limit must be positive") { _ = try await history(chat: 9, limit: 0) }
            await expectTDLibError(400, "Parameter offset must be non-positive") {
                _ = try await history(offset: 1, limit: 10)
            }
            await expectTDLibError(400, "Parameter offset must be greater than -100") {
                _ = try await history(offset: -100, limit: 500)
            }
            await expectTDLibError(400, "Parameter offset must be greater than or equal to -limit") {
                _ = try await history(offset: -11, limit: 10)
            }
            await expectTDLibError(400, "Chat not found") { _ = try await history(chat: 9, limit: 10) }
            #expect(try await history(limit: 1_000).messages.count <= 100)
        }
    }

    @Test func sendMessageAnswersPendingThenSucceedsAndTheScenarioReplies() async throws {
        let clock = SimulatorClock.manual()
        try await withSimulator(clock: clock) { telegram in
            let (client, log) = try await alice(telegram)
            let pending = try await client.send(
                SendMessage(
                    chatId: 2001,
                    inputMessageContent: .text(
                        InputMessageText(text: FormattedText(text: "ping", entities: []), clearDraft: false))))
            guard case .pending = pending.sendingState else {
                Issue.record("expected a pending message")
                return
            }
            #expect(pending.isOutgoing)
            let succeeded = try await log.next {
                if case .messageSendSucceeded(let update) = $0 { update } else { nil }
            }
            #expect(succeeded.oldMessageId == pending.id)
            #expect(succeeded.message.sendingState == nil)
            let last = try await log.next { if case .chatLastMessage(let update) = $0 { update } else { nil } }
            #expect(last.lastMessage?.id == succeeded.message.id)
            // The scenario's reply comes 0.05 s later; its scripted "ping" at 2 s stays in the future.
            clock.advance(by: .milliseconds(50))
            let reply = try await log.next {
                if case .newMessage(let update) = $0, !update.message.isOutgoing { update.message } else { nil }
            }
            guard case .text(let text) = reply.content else {
                Issue.record("expected a text reply")
                return
            }
            #expect(text.text.text == "pong")

            _ = try await client.send(DeleteMessages(chatId: 2001, messageIds: [succeeded.message.id], revoke: true))
            let deleted = try await log.next { if case .deleteMessages(let update) = $0 { update } else { nil } }
            #expect(deleted.messageIds == [succeeded.message.id])
            await expectTDLibError(404, "Not Found") {
                _ = try await client.send(GetMessage(chatId: 2001, messageId: succeeded.message.id))
            }
            await expectTDLibError(400, "Message must be non-empty") {
                _ = try await client.send(
                    SendMessage(
                        chatId: 2001,
                        inputMessageContent: .text(
                            InputMessageText(text: FormattedText(text: "  ", entities: []), clearDraft: false))))
            }
        }
    }

    @Test func usersContactsGroupsAndOptions() async throws {
        try await withSimulator { telegram in
            let (client, _) = try await alice(telegram)
            #expect(try await client.send(GetUser(userId: 2001)).firstName == "Dave")
            await expectTDLibError(404, "User not found") { _ = try await client.send(GetUser(userId: 7)) }
            _ = try await client.send(GetUserFullInfo(userId: 2002))
            let imported = try await client.send(
                ImportContacts(contacts: [
                    ImportedContact(phoneNumber: "+1 555 010 2002", firstName: "Erin", lastName: "", note: nil),
                    ImportedContact(phoneNumber: "+1 555 000 0000", firstName: "Nobody", lastName: "", note: nil),
                ]))
            #expect(imported.userIds == [2002, 0])
            let info = try await client.send(GetSupergroupFullInfo(supergroupId: 4001))
            #expect(info.memberCount == 3)
            await expectTDLibError(400, "Supergroup not found") {
                _ = try await client.send(GetSupergroupFullInfo(supergroupId: 1))
            }
            let group = try await client.send(CreateBasicGroupChat(basicGroupId: 3001, force: false))
            #expect(group.id == -3001)
            await expectTDLibError(404, "Not Found") {
                _ = try await client.send(GetWebPageInstantView(url: "https://example.com", onlyLocal: false))
            }
            let proxy = try await client.send(
                AddProxy(
                    proxy: Proxy(
                        server: "127.0.0.1", port: 1080, type: .socks5(ProxyTypeSocks5(username: "u", password: "p"))),
                    enable: true, comment: ""))
            #expect(proxy.isEnabled)
            #expect(try await client.send(GetOption(name: "version")) == .string(OptionValueString(value: "1.8.66")))
            #expect(try await client.send(TestSquareInt(x: 7)).value == 49)
        }
    }

    @Test func faultKnobsInjectErrorsAndLatency() async throws {
        var scenario = SimulatorScenario.default
        scenario.faults = SimulatorScenario.Faults(
            latencyMilliseconds: 30,
            errors: [SimulatorScenario.ScheduledError(method: "testCallEmpty", call: 2, code: 500, message: "Injected")]
        )
        try await withSimulator(scenario) { telegram in
            let client = try telegram.manager.createClient(updateBuffering: .discard)
            let start = ContinuousClock.now
            _ = try await client.send(TestCallEmpty())
            #expect(ContinuousClock.now - start >= .milliseconds(30))
            await expectTDLibError(500, "Injected") { _ = try await client.send(TestCallEmpty()) }
            _ = try await client.send(TestCallEmpty())
            try await client.close()
        }
    }

    @Test func updateFloodArrivesAtTheConfiguredRate() async throws {
        var scenario = SimulatorScenario.default
        scenario.events = []
        scenario.faults = SimulatorScenario.Faults(updatesPerSecond: 5_000)
        let clock = SimulatorClock.manual()
        try await withSimulator(scenario, clock: clock) { telegram in
            let (client, log) = try await telegram.client()
            _ = try await client.send(CheckAuthenticationBotToken(token: "1000001:SIMULATOR-BOT-TOKEN"))
            // 0.3 s at 5,000 a second: 30 ticks of 50 updates each, after setTdlibParameters' own unix_time.
            clock.advance(by: .milliseconds(305))
            for _ in 0..<1_501 {
                _ = try await log.next {
                    if case .option(let option) = $0, option.name == "unix_time" { true } else { nil }
                }
            }
        }
    }
}
