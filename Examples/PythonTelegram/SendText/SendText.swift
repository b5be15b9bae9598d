import ExampleSupport
import Telegram

/// python-telegram's `send_message.py` in Swift: sends a text to a chat and waits until Telegram has it
/// (TDLib's `updateMessageSendSucceeded`, which gives the message its permanent identifier).
///
/// `swift run SendText [chat_id] [text]`; on the simulator, by default to Dave (chat 2001).
public enum SendText {
    /// Sends `text` to `chatID` and returns the message once sent, with its permanent identifier.
    public static func send(_ text: String, to chatID: Int64, on tg: Telegram) async throws -> Message {
        // TDLib must know a chat before a message can go to it: load the first chats of the main list.
        let chats = try await tg.getChats(limit: 100)
        print("chats: \(chats.chatIds)")
        // sendMessageAndWait subscribes to updateMessageSendSucceeded before it sends, and returns the
        // message with the identifier the server gave it.
        let sent = try await tg.sendMessageAndWait(chatID: chatID, text: text)
        print("Message has been sent. New message id: \(sent.id)")
        return sent
    }
}

@main
enum SendTextMain {
    static func main() async throws {
        let arguments = ExampleRunner.arguments
        let chatID = arguments.first.flatMap(Int64.init) ?? 2001
        let text = arguments.count > 1 ? arguments[1] : "Hello from swift-telegram"
        try await ExampleRunner.runOnce(as: .user) { tg, _ in
            _ = try await SendText.send(text, to: chatID, on: tg)
        }
    }
}
