import Foundation
import TDLibAPI

/// `getChatHistory` as TDLib answers it (MessagesManager::get_dialog_history, OrderedMessages::get_history):
/// from the messages the client holds, which are fewer than asked at first; from Telegram when it holds
/// none at the place asked; then a preload of older messages when few are left below the answer.
extension TDSimulator {
    func getChatHistory(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: SimulatorState,
        outbox: inout Outbox
    ) throws {
        let history = try request.decode(GetChatHistory.self)
        // TDLib's checks, in its order; a limit over 100 is cut to 100.
        let limit = Int(min(history.limit, 100))
        let offset = Int(history.offset)
        guard limit > 0 else { throw SimulatedError(code: 400, message: "Parameter limit must be positive") }
        guard offset <= 0 else { throw SimulatedError(code: 400, message: "Parameter offset must be non-positive") }
        guard offset > -100 else {
            throw SimulatedError(code: 400, message: "Parameter offset must be greater than -100")
        }
        guard offset >= -limit else {
            throw SimulatedError(code: 400, message: "Parameter offset must be greater than or equal to -limit")
        }
        let chat = try state.chat(history.chatId)
        guard history.fromMessageId >= 0 else {
            throw SimulatedError(code: 400, message: "Invalid value of parameter from_message_id specified")
        }
        announceChat(chat.id, session: &session, state: state, outbox: &outbox)
        // TDLib reads 0 and any identifier above the largest possible one as "from the newest".
        let from =
            history.fromMessageId <= 0 || history.fromMessageId > Self.maxMessageID
            ? Self.maxMessageID : history.fromMessageId
        var indices = heldHistory(chat, floor: session.historyFloor[chat.id], from: from, offset: offset, limit: limit)
        if indices.isEmpty, !history.onlyLocal, !chat.messages.isEmpty {
            // Nothing held there: TDLib asks Telegram for the page, keeps it, and answers from it.
            let page = Self.serverPage(chat, from: from == Self.maxMessageID ? 0 : from, offset: offset, limit: limit)
            if let oldest = page.first, chat.messages[oldest].id < (session.historyFloor[chat.id] ?? .max) {
                session.historyFloor[chat.id] = chat.messages[oldest].id
            }
            indices = heldHistory(chat, floor: session.historyFloor[chat.id], from: from, offset: offset, limit: limit)
        }
        let records = indices.map { chat.messages[$0] }
        announceUsers(of: records, session: &session, state: state, outbox: &outbox)
        let messages = try records.map { try messageObject($0, me: me, state: state, clientID: clientID) }
        outbox.answer(Messages(totalCount: Int32(messages.count), messages: messages))
        if let oldest = indices.last, !history.onlyLocal { preloadOlder(chat, below: oldest, session: &session) }
    }

    /// TDLib's MessageId::max(): the identifier of a server message can be no larger.
    static let maxMessageID: Int64 = Int64(Int32.max) << 20

    /// The indices (newest first) of the messages the client holds that TDLib would answer with.
    private func heldHistory(
        _ chat: SimulatorWorld.ChatRecord, floor: Int64?, from: Int64, offset: Int, limit: Int
    ) -> [Int] {
        let messages = chat.messages
        // The client holds messages[held...]: a run from `floor` to the newest.
        let held = floor.map { chat.firstIndex(notBelow: $0) } ?? messages.count
        guard held < messages.count else { return [] }
        var limit = limit
        var offset = offset
        var from = from
        // Asking for exactly -offset newer messages: TDLib takes one more and drops it when it got them all.
        let takesOneMore = limit == -offset
        if takesOneMore { limit += 1 }
        // The newest held message at or below an identifier, if any.
        func position(atOrBelow id: Int64) -> Int? {
            let index = chat.firstIndex(notBelow: id == .max ? id : id + 1) - 1
            return index >= held ? index : nil
        }
        let lastID = messages[messages.count - 1].id
        var cursor = position(atOrBelow: from)
        // Nothing held at or below `from` is a gap: TDLib has nothing to answer from there.
        let isGap = cursor == nil
        if from > lastID {
            limit += offset
            offset = 0
        } else {
            if let index = cursor, messages[index].id == from {
                if offset < 0 {
                    offset += 1
                } else {
                    cursor = index > held ? index - 1 : nil
                }
            }
            while let index = cursor, offset < 0 {
                cursor = index + 1 < messages.count ? index + 1 : nil
                if let newer = cursor {
                    offset += 1
                    from = messages[newer].id
                }
            }
            if offset < 0, from >= lastID {
                limit += offset
                offset = 0
                cursor = position(atOrBelow: from)
            }
            if !isGap, offset < 0 { offset -= 1 }
        }
        var result: [Int] = []
        if var index = cursor, offset == 0 {
            while result.count < limit {
                result.append(index)
                guard index > held else { break }
                index -= 1
            }
        }
        if takesOneMore, result.count == limit { result.removeLast() }
        return result
    }

