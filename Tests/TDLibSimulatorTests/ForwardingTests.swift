import Foundation
import Testing

@testable import TDLibAPIClient
@testable import TDLibSimulator

/// Forwards, copies, caption edits and replies between Alice and the simulator's bot, as TDLib gives them.
@Suite("Simulator: forwards, copies, captions and replies", .timeLimit(.minutes(2)))
struct ForwardingTests {
    static let botID: Int64 = 1_000_001
    static let channelID: Int64 = -1_000_000_004_002
    /// The channel's messages of the default world: a text, a photo with a caption, a document.
    static let channelText: Int64 = 6 << 20
    static let channelPhoto: Int64 = 7 << 20

    /// Alice and the bot logged in on a manual clock with no scripted events; Alice knows her chat with
    /// the bot (its id is the bot's user id).
    func aliceAndBot(
        _ body: (_ alice: TDClient, _ aliceLog: UpdateLog, _ bot: TDClient, _ botLog: UpdateLog) async throws -> Void
    ) async throws {
        var scenario = SimulatorScenario.default
        scenario.events = []
        try await withSimulator(scenario, clock: .manual()) { telegram in
            let (bot, botLog) = try await telegram.client()
            _ = try await bot.send(CheckAuthenticationBotToken(token: "1000001:SIMULATOR-BOT-TOKEN"))
            _ = try await botLog.next {
                if case .authorizationState(let s) = $0, case .ready = s.authorizationState { true } else { nil }
            }
            let (alice, aliceLog) = try await WorldTests().alice(telegram)
            _ = try await alice.send(SearchPublicChat(username: "echo_sim_bot"))
            try await body(alice, aliceLog, bot, botLog)
        }
    }

    static func forward(
        _ ids: [Int64], from chatID: Int64, to target: Int64 = botID, copy: Bool = false, removeCaption: Bool = false
    ) -> ForwardMessages {
        ForwardMessages(
            chatId: target, fromChatId: chatID, messageIds: ids, sendCopy: copy, removeCaption: removeCaption)
    }

    @Test func aForwardKeepsItsOriginOnBothSidesAndAMissingMessageIsNull() async throws {
        try await aliceAndBot { alice, aliceLog, _, botLog in
            let missing = Self.channelText + (1 << 20) * 10
            let answer = try await alice.send(Self.forward([1 << 20, missing], from: 2001))
            #expect(answer.totalCount == 2)
            #expect(answer.messages.count == 2)
            #expect(answer.messages[1] == nil)
            let pending = try #require(answer.messages[0] ?? nil)
            guard case .pending = pending.sendingState else {
                Issue.record("expected a pending message, got \(String(describing: pending.sendingState))")
                return
            }
            let origin = MessageOrigin.user(MessageOriginUser(senderUserId: 2001))
            #expect(pending.forwardInfo?.origin == origin)
            #expect(pending.forwardInfo?.date == 1_767_225_600)
            #expect(pending.shownText == "Hi! Are we still on for Saturday?")
            let new = try await aliceLog.next {
                if case .newMessage(let u) = $0, u.message.id == pending.id { u.message } else { nil }
            }
            #expect(new.id == pending.id)
            let sent = try await aliceLog.next {
                if case .messageSendSucceeded(let u) = $0 { u } else { nil }
            }
            #expect(sent.oldMessageId == pending.id)
            #expect(sent.message.forwardInfo?.origin == origin)
            // The bot gets the forward in its own chat with Alice, with the same origin.
            let received = try await botLog.next {
                if case .newMessage(let u) = $0, !u.message.isOutgoing { u.message } else { nil }
            }
            #expect(received.chatId == 1001)
            #expect(received.forwardInfo?.origin == origin)
            #expect(received.shownText == "Hi! Are we still on for Saturday?")
        }
    }

