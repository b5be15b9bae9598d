import TDLib
import TDLibAPI
import TDLibAPIClient

extension Telegram {
    /// Sends any generated TDLib function and returns its typed result.
    ///
    /// A flood wait up to ``TelegramConfiguration/floodWaitLimit`` is waited out and the call retried.
    public func send<F: TDFunction>(_ function: F, timeout: Duration? = nil) async throws -> F.Result {
        try await retryingFloodWaits(of: F.typeName) { try await client.send(function, timeout: timeout) }
    }

    /// Calls any TDLib method by name with raw JSON parameters, like python-telegram's `call_method`.
    ///
    /// `@type` is set from `method`; `@extra` belongs to the client and may not be given. Flood waits are
    /// retried as in ``send(_:timeout:)``.
    public func callMethod(_ method: String, _ parameters: [String: TDJSONValue] = [:], timeout: Duration? = nil)
        async throws -> TDJSONObject
    {
        var fields = parameters
        fields["@type"] = .string(method)
        let json = TDJSONValue.object(fields).jsonBytes()
        return try await retryingFloodWaits(of: method) { try await client.send(json: json, timeout: timeout) }
    }

    /// Sends a request written as raw JSON, one object with its `@type` (`@extra` belongs to the client and
    /// may not be given), and returns TDLib's answer as it came. Flood waits are retried as in
    /// ``send(_:timeout:)``.
    /// - Throws: `TDLibError` when TDLib answers with an error; `TDClientError` when `json` is not one JSON
    ///   object, the client is closed or the timeout passes.
    public func send(json: String, timeout: Duration? = nil) async throws -> TDJSONObject {
        let bytes = Array(json.utf8)
        let method = (try? TDJSONObject(bytes: bytes).type) ?? ""
        return try await retryingFloodWaits(of: method) { try await client.send(json: bytes, timeout: timeout) }
    }

    /// Runs a synchronous TDLib method (one TDLib documents as "can be called synchronously", such as
    /// `GetTextEntities`) at once, with no round trip, and returns its typed answer.
    /// - Throws: `TDLibError` for TDLib's errors.
    public func execute<F: TDFunction>(_ function: F) throws -> F.Result {
        try client.manager.execute(function)
    }

    /// The logged-in user.
    public func getMe() async throws -> User { try await send(GetMe()) }

    /// A user by identifier.
    public func getUser(_ userID: Int64) async throws -> User { try await send(GetUser(userId: userID)) }

    /// A user's full profile.
    public func getUserFullInfo(_ userID: Int64) async throws -> UserFullInfo {
        try await send(GetUserFullInfo(userId: userID))
    }

    /// The first `limit` chats of a list (the main list by default), in order.
    public func getChats(limit: Int32 = 100, chatList: ChatList? = nil) async throws -> Chats {
        try await send(GetChats(chatList: chatList, limit: limit))
    }

    /// Loads more chats of a list; TDLib's error 404 means the whole list is loaded.
    public func loadChats(limit: Int32 = 100, chatList: ChatList? = nil) async throws {
        _ = try await send(LoadChats(chatList: chatList, limit: limit))
    }

    /// A chat by identifier.
    public func getChat(_ chatID: Int64) async throws -> Chat { try await send(GetChat(chatId: chatID)) }

    /// A page of a chat's messages, newest first, from `fromMessageID` (0: the newest).
    public func getChatHistory(
        chatID: Int64, limit: Int32 = 100, fromMessageID: Int64 = 0, offset: Int32 = 0, onlyLocal: Bool = false
    ) async throws -> Messages {
        try await send(
            GetChatHistory(
                chatId: chatID, fromMessageId: fromMessageID, offset: offset, limit: limit, onlyLocal: onlyLocal))
    }

    /// One message.
    public func getMessage(chatID: Int64, messageID: Int64) async throws -> Message {
        try await send(GetMessage(chatId: chatID, messageId: messageID))
    }

    /// Sends a text message with optional entities; returns the message as TDLib first answers it (pending).
    public func sendMessage(chatID: Int64, text: String, entities: [TextEntity] = []) async throws -> Message {
        try await sendMessage(chatID: chatID, formattedText: FormattedText(text: text, entities: entities))
    }

    /// Sends formatted text as a message, with no round trip to parse it.
    public func sendMessage(chatID: Int64, formattedText: FormattedText) async throws -> Message {
        try await send(
            SendMessage(
                chatId: chatID, inputMessageContent: .text(InputMessageText(text: formattedText, clearDraft: true))))
    }

    /// Sends a message and waits until Telegram has it: returns the final message, with its real identifier.
    /// - Throws: `TDLibError` when TDLib refuses the message or fails to send it (`updateMessageSendFailed`);
    ///   `TDClientError` with `timedOut` when Telegram does not have it within `timeout`, with `clientClosed`
    ///   when the client stops first.
    public func sendMessageAndWait(
        chatID: Int64, text: String, entities: [TextEntity] = [], timeout: Duration = .seconds(30)
    )
        async throws -> Message
    {
        let succeeded = updates(types: ["updateMessageSendSucceeded", "updateMessageSendFailed"])
        let pending = try await sendMessage(chatID: chatID, text: text, entities: entities)
        return try await withThrowingTaskGroup(of: Message?.self) { group in
            group.addTask {
                for await update in succeeded {
                    switch update {
                    case .messageSendSucceeded(let sent) where sent.oldMessageId == pending.id: return sent.message
                    case .messageSendFailed(let failed) where failed.oldMessageId == pending.id:
                        throw TDLibError(code: Int(failed.error.code), message: failed.error.message)
                    default: continue
                    }
                }
                throw TDClientError(.clientClosed, "the client stopped before the message was sent")
            }
            let deadlines = client.manager.deadlines
            group.addTask {
                // On the manager's deadline timer, cancelled with the group when the message is sent.
                try await deadlines.sleep(for: timeout)
                throw TDClientError(.timedOut, "the message was not sent within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let message = try await group.next() ?? nil else {
                throw TDClientError(.timedOut, "the message was not sent within \(timeout)")
            }
            return message
        }
    }

    /// Deletes messages, for everyone when `revoke` and allowed.
    public func deleteMessages(chatID: Int64, messageIDs: [Int64], revoke: Bool = true) async throws {
        _ = try await send(DeleteMessages(chatId: chatID, messageIds: messageIDs, revoke: revoke))
    }

    /// Adds contacts by phone number; the answer has the user identifiers (0 where none).
    public func importContacts(_ contacts: [ImportedContact]) async throws -> ImportedContacts {
        try await send(ImportContacts(contacts: contacts))
    }

    /// A supergroup's or channel's full information.
    public func getSupergroupFullInfo(_ supergroupID: Int64) async throws -> SupergroupFullInfo {
        try await send(GetSupergroupFullInfo(supergroupId: supergroupID))
    }

    /// The chat of a basic group.
    public func createBasicGroupChat(_ basicGroupID: Int64, force: Bool = false) async throws -> Chat {
        try await send(CreateBasicGroupChat(basicGroupId: basicGroupID, force: force))
    }

    /// A web page's instant view; TDLib's error 404 when it has none.
    public func getWebPageInstantView(url: String, onlyLocal: Bool = false) async throws -> WebPageInstantView {
        try await send(GetWebPageInstantView(url: url, onlyLocal: onlyLocal))
    }

    /// Parses HTML or MarkdownV2 into formatted text with TDLib (synchronously, no round trip).
    public func parseTextEntities(_ text: String, parseMode: TextParseMode) throws -> FormattedText {
        try execute(ParseTextEntities(text: text, parseMode: parseMode))
    }
}
