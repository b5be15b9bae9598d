import TDLib
import TDLibAPI

/// Reads a chat list as TDLib intends: the chats already in the store, then `loadChats` until its 404,
/// each page read from the store once TDLib's updates before the answer are applied.
final class ChatListReader: PageReader<Chat> {
    private let telegram: Telegram
    private let list: ChatList
    private let pageSize: Int32
    private var yielded = Set<Int64>()
    private var isComplete = false

    init(telegram: Telegram, list: ChatList, pageSize: Int32) {
        self.telegram = telegram
        self.list = list
        self.pageSize = pageSize
    }

    override func nextPage() async throws -> [Chat]? {
        while true {
            let fresh = telegram.store.chatIDs(in: list).filter { yielded.insert($0).inserted }
            if !fresh.isEmpty { return fresh.compactMap(telegram.store.chat) }
            if isComplete { return nil }
            do {
                _ = try await telegram.send(LoadChats(chatList: list, limit: pageSize))
            } catch let error as TDLibError where error.code == 404 {
                isComplete = true  // TDLib's way of saying that the whole list is loaded
            }
            await telegram.catchUpWithUpdates()
        }
    }
}

/// Reads a chat's history newest first, across TDLib's pages of any length: each page starts from the
/// oldest message so far, and keeps only older ones, so none is repeated or skipped.
final class HistoryReader: PageReader<Message> {
    private let telegram: Telegram
    private let chatID: Int64
    private var fromMessageID: Int64
    private let oldestDate: Int32?
    private var remaining: Int
    private var oldestID: Int64?
    private var isComplete = false

    init(telegram: Telegram, chatID: Int64, fromMessageID: Int64, oldestDate: Int32?, limit: Int) {
        self.telegram = telegram
        self.chatID = chatID
        self.fromMessageID = fromMessageID
        self.oldestDate = oldestDate
        remaining = limit
        oldestID = fromMessageID == 0 ? nil : fromMessageID
    }

    override func nextPage() async throws -> [Message]? {
        guard !isComplete, remaining > 0 else { return nil }
        let request = GetChatHistory(
            chatId: chatID, fromMessageId: fromMessageID, offset: 0, limit: 100, onlyLocal: false)
        let answer = try await telegram.explainingUnknownChat(chatID) { try await telegram.send(request) }
        var messages = answer.messages.compactMap { $0 }.sorted { $0.id > $1.id }
        // TDLib leaves `from_message_id` itself out; a backend that includes it is cut back to that.
        if let oldestID { messages.removeAll { $0.id >= oldestID } }
        guard let oldest = messages.last else { return nil }  // an empty page: the start of the chat
        if let oldestDate, let cut = messages.firstIndex(where: { $0.date < oldestDate }) {
            messages.removeSubrange(cut...)
            isComplete = true
        }
        if messages.count >= remaining {
            messages.removeSubrange(remaining...)
            isComplete = true
        }
        remaining -= messages.count
        oldestID = oldest.id
        fromMessageID = oldest.id
        return messages
    }
}

/// Reads `searchChatMessages` page by page, following its `next_from_message_id` until it is 0.
final class ChatSearchReader: PageReader<Message> {
    private let telegram: Telegram
    private var request: SearchChatMessages
    private var oldestID: Int64?
    private var isComplete = false

    init(telegram: Telegram, request: SearchChatMessages) {
        self.telegram = telegram
        self.request = request
    }

    override func nextPage() async throws -> [Message]? {
        guard !isComplete else { return nil }
        let request = request
        let answer = try await telegram.explainingUnknownChat(request.chatId) { try await telegram.send(request) }
        var messages = answer.messages.sorted { $0.id > $1.id }
        if let oldestID { messages.removeAll { $0.id >= oldestID } }
        if answer.nextFromMessageId == 0 || messages.isEmpty { isComplete = true }
        if let oldest = messages.last { oldestID = oldest.id }
        self.request.fromMessageId = answer.nextFromMessageId
        return messages
    }
}

/// Reads `getSupergroupMembers` page by page, by offset, until a page is empty or the total is reached.
final class SupergroupMemberReader: PageReader<ChatMember> {
    private let telegram: Telegram
    private var request: GetSupergroupMembers
    private var seen = Set<MessageSender>()
    private var isComplete = false

    init(telegram: Telegram, request: GetSupergroupMembers) {
        self.telegram = telegram
        self.request = request
    }

    override func nextPage() async throws -> [ChatMember]? {
        guard !isComplete else { return nil }
        let request = request
        let answer = try await telegram.send(request)
        if answer.members.isEmpty { return nil }
        self.request.offset += Int32(answer.members.count)
        if self.request.offset >= answer.totalCount { isComplete = true }
        return answer.members.filter { seen.insert($0.memberId).inserted }
    }
}
