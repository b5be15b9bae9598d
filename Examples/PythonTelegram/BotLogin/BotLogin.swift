import ExampleSupport
import Telegram

/// python-telegram's `bot_login.py` in Swift: logs in with a bot token, prints the bot's own user, and
/// ends.
///
/// `swift run BotLogin` (on Telegram: `TG_API_ID`, `TG_API_HASH`, `TG_BOT_TOKEN`).
public enum BotLogin {
    /// The bot's user; TDLib marks it as a bot with its `userTypeBot` type.
    public static func bot(on tg: Telegram) async throws -> User {
        try await tg.getMe()
    }

    /// Whether `user` is a bot.
    public static func isBot(_ user: User) -> Bool {
        if case .bot = user.type { true } else { false }
    }
}

@main
enum BotLoginMain {
    static func main() async throws {
        try await ExampleRunner.runOnce(as: .bot) { tg, _ in
            let bot = try await BotLogin.bot(on: tg)
            print(bot.jsonString())
        }
    }
}
