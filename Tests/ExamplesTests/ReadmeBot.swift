import Telegram

/// The README's complete bot, compiled with the tests so that the README's code keeps building (the same
/// body as in the README's `main`; CommandBot's tests cover the behaviour).
enum ReadmeBot {
    static func run(_ configuration: TelegramConfiguration) async throws {
        try await withTelegram(configuration) { tg in
            _ = try await tg.login()
            tg.onCommand("start") { message, _ in
                let keyboard = InlineKeyboard { ButtonRow { InlineButton("Ping me", callbackData: "ping") } }
                _ = try await tg.sendMessage(chatID: message.chatId, text: "Hello!", replyMarkup: keyboard.replyMarkup)
            }
            tg.onCommand("add") { message, arguments in
                let sum = arguments.split(separator: " ").compactMap { Int($0) }.reduce(0, +)
                _ = try await tg.reply(to: message, text: "\(sum)")
            }
            tg.on(UpdateNewCallbackQuery.self) { query in
                try await tg.answerCallbackQuery(query.id, text: query.dataText == "ping" ? "Pong" : "")
            }
            tg.onMessage(.incoming && .privateChat) { message in
                _ = try await tg.sendMessage(chatID: message.chatId, text: "Try /start or /add 2 3.")
            }
            await tg.idle()
        }
    }
}
