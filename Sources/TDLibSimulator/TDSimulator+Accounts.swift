import Foundation
import TDLib
import TDLibAPI

/// A button press waiting for the bot's answer (`getCallbackQueryAnswer` → `answerCallbackQuery`).
struct PendingCallbackQuery {
    var askerClientID: Int32
    var askerGeneration: Int
    var extra: [UInt8]?
}

/// The same message in the other account's private chat: each side of a private chat has its own chat
/// id (the other user's id) and its own message ids, as in TDLib.
struct MessageLink: Hashable {
    var chatID: Int64
    var messageID: Int64
}

/// Telegram between the simulator's logged-in accounts: messages one sends reach the others, bots get
/// button presses and answer them, edits show on both sides. Behaviour from TDLib's
/// Requests.cpp (CHECK_IS_BOT, CHECK_IS_USER), CallbackQueriesManager.cpp and MessagesManager.cpp
/// (edit_message_text) at its commit 022d602.
extension TDSimulator {
    /// The methods of this file, which need a logged-in account.
    static let accountMethods: Set<String> = ["getCallbackQueryAnswer", "answerCallbackQuery", "editMessageText"]

    /// How long a button press waits for the bot before TDLib's 502 "The bot is not responding".
    static let callbackAnswerTimeout = 15.0

