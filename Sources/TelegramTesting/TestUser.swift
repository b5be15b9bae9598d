import Foundation
import TDLib
import TDLibAPI
import Telegram

/// A person on the simulated Telegram of a ``TestWorld``, logged in with a client of their own: they
/// write to the app under test, press its buttons, edit and delete, and wait for what it sends them.
///
/// Every wait takes the oldest matching message not yet taken by an earlier wait, so nothing that
/// arrived before the wait began is missed; each fails with `TDClientError` code `timedOut` (its
/// `underlying` a ``TestWorldTimeout`` report) after the world's timeout.
public final class TestUser: TestChatTarget {
    /// The user's account.
    public let account: TestAccount
    /// The user's own client, for anything this type does not cover.
    public let client: Telegram
    private let world: TestWorld
    private let inbox = Mailbox<Message>()
    private let edits = Mailbox<Message>()
    private let openChats = Locked<Set<Int64>>([])

    init(account: TestAccount, client: Telegram, world: TestWorld) {
        self.account = account
        self.client = client
        self.world = world
        client.on(UpdateNewMessage.self) { [inbox] update in
            if !update.message.isOutgoing { inbox.post(update.message) }
        }
        client.on(UpdateMessageEdited.self) { [edits, weak client] update in
            guard let client else { return }
            let message = try await client.getMessage(chatID: update.chatId, messageID: update.messageId)
            if !message.isOutgoing { edits.post(message) }
        }
    }

    /// The private chat with this user, as everyone else sees it.
    public var chatID: Int64 { account.id }
    /// The user's name.
    public var displayName: String { account.name }

    // MARK: Acting

    /// Sends `text` (a command too: `"/add 2 3"`) to a person or a group; returns the message once sent.
    @discardableResult
    public func send(_ text: String, to chat: some TestChatTarget) async throws -> Message {
        try await open(chat)
        return try await client.sendMessageAndWait(chatID: chat.chatID, text: text, timeout: world.timeout)
    }

    /// Sends the photo at `file` (a local file) to a person or a group; returns the message once Telegram
    /// has it. The upload takes no time on the world's clock.
    @discardableResult
    public func send(photo file: URL, caption: String? = nil, to chat: some TestChatTarget) async throws -> Message {
        try await open(chat)
        let client = client
        let task = try await client.sendPhoto(
            chatID: chat.chatID, path: file.path, caption: caption.map { Caption($0) })
        return try await world.within("\(account.name)'s photo to be sent") { try await task.sentMessage() }
    }

    /// Sends the file at `file` as a document (its name kept) to a person or a group; returns the message
    /// once Telegram has it. The upload takes no time on the world's clock.
    @discardableResult
    public func send(document file: URL, caption: String? = nil, to chat: some TestChatTarget) async throws -> Message {
        try await open(chat)
        let task = try await client.sendDocument(
            chatID: chat.chatID, path: file.path, caption: caption.map { Caption($0) })
        return try await world.within("\(account.name)'s document to be sent") { try await task.sentMessage() }
    }

    /// Replies to `message` in its chat with `text`; returns the reply as TDLib first answers it.
    @discardableResult
    public func reply(to message: Message, _ text: String) async throws -> Message {
        try await client.reply(to: message, text: text)
    }

    /// Presses the inline button labelled `label` under `message`; returns the bot's answer.
    /// - Throws: ``TestWorldError`` when the message has no such callback button; `TDClientError` `timedOut`
    ///   when the bot does not answer within the world's timeout.
    @discardableResult
    public func press(button label: String, on message: Message) async throws -> CallbackQueryAnswer {
        guard case .inlineKeyboard(let keyboard)? = message.replyMarkup,
            let button = keyboard.rows.joined().first(where: { $0.text == label }),
            case .callback(let callback) = button.type
        else {
            throw TestWorldError(
                description:
                    "no callback button “\(label)” under the message; its buttons: \(message.inlineButtonLabels)"
            )
        }
        let client = client
        let data = String(decoding: callback.data, as: UTF8.self)
        return try await world.within("an answer to \(account.name)'s press of “\(label)”") {
            try await client.pressButton(in: message, callbackData: data)
        }
    }

    /// Replaces the text of one of the user's messages.
    @discardableResult
    public func edit(_ message: Message, to text: String) async throws -> Message {
        try await client.edit(message, text: text)
    }

    /// Deletes one of the user's messages, for everyone.
    public func delete(_ message: Message) async throws {
        try await client.delete([message])
    }

    // MARK: Waiting

    /// The next message someone else sent in the chat with `chat` (a person or a group).
    public func nextMessage(in chat: some TestChatTarget, timeout: Duration? = nil) async throws -> Message {
        let chatID = chat.chatID
        return try await next(
            from: inbox, "a message to \(account.name) in \(chat.displayName)", timeout: timeout
        ) { $0.chatId == chatID }
    }

    /// The next message of someone else that was edited in the chat with `chat`, as it is after the edit.
    public func nextEdit(in chat: some TestChatTarget, timeout: Duration? = nil) async throws -> Message {
        let chatID = chat.chatID
        return try await next(
            from: edits, "an edited message in \(account.name)'s chat with \(chat.displayName)", timeout: timeout
        ) { $0.chatId == chatID }
    }

    /// The messages received and not yet taken by a wait, oldest first.
    public var unreadMessages: [Message] { inbox.pending }

    private func next(
        from mailbox: Mailbox<Message>, _ expected: String, timeout: Duration?,
        where accepts: @escaping @Sendable (Message) -> Bool
    ) async throws -> Message {
        let timeout = timeout ?? world.timeout
        guard let message = try await mailbox.take(where: accepts, timeout: timeout) else {
            let arrived = mailbox.pending.map { "\(Self.summary(of: $0)) in \(world.library.chatName($0.chatId))" }
            throw world.failure(expected, timeout: timeout, arrived: arrived)
        }
        return message
    }

    /// A message as a failure lists it: its text in quotes, or what it is.
    static func summary(of message: Message) -> String {
        let caption = message.textOrCaption.map { " “\($0)”" } ?? ""
        switch message.content {
        case .text: return caption.trimmingCharacters(in: .whitespaces)
        case .photo: return "a photo" + caption
        case .document(let document): return "the document \(document.document.fileName)" + caption
        case .chatAddMembers(let added): return "the service message “users \(added.memberUserIds) added”"
        case .chatJoinByLink: return "the service message “joined by link”"
        case .chatDeleteMember(let left): return "the service message “user \(left.userId) left”"
        default: return "a message of another kind" + caption
        }
    }

    /// Makes the chat known to the user's client, as a person opens it: a person by username, a group by id.
    private func open(_ chat: some TestChatTarget) async throws {
        guard !openChats.withLock({ $0.contains(chat.chatID) }) else { return }
        if let person = chat as? TestAccount {
            _ = try await client.send(SearchPublicChat(username: person.username))
        } else if let person = chat as? TestUser {
            _ = try await client.send(SearchPublicChat(username: person.account.username))
        } else {
            _ = try await client.getChat(chat.chatID)
        }
        openChats.withLock { _ = $0.insert(chat.chatID) }
    }
}
