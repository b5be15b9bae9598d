import Foundation
import TDLib
import TDLibAPI

extension Telegram {
    // MARK: Sequences

    /// Every chat of a list in TDLib's order (by position order, then chat identifier, descending), each
    /// once: first those already in ``store``, then more with `loadChats` until TDLib answers 404.
    ///
    /// TDLib reports the loaded chats through updates; the sequence reads them from the store once every
    /// update TDLib sent before `loadChats` answered is applied.
    /// - Parameters:
    ///   - list: the chat list: main (the default), archive or a folder.
    ///   - pageSize: the `limit` of each `loadChats`; TDLib may load fewer.
    public func chats(in list: ChatList = .main, pageSize: Int32 = 100) -> TelegramPages<Chat> {
        TelegramPages { [self] in ChatListReader(telegram: self, list: list, pageSize: pageSize) }
    }

    /// A chat's messages newest first, across TDLib's pages of any length, each once and none skipped, to
    /// the start of the chat or until `date` or `limit`.
    ///
    /// - Parameters:
    ///   - chatID: the chat.
    ///   - fromMessageID: start with the messages older than this one; 0 starts with the newest.
    ///   - date: stop at the first message sent before this date.
    ///   - limit: stop after this many messages.
    /// - Throws: `TDLibError`; for TDLib's 400 "Chat not found", with a `hint` that says what to do.
    public func history(chatID: Int64, from fromMessageID: Int64 = 0, until date: Date? = nil, limit: Int = .max)
        -> TelegramPages<Message>
    {
        let oldestDate = date.map { Int32(clamping: Int64($0.timeIntervalSince1970.rounded(.up))) }
        return TelegramPages { [self] in
            HistoryReader(
                telegram: self, chatID: chatID, fromMessageID: fromMessageID, oldestDate: oldestDate,
                limit: max(0, limit))
        }
    }

    /// The messages of a chat that match `query` (and `sender`, `filter` when given), newest first,
    /// following `searchChatMessages`' `next_from_message_id` across pages.
    /// - Throws: `TDLibError`; for TDLib's 400 "Chat not found", with a `hint` that says what to do.
    public func searchMessages(
        chatID: Int64, query: String, sender: MessageSender? = nil, filter: SearchMessagesFilter? = nil
    ) -> TelegramPages<Message> {
        let request = SearchChatMessages(
            chatId: chatID, query: query, senderId: sender, fromMessageId: 0, offset: 0, limit: 100, filter: filter)
        return TelegramPages { [self] in ChatSearchReader(telegram: self, request: request) }
    }

    /// The members of a supergroup or channel (the recent ones unless `filter` says otherwise), each once,
    /// by pages of 200 until TDLib's total count.
    public func supergroupMembers(_ supergroupID: Int64, filter: SupergroupMembersFilter? = nil)
        -> TelegramPages<ChatMember>
    {
        let request = GetSupergroupMembers(supergroupId: supergroupID, filter: filter, offset: 0, limit: 200)
        return TelegramPages { [self] in SupergroupMemberReader(telegram: self, request: request) }
    }

    // MARK: Resolving

    /// The public chat with this username (`searchPublicChat`; a leading `@` is ignored).
    /// - Throws: `TDLibError` when there is none (TDLib's 400 `USERNAME_NOT_OCCUPIED` or similar).
    public func chat(username: String) async throws -> Chat {
        let name = username.hasPrefix("@") ? String(username.dropFirst()) : username
        return try await send(SearchPublicChat(username: name))
    }

    /// A chat from ``store``, or from TDLib (`getChat`) when the store does not have it yet.
    /// - Throws: `TDLibError`; for TDLib's 400 "Chat not found", with a `hint` that says what to do.
    public func chat(id chatID: Int64) async throws -> Chat {
        if let chat = store.chat(chatID) { return chat }
        return try await explainingUnknownChat(chatID) { try await send(GetChat(chatId: chatID)) }
    }

    /// A user from ``store``, or from TDLib (`getUser`) when the store does not have it yet.
    public func user(id userID: Int64) async throws -> User {
        if let user = store.user(userID) { return user }
        return try await send(GetUser(userId: userID))
    }

    /// Waits until ``store`` has applied every update TDLib sent before the last answer this task got.
    func catchUpWithUpdates() async {
        await store.waitUntilRead(client.routedUpdateCount)
    }

    /// Runs `body`; TDLib's 400 "Chat not found" is thrown again with a ``TDLibError/hint`` that says why.
    func explainingUnknownChat<Result>(_ chatID: Int64, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch var error as TDLibError where error.code == 400 && error.message == "Chat not found" {
            error.hint =
                "chat \(chatID) is not one that TDLib has loaded or been sent: load the chat list first "
                + "(loadChats or getChats; Telegram.chats(in:)), open the chat with getChat or searchPublicChat, "
                + "or check the identifier"
            throw error
        }
    }
}
