import ExampleSupport
import Telegram

/// A bot with an inline keyboard: `/vote` asks a question with two buttons; a press is answered with a
/// notification and the question is edited to show the choice.
public enum KeyboardBot {
    /// The keyboard under the question.
    public static let keyboard = InlineKeyboard {
        ButtonRow {
            InlineButton("Swift", callbackData: "swift")
            InlineButton("Python", callbackData: "python")
        }
    }

    /// Adds the bot's handlers to `tg`.
    public static func register(on tg: Telegram) {
        tg.onCommand("vote") { message, _ in
            _ = try await tg.sendMessage(
                chatID: message.chatId, text: "Which language?", replyMarkup: keyboard.replyMarkup)
        }
        tg.on(UpdateNewCallbackQuery.self) { query in
            let choice = query.dataText ?? "?"
            try await tg.answerCallbackQuery(query.id, text: "Thanks for voting \(choice)")
            let question = try await tg.getMessage(chatID: query.chatId, messageID: query.messageId)
            _ = try await tg.edit(question, text: "Which language? You chose \(choice).")
        }
    }
}

@main
enum KeyboardBotMain {
    static func main() async throws {
        try await ExampleRunner.run(as: .bot) { tg in KeyboardBot.register(on: tg) }
    }
}
