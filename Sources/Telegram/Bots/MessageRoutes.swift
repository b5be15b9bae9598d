import TDLib
import TDLibAPI

extension Telegram {
    /// Calls `handler` with each new message that passes `filter`, unless an earlier route took it.
    ///
    /// Routes (added with this method or ``onCommand(_:filter:_:)``) are tried in the order they were
    /// added, and the first whose filter matches a message takes it: later routes do not see it. Plain
    /// handlers (``addUpdateHandler(_:_:)``, ``addMessageHandler(_:)``) see every message whatever the
    /// routes do. All run one at a time, in the order messages come; remove a route with
    /// ``removeUpdateHandler(_:)``.
    @discardableResult
    public func onMessage(
        _ filter: MessageFilter = .all, _ handler: @escaping @Sendable (Message) async throws -> Void
    ) -> UpdateHandlerID {
        addUpdateHandler("updateNewMessage") { [messageRoutes] update in
            guard case .newMessage(let new) = update, filter.matches(new.message),
                messageRoutes.take(new.message)
            else { return }
            try await handler(new.message)
        }
    }

    /// Calls `handler` with each message that starts with the bot command `/name` (any case) and the text
    /// after it, unless an earlier route took the message; see ``onMessage(_:_:)`` for the order.
    ///
    /// A command that names a bot (`/start@other_bot`) is taken only when it names this account.
    /// ```swift
    /// tg.onCommand("start", filter: .incoming) { message, arguments in
    ///     _ = try await tg.sendMessage(chatID: message.chatId, text: "Hello!")
    /// }
    /// ```
    @discardableResult
    public func onCommand(
        _ name: String, filter: MessageFilter = .all,
        _ handler: @escaping @Sendable (Message, _ arguments: String) async throws -> Void
    ) -> UpdateHandlerID {
        addUpdateHandler("updateNewMessage") { [weak self, messageRoutes] update in
            guard let self, case .newMessage(let new) = update, filter.matches(new.message),
                let call = messageRoutes.command(of: new.message), call.isCommand(name)
            else { return }
            if call.botUsername != nil {
                let usernames = try await messageRoutes.usernames(of: self)
                guard usernames.contains(where: call.isAddressed(to:)) else { return }
            }
            guard messageRoutes.take(new.message) else { return }
            try await handler(new.message, call.arguments)
        }
    }
}

/// What routes share: which message a route has taken, the chats where a conversation runs, and the
/// account's usernames for commands.
final class MessageRoutes: Sendable {
    private struct State {
        /// The last message a route took in each chat.
        var taken: [Int64: Int64] = [:]
        var conversations: [Int64: Conversation] = [:]
        /// Messages a conversation received, which routes leave alone; the oldest are forgotten.
        var claimed: Set<MessageKey> = []
        var claimedOrder: [MessageKey] = []
        var updatesEnded = false
        var usernames: [String]?
        /// The command of the last message read, which every command route of that message asks for.
        var lastCommand: (key: MessageKey, call: BotCommandCall?)?
    }

    private let state = Locked(State())

    /// Takes `message` for the calling route; `false` when an earlier route took it. All handlers of one
    /// update run before any handler of the chat's next update, so the last message taken per chat is
    /// enough.
    func take(_ message: Message) -> Bool {
        state.withLock { state in
            if state.claimed.contains(MessageKey(message)) { return false }
            if state.taken[message.chatId] == message.id { return false }
            state.taken[message.chatId] = message.id
            return true
        }
    }

    /// The bot command `message` starts with, read once for all the routes that ask.
    func command(of message: Message) -> BotCommandCall? {
        let key = MessageKey(message)
        if let last = state.withLock({ $0.lastCommand }), last.key == key { return last.call }
        let call = message.textOrCaption.flatMap(BotCommandCall.init(text:))
        state.withLock { $0.lastCommand = (key, call) }
        return call
    }

    /// Makes `conversation` receive its chat's incoming messages from now on; `false` when another
    /// conversation runs in the chat.
    func begin(_ conversation: Conversation) -> Bool {
        let (begun, ended) = state.withLock { state -> (Bool, Bool) in
            guard state.conversations[conversation.chatID] == nil else { return (false, false) }
            state.conversations[conversation.chatID] = conversation
            return (true, state.updatesEnded)
        }
        if ended { conversation.end() }
        return begun
    }

    func end(_ conversation: Conversation) {
        state.withLock { state in
            if state.conversations[conversation.chatID] === conversation {
                state.conversations[conversation.chatID] = nil
            }
        }
    }

    /// Called by the receive loop with every update, in order, before handlers and streams get it: a
    /// conversation's messages are decided here, so routes that run later never race it.
    func dispatch(_ update: Update) {
        guard case .newMessage(let new) = update, !new.message.isOutgoing else { return }
        let conversation = state.withLock { state -> Conversation? in
            guard let conversation = state.conversations[new.message.chatId] else { return nil }
            let key = MessageKey(new.message)
            state.claimed.insert(key)
            state.claimedOrder.append(key)
            if state.claimedOrder.count > 1_000 {
                state.claimed.remove(state.claimedOrder.removeFirst())
            }
            return conversation
        }
        conversation?.receive(new.message)
    }

    /// Called when the client's updates end: every conversation's wait ends.
    func endAll() {
        let conversations = state.withLock { state in
            state.updatesEnded = true
            return Array(state.conversations.values)
        }
        for conversation in conversations { conversation.end() }
    }

    /// The account's active usernames, asked of TDLib once.
    func usernames(of telegram: Telegram) async throws -> [String] {
        if let known = state.withLock({ $0.usernames }) { return known }
        let usernames = try await telegram.getMe().usernames?.activeUsernames ?? []
        state.withLock { $0.usernames = usernames }
        return usernames
    }
}

/// A message's identity across updates.
private struct MessageKey: Hashable {
    let chatID: Int64
    let messageID: Int64

    init(_ message: Message) {
        chatID = message.chatId
        messageID = message.id
    }
}
