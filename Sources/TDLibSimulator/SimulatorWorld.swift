import Foundation
import TDLibAPI

/// The simulated Telegram's data: users, chats and messages, shared by every client of a simulator.
struct SimulatorWorld {
    struct UserRecord {
        var id: Int64
        var firstName: String
        var lastName: String
        var username: String?
        var phone: String
        var isContact: Bool
        var isBot: Bool
    }

    enum ChatKind: Equatable {
        case privateChat(userID: Int64)
        case basicGroup(id: Int64)
        case supergroup(id: Int64, isChannel: Bool)
    }

    /// The chat lists the simulator keeps: TDLib's main list and the archive.
    enum ChatListID: Hashable, Sendable {
        case main, archive

        /// The list a request names; `nil` for a folder, which the simulator does not have.
        init?(_ list: ChatList?) {
            switch list {
            case nil, .main?: self = .main
            case .archive?: self = .archive
            case .folder?, .unknown?: return nil
            }
        }

        var object: ChatList {
            switch self {
            case .main: .main(ChatListMain())
            case .archive: .archive(ChatListArchive())
            }
        }
    }

    struct ChatRecord {
        var id: Int64
        var kind: ChatKind
        var title: String
        var memberIDs: [Int64]
        /// Oldest first; identifiers grow.
        var messages: [MessageRecord] = []
        var order: Int64
        var list = ChatListID.main
        /// The public username of a supergroup or channel.
        var username: String? = nil
        /// Whether `memberIDs` is the whole membership; otherwise every account is a member too.
        var membersOnly = false

        /// Whether `userID` gets the chat's new messages.
        func isMember(_ userID: Int64) -> Bool {
            if case .privateChat = kind { return true }
            return !membersOnly || memberIDs.contains(userID)
        }

        /// TDLib sorts a chat list by (order, chat id), highest first.
        var listKey: ChatListKey { ChatListKey(order: order, chatID: id) }

