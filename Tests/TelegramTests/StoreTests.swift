import Foundation
import Testing

@testable import Telegram

@Suite("Telegram store: kept from scripted update sequences")
struct StoreTests {
    let store = TelegramStore(changeBufferSize: 100)

    func apply(_ updates: String...) throws {
        for update in updates { store.apply(try Fixture.update(update)) }
    }

    @Test func chatListIsInTDLibsOrderByOrderThenIdentifier() throws {
        try apply(
            Fixture.newChat(1, positions: [Fixture.position(order: 10)]),
            Fixture.newChat(2, positions: [Fixture.position(order: 30)]),
            Fixture.newChat(3, positions: [Fixture.position(order: 10)]),
            Fixture.newChat(4))
        #expect(store.chatIDs(in: .main) == [2, 3, 1])
        #expect(store.chatList(.main).map(\.id) == [2, 3, 1])
        #expect(store.chat(4)?.title == "Chat 4")
        #expect(store.chatIDs(in: .archive) == [])
    }

    @Test func chatsMoveBetweenListsAndLeaveThem() throws {
        try apply(
            Fixture.newChat(1, positions: [Fixture.position(order: 10)]),
            Fixture.newChat(2, positions: [Fixture.position(order: 20)]))
        // Archived: out of the main list (order 0), into the archive.
        try apply(
            Fixture.chatPosition(1, Fixture.position(order: 0)),
            Fixture.chatPosition(1, Fixture.position("chatListArchive", order: 15)))
        #expect(store.chatIDs(in: .main) == [2])
        #expect(store.chatIDs(in: .archive) == [1])
        #expect(store.chat(1)?.positions.map(\.list) == [.archive])
        // A new message lifts chat 1 back to the top of the main list; its positions are all replaced.
        try apply(
            #"{"@type":"updateChatLastMessage","chat_id":1,"last_message":\#(Fixture.message(9, chatID: 1)),"positions":[\#(Fixture.position(order: 50))]}"#
        )
        #expect(store.chatIDs(in: .main) == [1, 2])
        #expect(store.chatIDs(in: .archive) == [])
        #expect(store.chat(1)?.lastMessage?.id == 9)
        // A draft with no positions: the chat leaves every list, and stays known.
        try apply(#"{"@type":"updateChatDraftMessage","chat_id":2,"positions":[]}"#)
        #expect(store.chatIDs(in: .main) == [1])
        #expect(store.chat(2) != nil)
        // A folder is a list of its own.
        try apply(Fixture.chatPosition(2, Fixture.position("chatListFolder", folder: 3, order: 7)))
        #expect(store.chatIDs(in: .folder(ChatListFolder(chatFolderId: 3))) == [2])
    }

    @Test func snapshotsReadBeforeUpdatesDoNotChangeAndReadsAfterSeeThem() throws {
        try apply(Fixture.newChat(1, title: "Before", positions: [Fixture.position(order: 10)]))
        let before = try #require(store.chat(1))
        let listBefore = store.chatList(.main)
        try apply(
            #"{"@type":"updateChatTitle","chat_id":1,"title":"After"}"#,
            #"{"@type":"updateChatReadInbox","chat_id":1,"last_read_inbox_message_id":5,"unread_count":3}"#,
            Fixture.newChat(2, positions: [Fixture.position(order: 20)]))
        #expect(before.title == "Before")
        #expect(listBefore.map(\.id) == [1])
        #expect(store.chat(1)?.title == "After")
        #expect(store.chat(1)?.unreadCount == 3)
        #expect(store.chatList(.main).map(\.id) == [2, 1])
    }

    @Test func updatesAboutUnknownChatsAndUsersAreIgnored() throws {
        try apply(
            #"{"@type":"updateChatTitle","chat_id":77,"title":"Ghost"}"#,
            Fixture.chatPosition(77, Fixture.position(order: 10)),
            #"{"@type":"updateUserStatus","user_id":78,"status":{"@type":"userStatusOnline","expires":1}}"#)
        #expect(store.chat(77) == nil)
        #expect(store.user(78) == nil)
        #expect(store.chatIDs(in: .main) == [])
    }

    @Test func usersOptionsAndConnectionState() throws {
        try apply(
            Fixture.updateUser(5, firstName: "Ann"),
            #"{"@type":"updateUserStatus","user_id":5,"status":{"@type":"userStatusOnline","expires":99}}"#,
            #"{"@type":"updateOption","name":"my_id","value":{"@type":"optionValueInteger","value":"5"}}"#,
            #"{"@type":"updateOption","name":"version","value":{"@type":"optionValueString","value":"1.8.66"}}"#,
            #"{"@type":"updateConnectionState","state":{"@type":"connectionStateUpdating"}}"#)
        #expect(store.user(5)?.firstName == "Ann")
        guard case .online(let online) = store.user(5)?.status else {
            Issue.record("the status update applies to the stored user")
            return
        }
        #expect(online.expires == 99)
        #expect(store.myUserID == 5)
        #expect(store.me?.firstName == "Ann")
        #expect(store.option("version") == .string(OptionValueString(value: "1.8.66")))
        #expect(store.connectionState == .updating(ConnectionStateUpdating()))
        try apply(#"{"@type":"updateOption","name":"version","value":{"@type":"optionValueEmpty"}}"#)
        #expect(store.option("version") == nil)
    }

    @Test func changesAreYieldedInOrderAfterTheyAreApplied() async throws {
        let changes = store.changes()
        try apply(
            Fixture.newChat(1, positions: [Fixture.position(order: 10)]),
            #"{"@type":"updateChatTitle","chat_id":1,"title":"New"}"#,
            Fixture.chatPosition(1, Fixture.position(order: 0)),
            #"{"@type":"updateNewMessage","message":\#(Fixture.message(1, chatID: 1))}"#,
            Fixture.updateUser(5))
        store.finish()
        var seen: [StoreChange] = []
        for await change in changes { seen.append(change) }
        #expect(seen == [.newChat(1), .chat(1), .chatPositions(1), .user(5)])
    }

    @Test func readersWaitUntilTheUpdatesBeforeAnAnswerAreApplied() async throws {
        let store = store
        async let caughtUp: Void = store.waitUntilRead(2)
        try apply(Fixture.newChat(1))
        store.apply(nil)  // an update that did not decode still counts
        await caughtUp
        #expect(store.chat(1) != nil)
        await store.waitUntilRead(1)  // already there: returns at once
        store.finish()
        await store.waitUntilRead(1000)  // after the end: returns at once
    }
}
