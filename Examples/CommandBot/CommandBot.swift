import ExampleSupport
import Telegram

/// A bot with commands: `/start`, `/help`, `/add 2 3`, and an answer to anything else.
public enum CommandBot {
    /// Adds the bot's routes to `tg`, in the order they are tried. The commands are incoming only: the bot
    /// also sees its own messages, and its help text starts with `/add`.
    public static func register(on tg: Telegram) {
        tg.onCommand("start", filter: .incoming) { message, _ in
            _ = try await tg.sendMessage(chatID: message.chatId, text: "Hello! Send /help to see what I can do.")
        }
        tg.onCommand("help", filter: .incoming) { message, _ in
            _ = try await tg.sendMessage(chatID: message.chatId, text: "/add 2 3 adds numbers.")
        }
        tg.onCommand("add", filter: .incoming) { message, arguments in
            let numbers = arguments.split(separator: " ").compactMap { Int($0) }
            let answer = numbers.isEmpty ? "Give me numbers: /add 2 3" : "\(numbers.reduce(0, +))"
            _ = try await tg.sendMessage(chatID: message.chatId, text: answer)
        }
        tg.onMessage(.incoming && .privateChat) { message in
            _ = try await tg.sendMessage(chatID: message.chatId, text: "I only know /start, /help and /add.")
        }
    }
}

@main
enum CommandBotMain {
    static func main() async throws {
        try await ExampleRunner.run(as: .bot) { tg in CommandBot.register(on: tg) }
    }
}
