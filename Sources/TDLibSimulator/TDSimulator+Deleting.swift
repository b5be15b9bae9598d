import Foundation
import TDLib
import TDLibAPI

/// `deleteMessages` as TDLib 022d602 does it (MessagesManager.cpp: `delete_messages`,
/// `do_delete_dialog_messages`, `send_update_delete_messages`, `send_update_chat_last_message_impl`).
extension TDSimulator {
    /// Deletes messages: the updates at once, TDLib's `ok` once Telegram has deleted them.
    ///
    /// TDLib removes the messages it holds and sends `updateChatLastMessage` (when the chat's last message
    /// went; never to bots) and `updateDeleteMessages` with the identifiers it removed, in the order asked.
    /// Its answer waits for the server's when a sent message is among them; otherwise (none found, or only
    /// messages still being sent) its answer is queued before the updates.
    func deleteMessages(
        _ request: Request, me: Int64, clientID: Int32, session: ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        let delete = try request.decode(DeleteMessages.self)
        let chat = try state.chat(delete.chatId)
        guard !delete.messageIds.isEmpty else { return outbox.answer(Ok()) }
        for id in delete.messageIds where !Self.isValidMessageID(id) && !Self.isValidScheduledMessageID(id) {
            throw SimulatedError(code: 400, message: "Invalid message identifier")
        }
        let serverIDs = delete.messageIds.filter { id in chat.messages.contains { $0.id == id } }
        let uploadIDs = delete.messageIds.filter { state.world.files.uploads[$0]?.record.chatID == chat.id }
        let inFlightIDs = delete.messageIds.filter { state.inFlightSends[$0]?.record.chatID == chat.id }
        let removable = Set(serverIDs + uploadIDs + inFlightIDs)
        var removed: [Int64] = []
        for id in delete.messageIds where removable.contains(id) && !removed.contains(id) { removed.append(id) }
        let delay = scenario.networkSettings.messageDelivery(onManualClock: clock.isManual)
        let answersLater = !serverIDs.isEmpty && delay > 0
        if serverIDs.isEmpty { outbox.answer(Ok()) }

        let lastBefore = lastMessage(of: chat.id, state: state)
        cancelUploads(of: Set(uploadIDs), clientID: clientID, state: &state, outbox: &outbox)
        for id in inFlightIDs { state.inFlightSends[id] = nil }
        let ids = Set(serverIDs)
        let deleted = chat.messages.filter { ids.contains($0.id) }
        state.world.chats[delete.chatId]?.messages.removeAll { ids.contains($0.id) }
        if delete.revoke { deleteForOtherAccounts(deleted, clientID: clientID, state: &state) }
        let lastAfter = lastMessage(of: chat.id, state: state)
        if lastBefore?.record.id != lastAfter?.record.id, !session.isBot, let updated = state.world.chats[chat.id] {
            let last = lastAfter.flatMap {
                try? messageObject($0.record, me: me, state: state, clientID: clientID, pendingSendingID: $0.sendingID)
            }
            outbox.update(
                .chatLastMessage(
                    UpdateChatLastMessage(
                        chatId: chat.id, lastMessage: last, positions: positions(updated, session: session))))
        }
        if !removed.isEmpty {
            outbox.update(
                .deleteMessages(
                    UpdateDeleteMessages(
                        chatId: delete.chatId, messageIds: removed, isPermanent: true, fromCache: false)))
        }
        guard !serverIDs.isEmpty else { return }
        guard answersLater else { return outbox.answer(Ok()) }
        let extra = outbox.extra
        // messages.deleteMessages is a round trip to Telegram.
        schedule(after: delay, clientID: clientID, generation: session.generation) { _, _, outbox in
            outbox.extra = extra
            outbox.answer(Ok())
        }
    }

    /// The chat's last message as TDLib sees it: the newest of its messages, those being sent included;
    /// `sendingID` is set for one being sent.
    private func lastMessage(
        of chatID: Int64, state: SimulatorState
    ) -> (record: SimulatorWorld.MessageRecord, sendingID: Int32?)? {
        var candidates: [(record: SimulatorWorld.MessageRecord, sendingID: Int32?)] = []
        if let last = state.world.chats[chatID]?.messages.last { candidates.append((last, nil)) }
        for send in state.inFlightSends.values where send.record.chatID == chatID {
            candidates.append((send.record, send.sendingID))
        }
        for upload in state.world.files.uploads.values where upload.record.chatID == chatID {
            candidates.append((upload.record, upload.sendingID))
        }
        return candidates.max { $0.record.id < $1.record.id }
    }
}
