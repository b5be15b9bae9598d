import Foundation
import Testing

@testable import TDLibAPIClient
@testable import TDLibSimulator

/// Paging and chat lists as TDLib does them (MessagesManager::get_dialog_history, get_dialogs,
/// load_dialog_list), checked through the C interface for the exact order of updates.
@Suite("Simulator: paging and chat lists")
struct PagingTests {
    /// The default world plus a supergroup of `messages` messages from Dave, Erin and a user who is not a
    /// member, with the network instant so that every object comes before `send` returns.
    static func bigChat(messages: Int) -> SimulatorScenario {
        var scenario = SimulatorScenario.default
        scenario.network = .instant
        scenario.users = (scenario.users ?? []) + [SimulatorScenario.User(id: 3001, firstName: "Stranger")]
        scenario.chats =
            [SimulatorScenario.Chat(id: -1_000_000_009_001, kind: "supergroup", title: "Big", memberIDs: [2001, 2002])]
            + (scenario.chats ?? [])
        scenario.messages = (0..<messages).map {
            SimulatorScenario.Message(chatID: -1_000_000_009_001, senderID: [2001, 2002, 3001][$0 % 3], text: "m\($0)")
        }
        return scenario
    }

    /// The message identifiers of a `getChatHistory` answer.
    static func ids(_ answer: [String: Any]?) -> [Int64] {
        (answer?["messages"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
    }

    static func history(_ client: RawClient, chat: Int64, from: Int64, offset: Int = 0, limit: Int = 100) throws
        -> [Int64]
    {
        let objects = try client.call(
            #"{"@type":"getChatHistory","chat_id":\#(chat),"from_message_id":\#(from),"offset":\#(offset),"limit":\#(limit)}"#
        )
        return ids(objects.last)
    }

    @Test func pagingByFromMessageIdGivesEveryMessageOnceAfterAShortFirstPage() throws {
        let simulator = TDSimulator(scenario: Self.bigChat(messages: 1_000), clock: .manual())
        let client = RawClient(simulator)
        _ = try client.logIn()
        _ = try client.call(#"{"@type":"loadChats","limit":100}"#)
        var pages: [[Int64]] = []
        var from: Int64 = 0
        while true {
            let page = try Self.history(client, chat: -1_000_000_009_001, from: from)
            guard let oldest = page.last else { break }
            pages.append(page)
            from = oldest
        }
        let all = pages.flatMap { $0 }
        // TDLib holds only the last message of a chat it has just loaded, and preloads 50 at a time.
        #expect(pages.first?.count == 1)
        #expect(pages.dropFirst().first?.count == 50)
        #expect(all.count == 1_000)
        #expect(Set(all).count == 1_000)
        #expect(all == all.sorted(by: >))
        // Empty is the start of the chat, also when asked again.
        #expect(try Self.history(client, chat: -1_000_000_009_001, from: from).isEmpty)
        try client.close()
    }

    @Test func negativeOffsetsAddNewerMessagesAsTDLibDoes() throws {
        let simulator = TDSimulator(scenario: Self.bigChat(messages: 300), clock: .manual())
        let client = RawClient(simulator)
        _ = try client.logIn()
        _ = try client.call(#"{"@type":"loadChats","limit":100}"#)
        var newestFirst: [Int64] = []
        var from: Int64 = 0
        while true {
            let page = try Self.history(client, chat: -1_000_000_009_001, from: from)
            guard let oldest = page.last else { break }
            newestFirst += page
            from = oldest
        }
        #expect(newestFirst.count == 300)
        let middle = newestFirst[150]
        // offset -5: four newer messages, the message itself, then older ones.
        #expect(
            try Self.history(client, chat: -1_000_000_009_001, from: middle, offset: -5, limit: 10)
                == Array(newestFirst[146..<156]))
        // offset 0 starts below the message itself.
        #expect(
            try Self.history(client, chat: -1_000_000_009_001, from: middle, limit: 3) == Array(newestFirst[151..<154]))
        // At the newest message there is nothing newer: TDLib shortens the page by what is missing.
        #expect(
            try Self.history(client, chat: -1_000_000_009_001, from: newestFirst[0], offset: -5, limit: 10)
                == Array(newestFirst[0..<6]))
        // offset == -limit: only the newer messages, the message itself included.
        #expect(
            try Self.history(client, chat: -1_000_000_009_001, from: middle, offset: -3, limit: 3)
                == Array(newestFirst[148..<151]))
        try client.close()
    }

