import ExampleSupport
import Telegram

/// python-telegram's `echo_bot.py` in Swift: a userbot that answers "pong" to every incoming "ping"
/// (in any case), until Ctrl-C. On the simulator, Dave writes "ping" two seconds after the login.
///
/// `swift run PingPong` (on Telegram: `TG_API_ID`, `TG_API_HASH`, `TG_PHONE`).
public enum PingPong {
    /// Adds the userbot's handler to `tg`.
    public static func register(on tg: Telegram) {
        tg.onMessage(.incoming && .text && .text { $0.lowercased() == "ping" }) { message in
            print("Ping has been received from \(message.chatId)")
            _ = try await tg.sendMessage(chatID: message.chatId, text: "pong")
        }
    }
}

@main
enum PingPongMain {
    static func main() async throws {
        try await ExampleRunner.run(as: .user) { tg in PingPong.register(on: tg) }
    }
}
