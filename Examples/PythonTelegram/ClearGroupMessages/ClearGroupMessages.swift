import ExampleSupport
import Telegram

/// python-telegram's `clear_group_messages.py` in Swift: lists the chats, asks which group to clear, and
/// deletes for everyone every message this account sent there, in batches of 20, after asking twice; in
/// a supergroup that was a basic group before, the old basic group's messages too.
///
/// The original keeps the messages with `can_be_deleted_for_all_users`; TDLib 1.8.66 moved that flag to
/// `getMessageProperties`, which the simulator does not answer, so this version deletes all of the
/// account's messages with `revoke` (TDLib deletes for everyone where it may).
///
/// `swift run ClearGroupMessages [chat_id] [--yes]` (`--yes` answers both questions).
public enum ClearGroupMessages {
    /// TDLib deletes at most this many messages per `deleteMessages` in the original program.
    static let batchSize = 20

    /// The chats of the main list (its first 100), as TDLib knows them.
    public static func chats(on tg: Telegram) async throws -> [Chat] {
        var chats: [Chat] = []
        for chatID in try await tg.getChats(limit: 100).chatIds { chats.append(try await tg.getChat(chatID)) }
        return chats
    }

    /// The identifiers of the messages `userID` sent in the chat, newest first.
    public static func messages(of userID: Int64, in chatID: Int64, on tg: Telegram) async throws -> [Int64] {
        var mine: [Int64] = []
        var read = 0
        for try await message in tg.history(chatID: chatID) {
            read += 1
            if case .user(let sender) = message.senderId, sender.userId == userID { mine.append(message.id) }
        }
        print("messages: \(read), mine: \(mine.count)")
        return mine
    }

    /// Deletes this account's messages in `chatID` (and in the basic group a supergroup came from) after
    /// `confirm` agrees; returns how many were deleted.
    public static func clear(
        _ chatID: Int64, on tg: Telegram, confirm: @Sendable (String) async throws -> Bool
    ) async throws -> Int {
        let me = try await tg.getMe().id
        var deleted = try await clearMessages(of: me, in: chatID, on: tg, confirm: confirm)
        // A supergroup upgraded from a basic group keeps the old messages in the old chat.
        guard case .supergroup(let type) = try await tg.getChat(chatID).type else { return deleted }
        let info = try await tg.getSupergroupFullInfo(type.supergroupId)
        guard info.upgradedFromBasicGroupId != 0 else { return deleted }
        print("Found basic group: \(info.upgradedFromBasicGroupId) @ \(info.upgradedFromMaxMessageId)")
        let basicGroupChat = try await tg.createBasicGroupChat(info.upgradedFromBasicGroupId)
        deleted += try await clearMessages(of: me, in: basicGroupChat.id, on: tg, confirm: confirm)
        return deleted
    }

    private static func clearMessages(
        of me: Int64, in chatID: Int64, on tg: Telegram, confirm: @Sendable (String) async throws -> Bool
    ) async throws -> Int {
        let mine = try await messages(of: me, in: chatID, on: tg)
        guard !mine.isEmpty, try await confirm("Continue to delete all \(mine.count)?") else { return 0 }
        for start in stride(from: 0, to: mine.count, by: batchSize) {
            let batch = Array(mine[start..<min(start + batchSize, mine.count)])
            print(".. Deleting \(start)-\(start + batch.count - 1) / \(mine.count)...")
            try await tg.deleteMessages(chatID: chatID, messageIDs: batch, revoke: true)
        }
        return mine.count
    }
}

@main
enum ClearGroupMessagesMain {
    static func main() async throws {
        let arguments = ExampleRunner.arguments
        let answersYes = arguments.contains("--yes")
        @Sendable func confirm(_ question: String) async throws -> Bool {
            if answersYes { return true }
            return ["y", "yes"].contains(try await ExampleRunner.ask(question + " ").lowercased())
        }
        try await ExampleRunner.runOnce(as: .user) { tg, _ in
            print(try await tg.getMe().jsonString())
            print("Chat List")
            for chat in try await ClearGroupMessages.chats(on: tg) { print("  \(chat.id)\t\(chat.title)") }
            let chosen: Int64
            if let given = arguments.first.flatMap(Int64.init) {
                chosen = given
            } else {
                guard let typed = Int64(try await ExampleRunner.ask("Select a group to clear: ")) else { return }
                chosen = typed
            }
            print("You selected: \(chosen) \(try await tg.getChat(chosen).title)")
            guard try await confirm("Are you sure?") else { return }
            let deleted = try await ClearGroupMessages.clear(chosen, on: tg, confirm: confirm)
            print("Done: \(deleted) deleted")
        }
    }
}