    @Test func aChannelPostNamesTheChannelAndACopyNamesNoOneAndCanDropItsCaption() async throws {
        try await aliceAndBot { alice, aliceLog, _, botLog in
            let forwarded = try #require(
                try await alice.send(Self.forward([Self.channelText], from: Self.channelID)).messages[0])
            let channelOrigin = MessageOrigin.channel(
                MessageOriginChannel(chatId: Self.channelID, messageId: Self.channelText, authorSignature: ""))
            #expect(forwarded.forwardInfo?.origin == channelOrigin)

            let copied = try #require(
                try await alice.send(Self.forward([Self.channelPhoto], from: Self.channelID, copy: true)).messages[0])
            #expect(copied.forwardInfo == nil)
            #expect(copied.shownText == "The new logo")
            let bare = try #require(
                try await alice.send(
                    Self.forward([Self.channelPhoto], from: Self.channelID, copy: true, removeCaption: true)
                ).messages[0])
            #expect(bare.forwardInfo == nil)
            guard case .photo(let photo) = bare.content else {
                Issue.record("expected a photo, got \(bare.content)")
                return
            }
            #expect(photo.caption.text.isEmpty)
            // Three messages reach the bot, in order.
            var texts: [String] = []
            while texts.count < 3 {
                texts.append(
                    try await botLog.next {
                        if case .newMessage(let u) = $0, !u.message.isOutgoing { u.message.shownText } else { nil }
                    })
            }
            #expect(texts == ["Welcome to the simulator's news channel.", "The new logo", ""])
            _ = aliceLog
        }
    }

    @Test func forwardParametersAreCheckedAsTDLibChecksThem() async throws {
        try await aliceAndBot { alice, _, _, _ in
            await expectTDLibError(400, "There are no messages to forward") {
                _ = try await alice.send(Self.forward([], from: 2001))
            }
            await expectTDLibError(400, "Too many messages to forward") {
                _ = try await alice.send(Self.forward((1...101).map { Int64($0) << 20 }, from: 2001))
            }
            await expectTDLibError(400, "Chat to forward messages from not found") {
                _ = try await alice.send(Self.forward([1 << 20], from: 999))
            }
            await expectTDLibError(400, "Chat to forward messages to not found") {
                _ = try await alice.send(Self.forward([1 << 20], from: 2001, to: 999))
            }
            await expectTDLibError(400, "Can't forward scheduled messages") {
                _ = try await alice.send(Self.forward([(1 << 20) | 4], from: 2001))
            }
            await expectTDLibError(400, "Invalid message identifier") {
                _ = try await alice.send(Self.forward([0], from: 2001))
            }
            await expectTDLibError(400, "Message identifiers must be in a strictly increasing order") {
                _ = try await alice.send(Self.forward([2 << 20, 1 << 20], from: 2001))
            }
        }
    }

    @Test func aCaptionEditReachesBothSidesAndIsRefusedWhereTDLibRefusesIt() async throws {
        try await aliceAndBot { alice, aliceLog, _, botLog in
            let copy = try #require(
                try await alice.send(Self.forward([Self.channelPhoto], from: Self.channelID, copy: true)).messages[0])
            let sent = try await aliceLog.next {
                if case .messageSendSucceeded(let u) = $0, u.oldMessageId == copy.id { u.message } else { nil }
            }
            let botCopy = try await botLog.next {
                if case .newMessage(let u) = $0, !u.message.isOutgoing { u.message } else { nil }
            }
            let edited = try await alice.send(
                EditMessageCaption(
                    chatId: Self.botID, messageId: sent.id, caption: FormattedText(text: "Our logo", entities: []),
                    showCaptionAboveMedia: false))
            #expect(edited.shownText == "Our logo")
            #expect(edited.editDate > 0)
            let content = try await aliceLog.next {
                if case .messageContent(let u) = $0, u.messageId == sent.id { u } else { nil }
            }
            guard case .photo(let photo) = content.newContent else {
                Issue.record("expected a photo")
                return
            }
            #expect(photo.caption.text == "Our logo")
            _ = try await aliceLog.next {
                if case .messageEdited(let u) = $0, u.messageId == sent.id { u } else { nil }
            }
            let botEdit = try await botLog.next {
                if case .messageContent(let u) = $0, u.messageId == botCopy.id { u } else { nil }
            }
            #expect(botEdit.chatId == 1001)
            _ = try await botLog.next {
                if case .messageEdited(let u) = $0, u.messageId == botCopy.id { u } else { nil }
            }

            let caption = FormattedText(text: "x", entities: [])
            await expectTDLibError(400, "Message can't be edited") {
                _ = try await alice.send(
                    EditMessageCaption(
                        chatId: Self.channelID, messageId: Self.channelPhoto, caption: caption,
                        showCaptionAboveMedia: false))
            }
            await expectTDLibError(400, "Message not found") {
                _ = try await alice.send(
                    EditMessageCaption(
                        chatId: Self.botID, messageId: sent.id + (1 << 20) * 50, caption: caption,
                        showCaptionAboveMedia: false))
            }
            let text = try await alice.send(
                SendMessage(
                    chatId: Self.botID,
                    inputMessageContent: .text(InputMessageText(text: caption, clearDraft: false))))
            let textSent = try await aliceLog.next {
                if case .messageSendSucceeded(let u) = $0, u.oldMessageId == text.id { u.message } else { nil }
            }
            await expectTDLibError(400, "There is no caption in the message to edit") {
                _ = try await alice.send(
                    EditMessageCaption(
                        chatId: Self.botID, messageId: textSent.id, caption: caption, showCaptionAboveMedia: false))
            }
            // TDLib edits no forward.
            let forward = try #require(try await alice.send(Self.forward([1 << 20], from: 2001)).messages[0])
            let forwardSent = try await aliceLog.next {
                if case .messageSendSucceeded(let u) = $0, u.oldMessageId == forward.id { u.message } else { nil }
            }
            await expectTDLibError(400, "Message can't be edited") {
                _ = try await alice.send(
                    EditMessageText(
                        chatId: Self.botID, messageId: forwardSent.id,
                        inputMessageContent: .text(InputMessageText(text: caption, clearDraft: false))))
            }
        }
    }

    @Test func aReplyQuotesTheMessageAndPointsAtThePeersOwnCopy() async throws {
        try await aliceAndBot { alice, aliceLog, bot, botLog in
            let first = try await alice.send(
                SendMessage(
                    chatId: Self.botID,
                    inputMessageContent: .text(
                        InputMessageText(text: FormattedText(text: "Red or blue?", entities: []), clearDraft: false))))
            let firstSent = try await aliceLog.next {
                if case .messageSendSucceeded(let u) = $0, u.oldMessageId == first.id { u.message } else { nil }
            }
            let botFirst = try await botLog.next {
                if case .newMessage(let u) = $0, !u.message.isOutgoing { u.message } else { nil }
            }
            // The bot replies to its copy, quoting a word.
            let reply = try await bot.send(
                SendMessage(
                    chatId: 1001,
                    replyTo: .message(
                        InputMessageReplyToMessage(
                            messageId: botFirst.id,
                            quote: InputTextQuote(text: FormattedText(text: "blue", entities: []), position: 7),
                            checklistTaskId: 0, pollOptionId: "")),
                    inputMessageContent: .text(
                        InputMessageText(text: FormattedText(text: "Blue.", entities: []), clearDraft: false))))
            let expectedQuote = TextQuote(text: FormattedText(text: "blue", entities: []), position: 7, isManual: true)
            guard case .message(let botSide)? = reply.replyTo else {
                Issue.record("the pending reply has no reply_to")
                return
            }
            #expect(botSide.chatId == 1001)
            #expect(botSide.messageId == botFirst.id)
            #expect(botSide.quote == expectedQuote)
            #expect(botSide.origin == nil)
            // Alice sees the reply pointing at her own message.
            let received = try await aliceLog.next {
                if case .newMessage(let u) = $0, !u.message.isOutgoing { u.message } else { nil }
            }
            guard case .message(let aliceSide)? = received.replyTo else {
                Issue.record("Alice's copy of the reply has no reply_to")
                return
            }
            #expect(aliceSide.chatId == Self.botID)
            #expect(aliceSide.messageId == firstSent.id)
            #expect(aliceSide.quote == expectedQuote)
            // A reply to a message the chat does not have is sent without one, as TDLib drops it.
            let orphan = try await alice.send(
                SendMessage(
                    chatId: Self.botID,
                    replyTo: .message(
                        InputMessageReplyToMessage(
                            messageId: 999 << 20, quote: nil, checklistTaskId: 0, pollOptionId: "")),
                    inputMessageContent: .text(
                        InputMessageText(text: FormattedText(text: "Hm", entities: []), clearDraft: false))))
            #expect(orphan.replyTo == nil)
        }
    }

    @Test func aBotIsNotToldOfItsOwnNewMessagesAndGetsNoInstantView() async throws {
        try await aliceAndBot { alice, aliceLog, bot, botLog in
            _ = try await alice.send(
                SendMessage(
                    chatId: Self.botID,
                    inputMessageContent: .text(
                        InputMessageText(text: FormattedText(text: "hi", entities: []), clearDraft: false))))
            _ = try await botLog.next { if case .newMessage(let u) = $0, !u.message.isOutgoing { u } else { nil } }
            let pending = try await bot.send(
                SendMessage(
                    chatId: 1001,
                    inputMessageContent: .text(
                        InputMessageText(text: FormattedText(text: "hello", entities: []), clearDraft: false))))
            _ = try await botLog.next {
                if case .messageSendSucceeded(let u) = $0, u.oldMessageId == pending.id { u } else { nil }
            }
            let ownNew = await botLog.updates.contains {
                if case .newMessage(let u) = $0 { u.message.isOutgoing } else { false }
            }
            #expect(!ownNew)
            // Alice, a user, is told of her own.
            let aliceOwn = await aliceLog.updates.contains {
                if case .newMessage(let u) = $0 { u.message.isOutgoing } else { false }
            }
            #expect(aliceOwn)
            await expectTDLibError(400, "The method is not available to bots") {
                _ = try await bot.send(GetWebPageInstantView(url: "https://example.com/", onlyLocal: false))
            }
            await expectTDLibError(404, "Not Found") {
                _ = try await alice.send(GetWebPageInstantView(url: "https://example.com/", onlyLocal: false))
            }
        }
    }
}

extension Message {
    /// The text of a text message or the caption of a photo (what these tests send).
    fileprivate var shownText: String? {
        switch content {
        case .text(let text): text.text.text
        case .photo(let photo): photo.caption.text
        default: nil
        }
    }
}
