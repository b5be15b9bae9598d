import ExampleSupport
import Telegram

/// A bot that sends every text message back to the chat it came from.
public enum EchoBot {
    /// Adds the bot's handler to `tg`.
    public static func register(on tg: Telegram) {
        tg.onMessage(.incoming && .text) { message in
            _ = try await tg.sendMessage(chatID: message.chatId, text: message.textOrCaption ?? "")
        }
    }
}

@main
enum EchoBotMain {
    static func main() async throws {
        try await ExampleRunner.run(as: .bot) { tg in EchoBot.register(on: tg) }
    }
}
