import TDLibAPI

/// Everyday actions on a message, each one TDLib request that returns TDLib's answer. Each waits for
/// TDLib's answer only; ``Telegram/sendMessageAndWait(chatID:text:entities:timeout:)`` waits for delivery.
extension Telegram {
    /// Replies to `message` in its chat, optionally quoting part of its text; returns the pending reply.
    ///
    /// The quote's position is where it first occurs in the message's text or caption (in UTF-16 code
    /// units, as TDLib counts), 0 when it does not occur there.
    public func reply(
        to message: Message, text: String, quote: String? = nil, replyMarkup: ReplyMarkup? = nil
    ) async throws -> Message {
        let quoted = quote.map { part in
            let original = message.textOrCaption ?? ""
            let position = original.range(of: part).map { original[..<$0.lowerBound].utf16.count } ?? 0
            return InputTextQuote(text: FormattedText(text: part, entities: []), position: Int32(clamping: position))
        }
        return try await send(
            SendMessage(
                chatId: message.chatId,
                replyTo: .message(
                    InputMessageReplyToMessage(
                        messageId: message.id, quote: quoted, checklistTaskId: 0, pollOptionId: "")),
                replyMarkup: replyMarkup, inputMessageContent: .text(Self.plainText(text))))
    }

    /// Replaces the text of a text message (and its buttons when `replyMarkup` is given); returns the
    /// edited message.
    public func edit(_ message: Message, text: String, replyMarkup: ReplyMarkup? = nil) async throws -> Message {
        try await send(
            EditMessageText(
                chatId: message.chatId, messageId: message.id, replyMarkup: replyMarkup,
                inputMessageContent: .text(Self.plainText(text))))
    }

    /// Replaces the caption of a photo, video, document or other media message.
    public func editCaption(_ message: Message, caption: String) async throws -> Message {
        try await send(
            EditMessageCaption(
                chatId: message.chatId, messageId: message.id,
                caption: FormattedText(text: caption, entities: []), showCaptionAboveMedia: false))
    }

    /// Deletes messages of one chat, for everyone when `revoke` and allowed.
    public func delete(_ messages: [Message], revoke: Bool = true) async throws {
        for (chatID, group) in Dictionary(grouping: messages, by: \.chatId) {
            try await deleteMessages(chatID: chatID, messageIDs: group.map(\.id), revoke: revoke)
        }
    }

    /// Forwards `message` to `chatID` with its origin shown; returns the new message (pending).
    public func forward(_ message: Message, to chatID: Int64) async throws -> Message? {
        try await forwardOrCopy(message, to: chatID, copy: false)
    }

    /// Sends a copy of `message` to `chatID`, without a link to the original; returns it (pending).
    public func copy(_ message: Message, to chatID: Int64) async throws -> Message? {
        try await forwardOrCopy(message, to: chatID, copy: true)
    }

    /// Pins `message` in its chat, notifying members unless `silently`.
    public func pin(_ message: Message, silently: Bool = false) async throws {
        _ = try await send(
            PinChatMessage(
                chatId: message.chatId, messageId: message.id, disableNotification: silently, onlyForSelf: false))
    }

    /// Unpins `message`.
    public func unpin(_ message: Message) async throws {
        _ = try await send(UnpinChatMessage(chatId: message.chatId, messageId: message.id))
    }

    /// Adds a reaction with `emoji` (one the chat allows, such as "👍") to `message`.
    public func react(to message: Message, with emoji: String) async throws {
        _ = try await send(
            AddMessageReaction(
                chatId: message.chatId, messageId: message.id, reactionType: .emoji(ReactionTypeEmoji(emoji: emoji)),
                isBig: false, updateRecentReactions: false))
    }

    /// Marks messages as read, as when a user scrolls to them in the chat.
    public func markAsRead(_ messages: [Message]) async throws {
        for (chatID, group) in Dictionary(grouping: messages, by: \.chatId) {
            _ = try await send(
                ViewMessages(
                    chatId: chatID, messageIds: group.map(\.id), source: .chatHistory(MessageSourceChatHistory()),
                    forceRead: true))
        }
    }

    /// Shows "typing…" (or another action) to the chat's members for about five seconds, or until a
    /// message is sent; `nil` cancels the action shown.
    public func sendChatAction(_ action: ChatAction? = .typing(ChatActionTyping()), in chatID: Int64) async throws {
        _ = try await send(SendChatAction(chatId: chatID, businessConnectionId: "", action: action))
    }

    private func forwardOrCopy(_ message: Message, to chatID: Int64, copy: Bool) async throws -> Message? {
        let sent = try await send(
            ForwardMessages(
                chatId: chatID, fromChatId: message.chatId, messageIds: [message.id], sendCopy: copy,
                removeCaption: false))
        return sent.messages.first ?? nil
    }

    static func plainText(_ text: String) -> InputMessageText {
        InputMessageText(text: FormattedText(text: text, entities: []), clearDraft: true)
    }
}