    /// Handles the requests of this file; `false` when `request` is none of them.
    func accountsRequest(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws -> Bool {
        switch request.type {
        case "getCallbackQueryAnswer":
            try pressButton(request, me: me, clientID: clientID, session: session, state: &state, outbox: &outbox)
        case "answerCallbackQuery":
            let answer = try request.decode(AnswerCallbackQuery.self)
            guard session.isBot else { throw SimulatedError(code: 400, message: "Only bots can use the method") }
            guard let pending = state.callbackQueries.removeValue(forKey: answer.callbackQueryId) else {
                throw SimulatedError(code: 400, message: "QUERY_ID_INVALID")
            }
            if state.sessions[pending.askerClientID]?.generation == pending.askerGeneration {
                var asker = Outbox(clientID: pending.askerClientID)
                asker.extra = pending.extra
                asker.answer(CallbackQueryAnswer(text: answer.text, showAlert: answer.showAlert, url: answer.url))
                deliver(asker, state: state)
            }
            outbox.answer(Ok())
        case "editMessageText":
            try editMessageText(request, me: me, clientID: clientID, state: &state, outbox: &outbox)
        default:
            if try forwardingRequest(
                request, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
            {
                return true
            }
            if try membershipRequest(
                request, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
            {
                return true
            }
            return try messageActionRequest(
                request, me: me, clientID: clientID, session: session, state: &state, outbox: &outbox)
        }
        return true
    }

    /// Shows a message that the account of `senderClientID` sent to every other logged-in account that
    /// is in the chat: in a private chat, the peer's own chat with the sender gets a copy of its own.
    func deliverToOtherAccounts(
        _ record: SimulatorWorld.MessageRecord, senderClientID: Int32, state: inout SimulatorState
    ) {
        guard let chat = state.world.chats[record.chatID] else { return }
        for (clientID, var session) in state.sessions where clientID != senderClientID && session.auth == .ready {
            guard let me = session.userID, me != record.senderID, chat.isMember(me) else { continue }
            var seen = record
            if case .privateChat(let peer) = chat.kind {
                guard peer == me, let mirrorChat = state.world.privateChat(with: record.senderID) else { continue }
                seen = state.world.appendMessage(
                    chatID: mirrorChat.id, senderID: record.senderID, text: record.text, date: record.date)
                seen.replyMarkup = record.replyMarkup
                seen.attachment = record.attachment
                seen.forwardInfo = record.forwardInfo
                seen.mediaAlbumID = record.mediaAlbumID
                // The peer's reply points at its own copy of the replied message, if it has one.
                seen.replyTo = record.replyTo.flatMap { reply in
                    state.world.chats[record.chatID]?.messages.first { $0.id == reply.messageID }?.link.map {
                        SimulatorWorld.ReplyRecord(messageID: $0.messageID, quote: reply.quote)
                    }
                }
                state.world.setMessage(seen)
                state.world.link(record, seen)
            }
            var outbox = Outbox(clientID: clientID)
            announceChat(seen.chatID, session: &session, state: state, outbox: &outbox)
            holdNewMessage(seen, session: &session)
            announceUsers(of: [seen], session: &session, state: state, outbox: &outbox)
            state.sessions[clientID] = session
            guard let message = try? messageObject(seen, me: me, state: state, clientID: clientID) else { continue }
            outbox.update(.newMessage(UpdateNewMessage(message: message)))
            // Bots get no chat updates (`send_update_chat_last_message_impl`).
            if !session.isBot, let updated = state.world.chats[seen.chatID] {
                outbox.update(
                    .chatLastMessage(
                        UpdateChatLastMessage(
                            chatId: seen.chatID, lastMessage: message, positions: positions(updated, session: session)))
                )
            }
            deliver(outbox, state: state)
        }
    }

    private func pressButton(
        _ request: Request, me: Int64, clientID: Int32, session: ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        let press = try request.decode(GetCallbackQueryAnswer.self)
        // Requests.cpp's CHECK_IS_USER, before the callback query manager looks at anything.
        guard !session.isBot else { throw SimulatedError(code: 400, message: "The method is not available to bots") }
        guard case .data(let payload) = press.payload, !payload.data.isEmpty else {
            throw SimulatedError(code: 400, message: "Payload must be non-empty")
        }
        let chat = try state.chat(press.chatId)
        guard let record = chat.messages.first(where: { $0.id == press.messageId }) else {
            throw SimulatedError(code: 400, message: "Message not found")
        }
        // The bot sees the press in its own view of the chat.
        let botView = record.link.flatMap { state.world.message($0) } ?? record
        state.lastCallbackQueryID += 1
        let queryID = 7_000_000_000_000 + state.lastCallbackQueryID
        state.callbackQueries[queryID] = PendingCallbackQuery(
            askerClientID: clientID, askerGeneration: session.generation, extra: request.extra)
        if let (botClientID, botSession) = state.sessions.first(where: {
            $0.value.auth == .ready && $0.value.userID == record.senderID && $0.value.isBot
        }) {
            var bot = Outbox(clientID: botClientID)
            var botSession = botSession
            announceChat(botView.chatID, session: &botSession, state: state, outbox: &bot)
            if !botSession.knownUsers.contains(me), let user = state.world.users[me],
                let object = try? SimulatorObjects.user(user)
            {
                botSession.knownUsers.insert(me)
                bot.update(.user(UpdateUser(user: object)))
            }
            state.sessions[botClientID] = botSession
            bot.update(
                .newCallbackQuery(
                    UpdateNewCallbackQuery(
                        id: queryID, senderUserId: me, chatId: botView.chatID, messageId: botView.id,
                        chatInstance: abs(press.chatId &* 31 &+ record.senderID), payload: .data(payload))))
            deliver(bot, state: state)
        }
        // No answer now: the bot's answerCallbackQuery brings it, or the timeout TDLib's 502.
        outbox.extra = nil
        schedule(after: Self.callbackAnswerTimeout, clientID: clientID, generation: session.generation) {
            _, state, outbox in
            guard let pending = state.callbackQueries.removeValue(forKey: queryID) else { return }
            outbox.extra = pending.extra
            outbox.error(502, "The bot is not responding")
        }
    }

    private func editMessageText(
        _ request: Request, me: Int64, clientID: Int32, state: inout SimulatorState, outbox: inout Outbox
    ) throws {
        let edit = try request.decode(EditMessageText.self)
        guard case .text(let input) = edit.inputMessageContent else {
            throw SimulatedError(
                code: 400, message: "Input message content type must be inputMessageText or inputMessageRichMessage")
        }
        let chat = try state.chat(edit.chatId)
        guard var record = chat.messages.first(where: { $0.id == edit.messageId }) else {
            throw SimulatedError(code: 400, message: "Message not found")
        }
        // can_edit_message: one's own messages, never a forward.
        guard record.senderID == me, record.forwardInfo == nil else {
            throw SimulatedError(code: 400, message: "Message can't be edited")
        }
        guard record.attachment == nil else {
            throw SimulatedError(code: 400, message: "There is no text in the message to edit")
        }
        record.text = input.text.text
        record.editDate = Int32(Date().timeIntervalSince1970)
        record.replyMarkup = edit.replyMarkup
        state.world.setMessage(record)
        try announceEdit(of: record, me: me, clientID: clientID, state: &state, outbox: &outbox)
    }

    /// An edited message (already stored) shown to the editor, with the answer, and to every other
    /// account that sees it: the other side of a private chat gets the edit on its own copy.
    func announceEdit(
        of record: SimulatorWorld.MessageRecord, me: Int64, clientID: Int32, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        let edited = try messageObject(record, me: me, state: state, clientID: clientID)
        Self.announceEdit(edited, to: &outbox)
        outbox.answer(edited)
        var others: [(clientID: Int32, record: SimulatorWorld.MessageRecord)] = []
        let peerID = state.world.chats[record.chatID]?.kind.privateUserID
        if let link = record.link, var mirrored = state.world.message(link) {
            mirrored.text = record.text
            mirrored.attachment?.caption = record.attachment?.caption ?? FormattedText(text: "", entities: [])
            mirrored.editDate = record.editDate
            mirrored.replyMarkup = record.replyMarkup
            state.world.setMessage(mirrored)
            others = state.sessions.filter { $0.value.auth == .ready && $0.value.userID == peerID }.map {
                ($0.key, mirrored)
            }
        } else if peerID == nil {
            others = state.sessions.filter { $0.key != clientID && $0.value.auth == .ready }.map { ($0.key, record) }
        }
        for (other, seen) in others {
            guard let viewer = state.sessions[other]?.userID,
                let message = try? messageObject(seen, me: viewer, state: state, clientID: other)
            else { continue }
            var outbox = Outbox(clientID: other)
            Self.announceEdit(message, to: &outbox)
            deliver(outbox, state: state)
        }
    }

    /// TDLib's updates for an edited message: its new content, then the edit itself.
    private static func announceEdit(_ message: Message, to outbox: inout Outbox) {
        outbox.update(
            .messageContent(
                UpdateMessageContent(chatId: message.chatId, messageId: message.id, newContent: message.content)))
        outbox.update(
            .messageEdited(
                UpdateMessageEdited(
                    chatId: message.chatId, messageId: message.id, editDate: message.editDate,
                    replyMarkup: message.replyMarkup)))
    }
}

extension SimulatorWorld {
    /// The message a link points at.
    func message(_ link: MessageLink) -> MessageRecord? {
        chats[link.chatID]?.messages.first { $0.id == link.messageID }
    }

    /// Stores a changed message in place.
    mutating func setMessage(_ record: MessageRecord) {
        guard let index = chats[record.chatID]?.messages.firstIndex(where: { $0.id == record.id }) else { return }
        chats[record.chatID]?.messages[index] = record
    }

    /// Links the two sides of one message of a private chat to each other.
    mutating func link(_ first: MessageRecord, _ second: MessageRecord) {
        var first = first
        var second = second
        first.link = MessageLink(chatID: second.chatID, messageID: second.id)
        second.link = MessageLink(chatID: first.chatID, messageID: first.id)
        setMessage(first)
        setMessage(second)
    }
}
