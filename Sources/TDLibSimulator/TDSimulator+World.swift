import Foundation
import TDLib
import TDLibAPI

extension TDSimulator {
    // MARK: The world

    func world(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        switch request.type {
        case "getMe":
            outbox.answer(try SimulatorObjects.user(try state.user(me)))
        case "getUser":
            outbox.answer(try SimulatorObjects.user(try state.user(try request.decode(GetUser.self).userId)))
        case "getUserFullInfo":
            outbox.answer(
                try SimulatorObjects.userFullInfo(try state.user(try request.decode(GetUserFullInfo.self).userId)))
        case "getChats":
            try getChats(request, session: &session, state: state, outbox: &outbox)
        case "loadChats":
            try loadChats(request, session: &session, state: state, outbox: &outbox)
        case "getChat":
            let chatID = try request.decode(GetChat.self).chatId
            let chat = try state.chat(chatID)
            announceChat(chatID, session: &session, state: state, outbox: &outbox)
            outbox.answer(try chatObject(chat, me: me, session: session, state: state))
        case "getSupergroupMembers":
            try getSupergroupMembers(request, me: me, session: &session, state: state, outbox: &outbox)
        case "searchChatMessages":
            try searchChatMessages(
                request, me: me, clientID: clientID, session: &session, state: state, outbox: &outbox)
        case "searchPublicChat":
            try searchPublicChat(request, me: me, session: &session, state: &state, outbox: &outbox)
        case "getChatHistory":
            try getChatHistory(request, me: me, clientID: clientID, session: &session, state: state, outbox: &outbox)
        case "getMessage":
            let get = try request.decode(GetMessage.self)
            let chat = try state.chat(get.chatId)
            guard let record = chat.messages.first(where: { $0.id == get.messageId }) else {
                throw SimulatedError(code: 404, message: "Not Found")
            }
            announceUsers(of: [record], session: &session, state: state, outbox: &outbox)
            outbox.answer(try messageObject(record, me: me, state: state, clientID: clientID))
        case "sendMessage":
            try sendMessage(request, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        case "sendMessageAlbum":
            try sendMessageAlbum(
                request, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        case "deleteMessages":
            try deleteMessages(request, me: me, clientID: clientID, session: session, state: &state, outbox: &outbox)
        case "importContacts":
            let contacts = try request.decode(ImportContacts.self).contacts
            var userIDs: [Int64] = []
            for contact in contacts {
                let digits = SimulatorWorld.digits(contact.phoneNumber)
                if let user = state.world.users.values.first(where: { !digits.isEmpty && $0.phone == digits }) {
                    state.world.users[user.id]?.isContact = true
                    userIDs.append(user.id)
                } else {
                    userIDs.append(0)
                }
            }
            outbox.answer(ImportedContacts(userIds: userIDs, importerCount: userIDs.map { _ in 0 }))
        case "getSupergroupFullInfo":
            let id = try request.decode(GetSupergroupFullInfo.self).supergroupId
            guard let chat = state.world.chats.values.first(where: { $0.kind.supergroupID == id }) else {
                throw SimulatedError(code: 400, message: "Supergroup not found")
            }
            outbox.answer(try SimulatorObjects.supergroupFullInfo(memberCount: chat.memberIDs.count + 1))
        case "createBasicGroupChat":
            let id = try request.decode(CreateBasicGroupChat.self).basicGroupId
            guard let chat = state.world.chats.values.first(where: { $0.kind == .basicGroup(id: id) }) else {
                throw SimulatedError(code: 400, message: "Basic group not found")
            }
            announceChat(chat.id, session: &session, state: state, outbox: &outbox)
            outbox.answer(try chatObject(chat, me: me, session: session, state: state))
        case "getWebPageInstantView":
            _ = try request.decode(GetWebPageInstantView.self)
            // Requests.cpp's CHECK_IS_USER; the world has no web pages, TDLib's answer for a page without one.
            guard !session.isBot else {
                throw SimulatedError(code: 400, message: "The method is not available to bots")
            }
            throw SimulatedError(code: 404, message: "Not Found")
        case "downloadFile", "cancelDownloadFile", "getFile":
            try fileRequest(request, clientID: clientID, session: session, state: &state, outbox: &outbox)
        default:
            guard
                try accountsRequest(
                    request, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
            else {
                throw SimulatedError(code: 400, message: "The simulator does not support the method \(request.type)")
            }
        }
    }

    func sendMessage(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        let send = try request.decode(SendMessage.self)
        _ = try state.chat(send.chatId)
        guard case .text(let input) = send.inputMessageContent else {
            return try sendFileMessage(
                send, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        }
        let text = input.text.text
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw SimulatedError(code: 400, message: "Message must be non-empty")
        }
        guard text.utf16.count <= 4096 else { throw SimulatedError(code: 400, message: "MESSAGE_TOO_LONG") }
        announceChat(send.chatId, session: &session, state: state, outbox: &outbox)
        let chat = try state.chat(send.chatId)
        state.lastSendingID += 1
        let sendingID = state.lastSendingID
        // A temporary identifier above the newest message, as TDLib gives a message still being sent.
        let pendingRecord = SimulatorWorld.MessageRecord(
            id: state.world.pendingMessageID(sendingID: sendingID), chatID: send.chatId, senderID: me,
            text: text, date: Int32(Date().timeIntervalSince1970), replyMarkup: send.replyMarkup,
            replyTo: Self.replyRecord(send.replyTo, in: chat))
        var pending = try messageObject(
            pendingRecord, me: me, state: state, clientID: clientID, pendingSendingID: sendingID)
        pending.content = .text(MessageText(text: input.text))
        announcePending([pending], session: session, state: state, outbox: &outbox)
        outbox.answer(pending)
        let formatted = input.text
        let complete: @Sendable (TDSimulator, inout ClientSession, inout SimulatorState, inout Outbox) -> Void = {
            simulator, session, state, outbox in
            simulator.messageSent(
                pendingRecord, text: formatted, me: me, session: &session, state: &state, outbox: &outbox)
        }
        let delivery = scenario.networkSettings.messageDelivery(onManualClock: clock.isManual)
        if delivery > 0 {
            state.inFlightSends[pendingRecord.id] = (pendingRecord, sendingID)
            schedule(after: delivery, clientID: clientID, generation: session.generation) { simulator, state, outbox in
                guard var session = state.sessions[clientID],
                    state.inFlightSends.removeValue(forKey: pendingRecord.id) != nil
                else { return }
                complete(simulator, &session, &state, &outbox)
                state.sessions[clientID] = session
            }
        } else {
            complete(self, &session, &state, &outbox)
        }

        for event in scenario.events ?? [] where event.type == "reply" {
            guard let when = event.whenText, let reply = event.text,
                when.caseInsensitiveCompare(text.trimmingCharacters(in: .whitespacesAndNewlines)) == .orderedSame
            else { continue }
            let chatID = send.chatId
            // The other member answers once the message has reached Telegram.
            schedule(after: delivery + (event.after ?? 0.05), clientID: clientID, generation: session.generation) {
                simulator, state, outbox in
                simulator.deliverIncoming(
                    chatID: chatID, senderID: event.senderID, text: reply, clientID: clientID, state: &state,
                    outbox: &outbox)
            }
        }
    }

    /// A message as `clientID` sees it (its files with that client's local copies).
    func messageObject(
        _ record: SimulatorWorld.MessageRecord, me: Int64, state: SimulatorState, clientID: Int32? = nil,
        pendingSendingID: Int32? = nil
    ) throws -> Message {
        let isChannel = state.world.chats[record.chatID]?.kind.isChannel ?? false
        var message = try SimulatorObjects.message(
            record, myID: me, isChannel: isChannel, pendingSendingID: pendingSendingID)
        if let attachment = record.attachment {
            message.content = try state.world.files.content(attachment, clientID: clientID)
        }
        message.replyMarkup = record.replyMarkup
        message.editDate = record.editDate
        message.isPinned = record.isPinned
        if !record.reactions.isEmpty {
            message.interactionInfo = Self.interactionInfo(record.reactions, viewer: me)
        }
        message.forwardInfo = record.forwardInfo
        if let service = record.service { message.content = service }
        message.mediaAlbumId = record.mediaAlbumID
        if let reply = record.replyTo {
            // A reply in the same chat: no origin and no content, which TDLib gives for other chats only.
            message.replyTo = .message(
                MessageReplyToMessage(
                    chatId: record.chatID, messageId: reply.messageID, quote: reply.quote, checklistTaskId: 0,
                    pollOptionId: "", origin: nil, originSendDate: 0, content: nil))
        }
        return message
    }

    /// Telegram has the sent message: it gets its server identifier (`updateMessageSendSucceeded`).
    func messageSent(
        _ pending: SimulatorWorld.MessageRecord, text: FormattedText, me: Int64, session: inout ClientSession,
        state: inout SimulatorState, outbox: inout Outbox
    ) {
        var record = state.world.appendMessage(
            chatID: pending.chatID, senderID: me, text: pending.text, date: pending.date)
        record.replyMarkup = pending.replyMarkup
        record.replyTo = pending.replyTo
        record.forwardInfo = pending.forwardInfo
        record.attachment = pending.attachment
        state.world.setMessage(record)
        holdNewMessage(record, session: &session)
        guard var sent = try? messageObject(record, me: me, state: state, clientID: outbox.clientID),
            let chat = state.world.chats[pending.chatID]
        else { return }
        if record.attachment == nil { sent.content = .text(MessageText(text: text)) }
        outbox.update(.messageSendSucceeded(UpdateMessageSendSucceeded(message: sent, oldMessageId: pending.id)))
        // `on_send_message_success`: the sent message replaces the pending one as the chat's last message;
        // bots get no chat updates (`send_update_chat_last_message_impl`).
        if !session.isBot {
            outbox.update(
                .chatLastMessage(
                    UpdateChatLastMessage(
                        chatId: pending.chatID, lastMessage: sent, positions: positions(chat, session: session))))
        }
        deliverToOtherAccounts(record, senderClientID: outbox.clientID, state: &state)
    }
}

extension TDSimulator {
    /// TDLib's updates for messages it has just started to send, before its answer (`send_message`,
    /// `send_message_group`, `forward_messages`): `updateNewMessage` for each, then `updateChatLastMessage`
    /// with the last of them; a bot gets neither (`send_update_new_message` is skipped for bots and
    /// `send_update_chat_last_message_impl` returns for them).
    func announcePending(
        _ messages: [Message], session: ClientSession, state: SimulatorState, outbox: inout Outbox
    ) {
        guard !session.isBot, let last = messages.last else { return }
        for message in messages { outbox.update(.newMessage(UpdateNewMessage(message: message))) }
        guard let chat = state.world.chats[last.chatId] else { return }
        outbox.update(
            .chatLastMessage(
                UpdateChatLastMessage(
                    chatId: last.chatId, lastMessage: last, positions: positions(chat, session: session))
            ))
    }

    /// The reply a new message of `chat` carries: TDLib keeps `inputMessageReplyToMessage` only when the
    /// replied message is in the chat and drops it otherwise (`create_message_input_reply_to`); a quote
    /// the user gives is manual.
    static func replyRecord(
        _ input: InputMessageReplyTo?, in chat: SimulatorWorld.ChatRecord
    ) -> SimulatorWorld.ReplyRecord? {
        guard case .message(let reply)? = input, chat.messages.contains(where: { $0.id == reply.messageId }) else {
            return nil
        }
        return SimulatorWorld.ReplyRecord(
            messageID: reply.messageId,
            quote: reply.quote.map { TextQuote(text: $0.text, position: $0.position, isManual: true) })
    }
}