    @Test func aUserComesBeforeTheMessagesThatNameHim() throws {
        let simulator = TDSimulator(scenario: Self.bigChat(messages: 9), clock: .manual())
        let client = RawClient(simulator)
        let login = try client.logIn()
        let me = login.firstIndex {
            $0.type == "updateUser" && ($0["user"] as? [String: Any])?["id"] as? NSNumber == 1001
        }
        let ready = login.firstIndex {
            ($0["authorization_state"] as? [String: Any])?.type == "authorizationStateReady"
        }
        #expect(me != nil && ready != nil && me! < ready!)
        let loaded = try client.call(#"{"@type":"loadChats","limit":100}"#)
        func isStranger(_ object: [String: Any]) -> Bool {
            object.type == "updateUser" && (object["user"] as? [String: Any])?["id"] as? NSNumber == 3001
        }
        let bigChat = loaded.firstIndex {
            $0.type == "updateNewChat" && ($0["chat"] as? [String: Any])?["id"] as? NSNumber == -1_000_000_009_001
        }
        // The chat's last message is from 3001, who is no member: his user comes before the chat.
        let strangerFirst = loaded.firstIndex(where: isStranger)
        #expect(strangerFirst != nil && bigChat != nil && strangerFirst! < bigChat!)
        var stranger = loaded.filter(isStranger)
        var from: Int64 = 0
        while true {
            let objects = try client.call(
                #"{"@type":"getChatHistory","chat_id":-1000000009001,"from_message_id":\#(from),"offset":0,"limit":100}"#
            )
            stranger += objects.filter(isStranger)
            guard let oldest = Self.ids(objects.last).last else { break }
            from = oldest
        }
        // Once only.
        #expect(stranger.count == 1)
        try client.close()
    }

    /// A world of `main` chats in the main list (private chats with users of their own, supergroups)
    /// and `archived` in the archive.
    static func manyChats(main: Int, archived: Int) -> SimulatorScenario {
        var scenario = SimulatorScenario.default
        scenario.network = .instant
        scenario.users = (0..<main).map { SimulatorScenario.User(id: 10_000 + Int64($0), firstName: "User \($0)") }
        scenario.chats = (0..<(main + archived)).map { index in
            index % 2 == 0 && index < main
                ? SimulatorScenario.Chat(id: 10_000 + Int64(index), kind: "private", userID: 10_000 + Int64(index))
                : SimulatorScenario.Chat(
                    id: -1_000_000_010_000 - Int64(index), kind: "supergroup", title: "Group \(index)",
                    list: index < main ? nil : "archive")
        }
        scenario.messages = []
        return scenario
    }

    @Test func loadChatsGivesEveryChatOnceInPagesThen404() throws {
        let simulator = TDSimulator(scenario: Self.manyChats(main: 250, archived: 20), clock: .manual())
        let client = RawClient(simulator)
        _ = try client.logIn()
        var answers: [String] = []
        var updates: [[String: Any]] = []
        for _ in 0..<6 {
            let objects = try client.call(#"{"@type":"loadChats","chat_list":{"@type":"chatListMain"},"limit":20}"#)
            answers.append(objects.last?.type ?? "")
            updates += objects.dropLast()
        }
        // Pages of 100 whatever the limit; the empty page still answers ok; 404 after it.
        #expect(answers == ["ok", "ok", "ok", "ok", "error", "error"])
        let newChats = updates.filter { $0.type == "updateNewChat" }.compactMap {
            (($0["chat"] as? [String: Any])?["id"] as? NSNumber)?.int64Value
        }
        #expect(newChats.count == 250)
        #expect(Set(newChats).count == 250)
        let positions = updates.filter { $0.type == "updateChatPosition" }
        #expect(positions.count == 250)
        let keys = positions.compactMap { update -> (Int64, Int64)? in
            guard let id = (update["chat_id"] as? NSNumber)?.int64Value,
                let order = ((update["position"] as? [String: Any])?["order"] as? String).flatMap({ Int64($0) })
            else { return nil }
            return (order, id)
        }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 > $1 })
        // Each chat: its user or supergroup, then updateNewChat (no position yet), then its position.
        for (index, update) in updates.enumerated() where update.type == "updateNewChat" {
            let chat = update["chat"] as? [String: Any] ?? [:]
            #expect((chat["positions"] as? [Any])?.isEmpty == true)
            let id = (chat["id"] as? NSNumber)?.int64Value ?? 0
            let before = updates[..<index]
            if id > 0 {
                #expect(before.contains { ($0["user"] as? [String: Any])?["id"] as? NSNumber == NSNumber(value: id) })
            } else {
                #expect(before.contains { $0.type == "updateSupergroup" })
            }
            #expect(
                updates[index...].contains {
                    $0.type == "updateChatPosition" && $0["chat_id"] as? NSNumber == NSNumber(value: id)
                })
        }
        let archive = try (0..<3).map { _ in
            try client.call(#"{"@type":"loadChats","chat_list":{"@type":"chatListArchive"},"limit":100}"#)
        }
        #expect(archive.map { $0.last?.type ?? "" } == ["ok", "ok", "error"])
        #expect(archive[0].filter { $0.type == "updateNewChat" }.count == 20)
        try client.close()
    }

