import Telegram

/// The user's bot: every text comes back to the chat it came from.
public func registerEchoBot(on tg: Telegram) {
    tg.onMessage(.incoming && .text) { message in
        _ = try await tg.sendMessage(chatID: message.chatId, text: message.textOrCaption ?? "")
    }
}
