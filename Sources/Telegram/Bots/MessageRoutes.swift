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
                let call = new.message.textOrCaption.flatMap(BotCommandCall.init(text:)),
                call.name.caseInsensitiveCompare(name) == .orderedSame
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

/// What routes share: which message a route has taken, and the account's username for commands.
final class MessageRoutes: Sendable {
    private struct State {
        var taken: (chatID: Int64, messageID: Int64)?
        var usernames: [String]?
    }

    private let state = Locked(State())

    /// Takes `message` for the calling route; `false` when an earlier route took it. Handlers of one
    /// update run before any handler of the next, so remembering the last message taken is enough.
    func take(_ message: Message) -> Bool {
        state.withLock { state in
            if let taken = state.taken, taken == (message.chatId, message.id) { return false }
            state.taken = (message.chatId, message.id)
            return true
        }
    }

    /// The account's active usernames, asked of TDLib once.
    func usernames(of telegram: Telegram) async throws -> [String] {
        if let known = state.withLock({ $0.usernames }) { return known }
        let usernames = try await telegram.getMe().usernames?.activeUsernames ?? []
        state.withLock { $0.usernames = usernames }
        return usernames
    }
}