    @Test func getChatsLoadsUntilItHasTheLimit() throws {
        let simulator = TDSimulator(scenario: Self.manyChats(main: 250, archived: 0), clock: .manual())
        let client = RawClient(simulator)
        _ = try client.logIn()
        let objects = try client.call(#"{"@type":"getChats","limit":150}"#)
        let answer = objects.last ?? [:]
        #expect(answer.type == "chats")
        #expect(answer["total_count"] as? NSNumber == 250)
        #expect((answer["chat_ids"] as? [Any])?.count == 150)
        #expect(objects.filter { $0.type == "updateNewChat" }.count == 200)
        try client.close()
    }

    @Test func searchPublicChatResolvesUsernamesWithTelegramsErrors() async throws {
        var scenario = SimulatorScenario.default
        scenario.chats?.append(
            SimulatorScenario.Chat(id: -1_000_000_004_003, kind: "channel", title: "Public", username: "simpublic"))
        try await withSimulator(scenario) { telegram in
            let (client, log) = try await WorldTests().alice(telegram)
            let dave = try await client.send(SearchPublicChat(username: "@Dave_Sim"))
            #expect(dave.id == 2001)
            let channel = try await client.send(SearchPublicChat(username: "Sim.Public"))
            #expect(channel.id == -1_000_000_004_003)
            _ = try await log.next {
                if case .newChat(let update) = $0, update.chat.id == -1_000_000_004_003 { true } else { nil }
            }
            await expectTDLibError(200, "Username is invalid") {
                _ = try await client.send(SearchPublicChat(username: " @"))
            }
            await expectTDLibError(400, "USERNAME_INVALID") {
                _ = try await client.send(SearchPublicChat(username: "no such"))
            }
            await expectTDLibError(400, "USERNAME_NOT_OCCUPIED") {
                _ = try await client.send(SearchPublicChat(username: "nobody_here"))
            }
        }
    }

    @Test func aSentMessageReachesTelegramAfterTheNetworkDelay() throws {
        var scenario = SimulatorScenario.default
        scenario.network = SimulatorScenario.Network(messageDeliveryMilliseconds: 150, codeDeliveryMilliseconds: 300)
        let clock = SimulatorClock.manual()
        let client = RawClient(TDSimulator(scenario: scenario, clock: clock))
        let directory = try SimulatedTelegram.temporaryDirectory()
        _ = try client.call(
            #"{"@type":"setTdlibParameters","database_directory":"\#(directory)","api_id":94575,"api_hash":"x"}"#)
        // The code is on its way: no answer and no new state until the clock moves.
        #expect(try client.call(#"{"@type":"setAuthenticationPhoneNumber","phone_number":"+15550100001"}"#).isEmpty)
        clock.advance(by: .milliseconds(299))
        #expect(try client.drain().isEmpty)
        clock.advance(by: .milliseconds(1))
        #expect(try client.drain().map(\.type) == ["updateAuthorizationState", "ok"])
        _ = try client.call(#"{"@type":"checkAuthenticationCode","code":"11111"}"#)
        let sent = try client.call(
            #"{"@type":"sendMessage","chat_id":2001,"input_message_content":{"@type":"inputMessageText","text":{"@type":"formattedText","text":"hello"}}}"#
        )
        #expect(!sent.contains { $0.type == "updateMessageSendSucceeded" })
        clock.advance(by: .milliseconds(149))
        #expect(try client.drain().isEmpty)
        clock.advance(by: .milliseconds(1))
        #expect(try client.drain().map(\.type) == ["updateMessageSendSucceeded", "updateChatLastMessage"])
        try client.close()
    }

    /// 1,000 chats and 50,000 messages: built, listed and paged through completely (not timed; `swift test`
    /// prints how long it took).
    @Test func aLargeWorldIsListedAndPagedCompletely() throws {
        var scenario = Self.manyChats(main: 1_000, archived: 0)
        scenario.messages = (0..<50_000).map { index in
            let chat = scenario.chats?[index % 1_000]
            return SimulatorScenario.Message(
                chatID: chat?.id ?? 0, senderID: chat?.userID ?? 2001, text: "message \(index)")
        }
        let client = RawClient(TDSimulator(scenario: scenario, clock: .manual()))
        _ = try client.logIn()
        var chats: [Int64] = []
        while true {
            let objects = try client.call(#"{"@type":"loadChats","limit":100}"#)
            chats += objects.filter { $0.type == "updateChatPosition" }.compactMap {
                ($0["chat_id"] as? NSNumber)?.int64Value
            }
            if objects.last?.type == "error" { break }
        }
        #expect(chats.count == 1_000)
        var messages = 0
        for chat in chats {
            var from: Int64 = 0
            while true {
                let page = try Self.history(client, chat: chat, from: from)
                guard let oldest = page.last else { break }
                messages += page.count
                from = oldest
            }
        }
        #expect(messages == 50_000)
        try client.close()
    }

    @Test func supergroupMembersPageByOffsetWithTDLibsChecks() async throws {
        var scenario = SimulatorScenario.default
        scenario.users = (0..<450).map { SimulatorScenario.User(id: 10_000 + Int64($0), firstName: "Member \($0)") }
        scenario.chats = [
            SimulatorScenario.Chat(
                id: -1_000_000_004_001, kind: "supergroup", title: "Crowd",
                memberIDs: (0..<450).map { 10_000 + Int64($0) }),
            SimulatorScenario.Chat(id: -1_000_000_004_002, kind: "channel", title: "News"),
        ]
        scenario.messages = []
        try await withSimulator(scenario) { telegram in
            let (client, _) = try await WorldTests().alice(telegram)
            func members(offset: Int32, limit: Int32 = 1_000, group: Int64 = 4001) async throws -> ChatMembers {
                try await client.send(
                    GetSupergroupMembers(supergroupId: group, filter: nil, offset: offset, limit: limit))
            }
            var ids: [Int64] = []
            var offset: Int32 = 0
            while true {
                let page = try await members(offset: offset)
                #expect(page.totalCount == 451)
                #expect(page.members.count <= 200)
                guard !page.members.isEmpty else { break }
                ids += page.members.compactMap { if case .user(let user) = $0.memberId { user.userId } else { nil } }
                offset += Int32(page.members.count)
            }
            #expect(ids.count == 451)
            #expect(Set(ids).count == 451)
            await expectTDLibError(400, "Parameter limit must be positive") {
                _ = try await members(offset: 0, limit: 0)
            }
            await expectTDLibError(400, "Parameter offset must be non-negative") { _ = try await members(offset: -1) }
            await expectTDLibError(400, "Member list is inaccessible") { _ = try await members(offset: 0, group: 4002) }
        }
    }

    @Test func searchChatMessagesPagesByNextFromMessageId() throws {
        let client = RawClient(TDSimulator(scenario: Self.bigChat(messages: 600), clock: .manual()))
        _ = try client.logIn()
        func search(_ query: String, from: Int64, offset: Int = 0, limit: Int = 100) throws -> [String: Any] {
            try client.call(
                #"{"@type":"searchChatMessages","chat_id":-1000000009001,"query":"\#(query)","from_message_id":\#(from),"offset":\#(offset),"limit":\#(limit)}"#
            ).last ?? [:]
        }
        // "m1" matches m1, m10-m19, m100-m199: 111 messages.
        var found: [Int64] = []
        var from: Int64 = 0
        repeat {
            let page = try search("M1", from: from)
            #expect(page["total_count"] as? NSNumber == 111)
            found += Self.ids(page)
            from = (page["next_from_message_id"] as? NSNumber)?.int64Value ?? 0
        } while from != 0
        #expect(found.count == 111)
        #expect(Set(found).count == 111)
        #expect(found == found.sorted(by: >))
        #expect(
            (try search("", from: 0, offset: -1, limit: 1))["message"] as? String
                == "Parameter limit must be greater than -offset")
        #expect(
            (try search("", from: 0, offset: 1, limit: 10))["message"] as? String
                == "Parameter offset must be non-positive")
        #expect(
            (try search("", from: -1))["message"] as? String
                == "Parameter from_message_id must be identifier of a chat message or 0")
        try client.close()
    }
}
