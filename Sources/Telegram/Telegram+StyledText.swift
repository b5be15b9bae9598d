import TelegramText
import TelegramTextTDLibAPI

extension Telegram {
    /// Sends text built with `TelegramText`: its entities are computed locally, with no round trip to TDLib.
    public func sendMessage(chatID: Int64, _ text: StyledText) async throws -> Message {
        try await sendMessage(chatID: chatID, formattedText: FormattedText(text))
    }
}
