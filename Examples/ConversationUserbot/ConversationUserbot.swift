import ExampleSupport
import Telegram

/// A userbot: when a contact writes "hi" in a private chat, it asks their name and greets them by it.
public enum ConversationUserbot {
    /// Adds the userbot's route to `tg`.
    public static func register(on tg: Telegram) {
        tg.onMessage(.incoming && .privateChat && .text { $0.lowercased() == "hi" }) { message in
            try await tg.conversation(in: message.chatId, timeout: .seconds(120)) { chat in
                let name = try await chat.ask("Hi! What is your name?").textOrCaption ?? ""
                try await chat.send("Nice to meet you, \(name).")
            }
        }
    }
}

@main
enum ConversationUserbotMain {
    static func main() async throws {
        try await ExampleRunner.run(as: .user) { tg in ConversationUserbot.register(on: tg) }
    }
}
