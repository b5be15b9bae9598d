import TDLibAPI

extension Telegram {
    /// Sends a text message with buttons (an ``InlineKeyboard`` or a ``ReplyKeyboard``'s `replyMarkup`);
    /// returns the message as TDLib first answers it (pending).
    public func sendMessage(chatID: Int64, text: String, replyMarkup: ReplyMarkup?) async throws -> Message {
        try await send(
            SendMessage(
                chatId: chatID, replyMarkup: replyMarkup,
                inputMessageContent: .text(
                    InputMessageText(text: FormattedText(text: text, entities: []), clearDraft: true))))
    }

    /// Answers a button press (an `updateNewCallbackQuery`): `text` shows as a notification, or as an alert
    /// the user must close when `alert`; a bot must answer every query, even with no text.
    public func answerCallbackQuery(_ queryID: Int64, text: String = "", alert: Bool = false) async throws {
        _ = try await send(
            AnswerCallbackQuery(callbackQueryId: queryID, text: text, showAlert: alert, url: "", cacheTime: 0))
    }
}

extension UpdateNewCallbackQuery {
    /// The data of the pressed button as text; `nil` for a game or a password-protected button.
    public var dataText: String? {
        guard case .data(let payload) = payload else { return nil }
        return String(decoding: payload.data, as: UTF8.self)
    }
}

extension Telegram {
    /// Presses the callback button with `data` under a bot's message, as a user does; returns the bot's
    /// answer (TDLib's 502 "The bot is not responding" when it does not answer in time).
    public func pressButton(in message: Message, callbackData data: String) async throws -> CallbackQueryAnswer {
        try await send(
            GetCallbackQueryAnswer(
                chatId: message.chatId, messageId: message.id,
                payload: .data(CallbackQueryPayloadData(data: Array(data.utf8)))))
    }
}