    /// The page Telegram's messages.getHistory answers (oldest first, as indices): `limit` messages from
    /// the first below `from` (the newest when 0), moved `offset` toward the newer.
    private static func serverPage(_ chat: SimulatorWorld.ChatRecord, from: Int64, offset: Int, limit: Int) -> [Int] {
        let count = chat.messages.count
        // Position 0 is the newest message; the first message below `from` is at this position.
        let firstBelow = from <= 0 ? 0 : count - chat.firstIndex(notBelow: from)
        let start = max(0, firstBelow + offset)
        let end = min(count, start + limit)
        guard start < end else { return [] }
        return ((count - end)...(count - 1 - start)).map { $0 }
    }

    /// After an answer, TDLib loads older messages in the background when fewer than the threshold are
    /// held at and below the answer's oldest (MessagesManager::preload_older_messages). The simulator
    /// applies the preload at once, so that paging stays deterministic.
    private func preloadOlder(_ chat: SimulatorWorld.ChatRecord, below oldest: Int, session: inout ClientSession) {
        let paging = scenario.pagingSettings
        guard let floor = session.historyFloor[chat.id] else { return }
        let held = chat.firstIndex(notBelow: floor)
        guard oldest - held + 1 < paging.preloadThreshold, held > 0, paging.preloadCount > 0 else { return }
        session.historyFloor[chat.id] = chat.messages[max(0, held - paging.preloadCount)].id
    }

    /// A message the client sees arrive (sent or received) joins what it holds of the chat.
    func holdNewMessage(_ record: SimulatorWorld.MessageRecord, session: inout ClientSession) {
        if session.historyFloor[record.chatID] == nil { session.historyFloor[record.chatID] = record.id }
    }
}

/// `searchChatMessages` as TDLib asks Telegram for it (MessagesManager::search_dialog_messages): TDLib's
/// checks in its order, then a server page of the matching messages below `from_message_id`, with
/// `next_from_message_id` the oldest of the page (0 once a page is empty).
extension TDSimulator {
    func searchChatMessages(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: SimulatorState,
        outbox: inout Outbox
    ) throws {
        let search = try request.decode(SearchChatMessages.self)
        guard search.limit > 0 else { throw SimulatedError(code: 400, message: "Parameter limit must be positive") }
        let limit = Int(min(search.limit, 100))
        let offset = Int(search.offset)
        guard limit > -offset else {
            throw SimulatedError(code: 400, message: "Parameter limit must be greater than -offset")
        }
        guard offset <= 0 else { throw SimulatedError(code: 400, message: "Parameter offset must be non-positive") }
        guard search.fromMessageId >= 0 else {
            throw SimulatedError(
                code: 400, message: "Parameter from_message_id must be identifier of a chat message or 0")
        }
        let chat = try state.chat(search.chatId)
        announceChat(chat.id, session: &session, state: state, outbox: &outbox)
        let query = search.query.lowercased()
        let senderID: Int64? = if case .user(let user) = search.senderId { user.userId } else { nil }
        // Oldest first, as the chat keeps them.
        let matches = chat.messages.filter { message in
            (query.isEmpty || message.text.lowercased().contains(query))
                && (senderID.map { message.senderID == $0 } ?? true)
        }
        let from = search.fromMessageId > Self.maxMessageID ? 0 : search.fromMessageId
        // Position 0 is the newest match; the first match below `from` is at this position.
        let firstBelow = from == 0 ? 0 : matches.count - (matches.firstIndex { $0.id >= from } ?? matches.count)
        let start = max(0, firstBelow + offset)
        let page = Array(matches.reversed().dropFirst(start).prefix(limit))
        announceUsers(of: page, session: &session, state: state, outbox: &outbox)
        let messages = try page.map { try messageObject($0, me: me, state: state, clientID: clientID) }
        outbox.answer(
            FoundChatMessages(
                totalCount: Int32(matches.count), messages: messages, nextFromMessageId: page.last?.id ?? 0))
    }
}
