import Foundation
import TDLibAPI
import Telegram
import TelegramTesting
import Testing

/// What a world's people do besides writing: join and leave groups, send files, log in by QR code.
@Suite(.timeLimit(.minutes(2))) struct TestWorldActionsTests {
    @Test func aGroupsMessagesReachItsMembersOnlyAndJoiningAndLeavingAreAnnounced() async throws {
        try await withTestWorld { world in
            let ada = try await world.user("Ada")
            let bob = try await world.user("Bob")
            let friends = world.supergroup("Friends", members: [ada.account])

            world.join(bob.account, friends)
            // Ada's messages come in order: the service message has come once Bob's "hi" has.
            try await bob.send("hi", to: ada)
            #expect(try await ada.nextMessage(in: bob).textOrCaption == "hi")
            // A wait for something else lists the service message that came meanwhile.
            let thrown = await #expect(throws: TDClientError.self) {
                _ = try await ada.nextMessage(in: bob, timeout: .milliseconds(50))
            }
            #expect(thrown?.code == .timedOut)
            let error = thrown?.underlying as? TestWorldTimeout
            let added = "the service message “users [\(bob.account.id)] added” in Friends"
            #expect(error?.arrived == [added])
            #expect(error?.transcript.entries.map(\.description) == ["Bob → Friends: joins", "Bob → Ada: hi"])
            let joined = try await ada.nextMessage(in: friends)
            #expect(joined.content == .chatAddMembers(MessageChatAddMembers(memberUserIds: [bob.account.id])))
            try await ada.send("welcome", to: friends)
            #expect(try await bob.nextMessage(in: friends).textOrCaption == "welcome")

            world.leave(bob.account, friends)
            let left = try await ada.nextMessage(in: friends)
            #expect(left.content == .chatDeleteMember(MessageChatDeleteMember(userId: bob.account.id)))
            try await ada.send("Bob is gone", to: friends)
            // Bob's messages come in order: the group's would have come before this one.
            try await ada.send("are you there?", to: bob)
            #expect(try await bob.nextMessage(in: ada).textOrCaption == "are you there?")
            #expect(bob.unreadMessages.isEmpty, "\(world.transcript)")
        }
    }

    @Test func aBotAddedToAGroupIsToldAndGreetsItsMembers() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Greeter")
            let app = try await world.app(bot)
            let membership = app.updates(of: UpdateChatMember.self)
            app.onMessage(.incoming) { message in
                guard case .chatAddMembers(let added) = message.content, added.memberUserIds.contains(bot.id) else {
                    return
                }
                _ = try await app.sendMessage(chatID: message.chatId, text: "Hello, everyone!")
            }
            let ada = try await world.user("Ada")
            let bob = world.account("Bob")
            let friends = world.group("Friends", members: [ada.account, bob])

            // Bob adds the bot: a service message of his, which Ada gets.
            world.add(bot, to: friends, by: bob)
            var changes = membership.makeAsyncIterator()
            let change = try #require(await changes.next())
            #expect(change.chatId == friends.chatID)
            #expect(change.actorUserId == bob.id)
            #expect(change.newChatMember.memberId == .user(MessageSenderUser(userId: bot.id)))
            #expect(change.oldChatMember.status == .left(ChatMemberStatusLeft()))
            #expect(change.newChatMember.status == .member(ChatMemberStatusMember(memberUntilDate: 0)))
            let added = try await ada.nextMessage(in: friends)
            #expect(added.content == .chatAddMembers(MessageChatAddMembers(memberUserIds: [bot.id])))
            #expect(try await ada.nextMessage(in: friends).textOrCaption == "Hello, everyone!")

            world.join(world.account("Cy"), friends, byLink: true)
            #expect(try await ada.nextMessage(in: friends).content == .chatJoinByLink(MessageChatJoinByLink()))
        }
    }

    @Test func anAppJoinsAndLeavesAGroupByItsOwnRequests() async throws {
        try await withTestWorld { world in
            let uma = world.account("Uma")
            let tg = try await world.app(uma)
            let heard = tg.updates(of: UpdateNewMessage.self)
            let ada = try await world.user("Ada")
            let friends = world.supergroup("Friends", members: [ada.account])

            _ = try await tg.getChat(friends.chatID)
            let joined = try await tg.send(JoinChat(chatId: friends.chatID))
            #expect(joined == .success(ChatJoinResultSuccess(chatId: friends.chatID)))
            let added = try await ada.nextMessage(in: friends)
            #expect(added.content == .chatAddMembers(MessageChatAddMembers(memberUserIds: [uma.id])))
            try await ada.send("hello Uma", to: friends)
            var messages = heard.makeAsyncIterator()
            #expect(try await messages.next()?.message.content == added.content)
            #expect(try await messages.next()?.message.textOrCaption == "hello Uma")

            _ = try await tg.send(LeaveChat(chatId: friends.chatID))
            let left = try await ada.nextMessage(in: friends)
            #expect(left.content == .chatDeleteMember(MessageChatDeleteMember(userId: uma.id)))
            let error = await #expect(throws: TDLibError.self) {
                _ = try await tg.send(LeaveChat(chatId: friends.chatID))
            }
            #expect(error?.message == "USER_NOT_PARTICIPANT")
        }
    }

    @Test func aUserSendsADocumentAndAPhotoWithoutTheTestMovingTheClock() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Files")
            let app = try await world.app(bot)
            app.onMessage(.incoming) { message in
                let answer: String
                switch message.content {
                case .document(let document): answer = "document \(document.document.fileName)"
                case .photo: answer = "photo: \(message.textOrCaption ?? "")"
                default: answer = "text"
                }
                _ = try await app.sendMessage(chatID: message.chatId, text: answer)
            }
            let ada = try await world.user("Ada")
            let report = world.folder.appendingPathComponent("report.txt")
            try Data(repeating: 65, count: 3 << 20).write(to: report)

            try await ada.send(document: report, to: bot)
            #expect(try await ada.nextMessage(in: bot).textOrCaption == "document report.txt")
            try await ada.send(photo: report, caption: "the lake", to: bot)
            #expect(try await ada.nextMessage(in: bot).textOrCaption == "photo: the lake")
        }
    }

    @Test func anAppLogsInByQRCodeConfirmedByTheAccount() async throws {
        try await withTestWorld { world in
            let uma = world.account("Uma", password: "correct horse")
            let app = try await world.app(uma, byQRCode: true)
            #expect(try await app.getMe().id == uma.id)
            _ = try await world.nextRequest(of: RequestQrCodeAuthentication.self)
            #expect(try await world.nextRequest(of: CheckAuthenticationPassword.self).password == "correct horse")
        }
    }

    @Test func aFailedWaitShowsWhatWasExpectedAndTheConversation() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Echo")
            let app = try await world.app(bot)
            app.onMessage(.incoming && .text) { message in
                _ = try await app.sendMessage(chatID: message.chatId, text: "pong")
            }
            let ada = try await world.user("Ada")
            try await ada.send("ping", to: bot)
            #expect(try await ada.nextMessage(in: bot).textOrCaption == "pong")

            // Deliberate failures, to show their output in the test log: the bot answers once only.
            await withKnownIssue("a second answer never comes") {
                _ = try await ada.nextMessage(in: bot, timeout: .milliseconds(50))
            }
            await withKnownIssue("the bot never edits") {
                _ = try await world.nextRequest(of: EditMessageText.self, timeout: .milliseconds(50))
            }
        }
    }
}