        /// The index of the first message whose identifier is at least `id` (binary search).
        func firstIndex(notBelow id: Int64) -> Int {
            var low = 0
            var high = messages.count
            while low < high {
                let middle = (low + high) / 2
                if messages[middle].id < id { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// A chat's place in a list: TDLib's DialogDate, compared as (order, chat id).
    struct ChatListKey: Comparable, Hashable {
        var order: Int64
        var chatID: Int64

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.order, lhs.chatID) < (rhs.order, rhs.chatID)
        }
    }

    struct MessageRecord {
        var id: Int64
        var chatID: Int64
        var senderID: Int64
        var text: String
        var date: Int32
        /// The file the message carries; `text` is then its caption.
        var attachment: FileAttachment? = nil
        /// The buttons the sender attached.
        var replyMarkup: ReplyMarkup? = nil
        /// When the message was last edited; 0 if never.
        var editDate: Int32 = 0
        /// The same message in the other account's view of a private chat.
        var link: MessageLink? = nil
        var isPinned = false
        /// Who reacted with which emoji.
        var reactions: [String: Set<Int64>] = [:]
        /// The message of the same chat this one replies to, with the part of its text quoted.
        var replyTo: ReplyRecord? = nil
        /// Where a forwarded message comes from (TDLib's `forward_info`); `nil` for originals and copies.
        var forwardInfo: MessageForwardInfo? = nil
        /// The content of a service message (someone joined or left); `text` is then empty.
        var service: MessageContent? = nil
        /// The album the message belongs to (TDLib's `media_album_id`); 0 for none.
        var mediaAlbumID: Int64 = 0
    }

    /// A reply to a message of the same chat (TDLib's `messageReplyToMessage` without an origin).
    struct ReplyRecord {
        var messageID: Int64
        var quote: TextQuote?
    }

    var users: [Int64: UserRecord] = [:]
    var chats: [Int64: ChatRecord] = [:]
    /// The files of the world and what each client has of them (SimulatorFiles.swift).
    var files = SimulatorFiles()
    private var lastMessageNumber: Int64 = 0
    /// The highest chat order given so far: a chat with a new message moves above every other.
    private var topOrder: Int64 = 0

    init(scenario: SimulatorScenario) {
        for account in scenario.accounts where account.registered != false {
            users[account.userID] = UserRecord(
                id: account.userID, firstName: account.firstName, lastName: account.lastName ?? "",
                username: account.username, phone: Self.digits(account.phone), isContact: false, isBot: false)
        }
        for bot in scenario.bots ?? [] {
            users[bot.userID] = UserRecord(
                id: bot.userID, firstName: bot.firstName, lastName: "", username: bot.username, phone: "",
                isContact: false, isBot: true)
        }
        for user in scenario.users ?? [] {
            users[user.id] = UserRecord(
                id: user.id, firstName: user.firstName, lastName: user.lastName ?? "", username: user.username,
                phone: Self.digits(user.phone ?? ""), isContact: user.isContact ?? false, isBot: false)
        }
        let chatCount = scenario.chats?.count ?? 0
        for (index, chat) in (scenario.chats ?? []).enumerated() {
            addChat(chat, order: Int64(chatCount - index))
        }
        for message in scenario.messages ?? [] where chats[message.chatID] != nil {
            let record = appendMessage(
                chatID: message.chatID, senderID: message.senderID, text: message.text,
                date: message.date ?? 1_767_225_600)
            if let file = message.file { attach(file, to: record) }
        }
    }

    /// Adds a scenario chat at `order` in its list (the top of the list when `nil`).
    mutating func addChat(_ chat: SimulatorScenario.Chat, order: Int64? = nil) {
        let kind: ChatKind
        switch chat.kind {
        case "basicGroup": kind = .basicGroup(id: -chat.id)
        case "supergroup", "channel":
            kind = .supergroup(id: -chat.id - 1_000_000_000_000, isChannel: chat.kind == "channel")
        default: kind = .privateChat(userID: chat.userID ?? chat.id)
        }
        let title: String
        if case .privateChat(let userID) = kind, let user = users[userID] {
            title = [user.firstName, user.lastName].filter { !$0.isEmpty }.joined(separator: " ")
        } else {
            title = chat.title ?? "Chat \(chat.id)"
        }
        let order = order ?? topOrder + 1
        chats[chat.id] = ChatRecord(
            id: chat.id, kind: kind, title: title, memberIDs: chat.memberIDs ?? [], order: order,
            list: chat.list == "archive" ? .archive : .main, username: chat.username,
            membersOnly: chat.membersOnly ?? false)
        topOrder = max(topOrder, order)
    }

    /// The identifier of the newest message of the world.
    var newestMessageID: Int64 { lastMessageNumber << 20 }

    /// The temporary identifier of a message being sent, above the newest message and below the next one:
    /// TDLib's yet-unsent identifiers step by 8 from the last one and have type 1 (`MessageId::TYPE_YET_UNSENT`,
    /// `get_next_yet_unsent_message_id`), so that `MessageId::is_valid` accepts them.
    func pendingMessageID(sendingID: Int32) -> Int64 {
        newestMessageID + Int64(sendingID % 100_000) * 8 + 1
    }

    static func digits(_ phone: String) -> String {
        String(phone.filter(\.isNumber))
    }

    /// Adds a message and returns it; identifiers grow as TDLib's server messages do (n << 20).
    mutating func appendMessage(chatID: Int64, senderID: Int64, text: String, date: Int32) -> MessageRecord {
        lastMessageNumber += 1
        let message = MessageRecord(
            id: lastMessageNumber << 20, chatID: chatID, senderID: senderID, text: text, date: date)
        guard chats[chatID] != nil else { return message }
        chats[chatID]?.messages.append(message)
        topOrder += 1
        chats[chatID]?.order = topOrder
        return message
    }

    /// The private chat with a user, created when missing.
    mutating func privateChat(with userID: Int64) -> ChatRecord? {
        if let chat = chats[userID] { return chat }
        guard users[userID] != nil else { return nil }
        topOrder += 1
        let order = topOrder
        let chat = ChatRecord(
            id: userID, kind: .privateChat(userID: userID), title: displayName(userID), memberIDs: [userID],
            order: order)
        chats[userID] = chat
        return chat
    }

    func displayName(_ userID: Int64) -> String {
        guard let user = users[userID] else { return "User \(userID)" }
        return [user.firstName, user.lastName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The chats of a list in TDLib's order: by (order, chat id), highest first.
    func orderedChats(in list: ChatListID) -> [ChatRecord] {
        chats.values.filter { $0.list == list }.sorted { $0.listKey > $1.listKey }
    }
}
