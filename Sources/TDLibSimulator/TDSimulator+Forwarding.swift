import Foundation
import TDLib
import TDLibAPI

/// Forwards, copies and caption edits, as TDLib 022d602 does them: MessagesManager.cpp
/// (`get_forwarded_messages`, `forward_messages`, `create_message_forward_info`,
/// `get_forwarded_message_origin`, `fix_forwarded_message`, `edit_message_caption`) and MessageId.cpp.
extension TDSimulator {
    /// The methods of this file, which need a logged-in account.
    static let forwardingMethods: Set<String> = ["forwardMessages", "editMessageCaption"]

    /// TDLib forwards at most this many messages in one call.
    static let maxForwardedMessages = 100

    /// Handles the requests of this file; `false` when `request` is none of them.
    func forwardingRequest(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws -> Bool {
        switch request.type {
        case "forwardMessages":
            try forwardMessages(request, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        case "editMessageCaption":
            try editMessageCaption(
                request, me: me, clientID: clientID, session: session, state: &state, outbox: &outbox)
        default:
            return false
        }
        return true
    }

    private func forwardMessages(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        let forward = try request.decode(ForwardMessages.self)
        let ids = forward.messageIds
        // get_forwarded_messages' checks, in its order.
        guard ids.count <= Self.maxForwardedMessages else {
            throw SimulatedError(code: 400, message: "Too many messages to forward")
        }
        guard !ids.isEmpty else { throw SimulatedError(code: 400, message: "There are no messages to forward") }
        guard let from = state.world.chats[forward.fromChatId] else {
            throw SimulatedError(code: 400, message: "Chat to forward messages from not found")
        }
        guard let to = state.world.chats[forward.chatId] else {
            throw SimulatedError(code: 400, message: "Chat to forward messages to not found")
        }
        var last: Int64 = 0
        for id in ids {
            if Self.isValidScheduledMessageID(id) {
                throw SimulatedError(code: 400, message: "Can't forward scheduled messages")
            }
            guard id & 4 == 0, Self.isValidMessageID(id) else {
                throw SimulatedError(code: 400, message: "Invalid message identifier")
            }
            guard id > last else {
                throw SimulatedError(code: 400, message: "Message identifiers must be in a strictly increasing order")
            }
            last = id
        }
        announceChat(to.id, session: &session, state: state, outbox: &outbox)
        var results: [Message?] = []
        var pendingRecords: [SimulatorWorld.MessageRecord] = []
        var sendingIDs: [Int32] = []
        for id in ids {
            // A message the chat does not have is skipped: its place in the answer is null.
            guard let original = from.messages.first(where: { $0.id == id }) else {
                results.append(nil)
                continue
            }
            state.lastSendingID += 1
            let sendingID = state.lastSendingID
            var record = SimulatorWorld.MessageRecord(
                id: state.world.pendingMessageID(sendingID: sendingID), chatID: to.id, senderID: me,
                text: original.text, date: Int32(Date().timeIntervalSince1970), attachment: original.attachment)
            if forward.sendCopy {
                // A copy has no origin and no buttons; remove_caption empties a media caption.
                if forward.removeCaption, record.attachment != nil {
                    record.text = ""
                    record.attachment?.caption = FormattedText(text: "", entities: [])
                }
            } else {
                record.forwardInfo = Self.forwardInfo(of: original, from: from, me: me)
                record.replyMarkup = Self.forwardedReplyMarkup(original.replyMarkup)
            }
            let pending = try messageObject(
                record, me: me, state: state, clientID: clientID, pendingSendingID: sendingID)
            results.append(pending)
            pendingRecords.append(record)
            sendingIDs.append(sendingID)
        }
        announcePending(results.compactMap { $0 }, session: session, state: state, outbox: &outbox)
        outbox.answer(Messages(totalCount: Int32(results.count), messages: results))
        guard !pendingRecords.isEmpty else { return }
        let records = pendingRecords
        let complete: @Sendable (TDSimulator, inout ClientSession, inout SimulatorState, inout Outbox) -> Void = {
            simulator, session, state, outbox in
            for record in records where state.inFlightSends.removeValue(forKey: record.id) != nil {
                simulator.messageSent(
                    record, text: FormattedText(text: record.text, entities: []), me: me, session: &session,
                    state: &state, outbox: &outbox)
            }
        }
        let delivery = scenario.networkSettings.messageDelivery(onManualClock: clock.isManual)
        for (record, sendingID) in zip(records, sendingIDs) { state.inFlightSends[record.id] = (record, sendingID) }
        if delivery > 0 {
            schedule(after: delivery, clientID: clientID, generation: session.generation) { simulator, state, outbox in
                guard var session = state.sessions[clientID] else { return }
                complete(simulator, &session, &state, &outbox)
                state.sessions[clientID] = session
            }
        } else {
            complete(self, &session, &state, &outbox)
        }
    }

    /// `create_message_forward_info`: a forward of a forward keeps the first origin; a message of a
    /// channel names the channel and its message, any other its sender; none for one's own Saved Messages.
    static func forwardInfo(
        of original: SimulatorWorld.MessageRecord, from chat: SimulatorWorld.ChatRecord, me: Int64
    ) -> MessageForwardInfo? {
        if let info = original.forwardInfo { return info }
        guard chat.id != me else { return nil }
        let origin: MessageOrigin =
            chat.kind.isChannel
            ? .channel(MessageOriginChannel(chatId: chat.id, messageId: original.id, authorSignature: ""))
            : .user(MessageOriginUser(senderUserId: original.senderID))
        return MessageForwardInfo(origin: origin, date: original.date, source: nil, publicServiceAnnouncementType: "")
    }

    /// `fix_forwarded_message`: an inline keyboard goes along only when every button opens a URL.
    static func forwardedReplyMarkup(_ markup: ReplyMarkup?) -> ReplyMarkup? {
        guard case .inlineKeyboard(let keyboard)? = markup else { return nil }
        let onlyURLs = keyboard.rows.allSatisfy { row in
            row.allSatisfy { button in
                switch button.type {
                case .url, .loginUrl: true
                default: false
                }
            }
        }
        return onlyURLs ? markup : nil
    }

    /// `MessageId::is_valid`: a server identifier, or one of a message being sent or a local one.
    static func isValidMessageID(_ id: Int64) -> Bool {
        guard id > 0, id <= Int64(Int32.max) << 20 else { return false }
        if id & ((1 << 20) - 1) == 0 { return true }
        let type = id & 7
        return type == 1 || type == 2
    }

    /// `MessageId::is_valid_scheduled`.
    static func isValidScheduledMessageID(_ id: Int64) -> Bool {
        guard id > 0, id <= Int64(1) << 51 else { return false }
        return [4, 5, 6].contains(id & 7)
    }

    private func editMessageCaption(
        _ request: Request, me: Int64, clientID: Int32, session: ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        let edit = try request.decode(EditMessageCaption.self)
        let chat = try state.chat(edit.chatId)
        guard var record = chat.messages.first(where: { $0.id == edit.messageId }) else {
            throw SimulatedError(code: 400, message: "Message not found")
        }
        // can_edit_message: one's own messages, never a forward.
        guard record.senderID == me, record.forwardInfo == nil else {
            throw SimulatedError(code: 400, message: "Message can't be edited")
        }
        guard record.attachment != nil else {
            throw SimulatedError(code: 400, message: "There is no caption in the message to edit")
        }
        let caption = edit.caption ?? FormattedText(text: "", entities: [])
        guard caption.text.utf16.count <= 1024 else {
            throw SimulatedError(code: 400, message: "MEDIA_CAPTION_TOO_LONG")
        }
        record.text = caption.text
        record.attachment?.caption = caption
        record.editDate = Int32(Date().timeIntervalSince1970)
        // Reply markup is for bots only (`get_inline_reply_markup`): a user's edit leaves none.
        record.replyMarkup = session.isBot ? edit.replyMarkup : nil
        state.world.setMessage(record)
        try announceEdit(of: record, me: me, clientID: clientID, state: &state, outbox: &outbox)
    }
}
