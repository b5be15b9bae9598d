import TDLib
import TDLibAPI

extension Telegram {
    /// Runs a dialogue in one chat: `body` sends and awaits the other side's messages in order.
    ///
    /// ```swift
    /// let name = try await tg.conversation(in: message.chatId) { chat in
    ///     try await chat.ask("What is your name?").textOrCaption ?? ""
    /// }
    /// ```
    ///
    /// The conversation listens before `body` runs, so no answer can be missed. While it runs, routes
    /// (``onMessage(_:_:)``, ``onCommand(_:filter:_:)``) leave that chat's incoming messages to it; plain
    /// handlers still see them. One conversation per chat at a time: a second one throws
    /// ``TelegramError/Code/conversationInProgress``. Waits end after `timeout` with
    /// `TDClientError` code `timedOut` (on the configured ``TelegramConfiguration/clock``), and with
    /// `TDClientError` code `clientClosed` when the client stops.
    public func conversation<Result: Sendable>(
        in chatID: Int64, timeout: Duration = .seconds(300),
        _ body: @Sendable (Conversation) async throws -> Result
    ) async throws -> Result {
        let conversation = Conversation(telegram: self, chatID: chatID, timeout: timeout)
        guard messageRoutes.begin(conversation) else {
            throw TelegramError(.conversationInProgress, "a conversation already runs in chat \(chatID)")
        }
        defer { messageRoutes.end(conversation) }
        return try await body(conversation)
    }
}

/// One chat's dialogue, inside ``Telegram/conversation(in:timeout:_:)``.
public final class Conversation: Sendable {
    /// The chat the conversation runs in.
    public let chatID: Int64
    /// How long ``nextMessage(timeout:)`` and ``ask(_:timeout:)`` wait by default.
    public let timeout: Duration
    private let telegram: Telegram
    private let inbox = Locked(Inbox())

    private struct Inbox {
        var messages: [Message] = []
        var waiter: (id: Int, continuation: CheckedContinuation<Message, any Error>)?
        var lastWaiterID = 0
        var ended = false
    }

    init(telegram: Telegram, chatID: Int64, timeout: Duration) {
        self.telegram = telegram
        self.chatID = chatID
        self.timeout = timeout
    }

    /// Sends `text` to the chat and waits until Telegram has it.
    @discardableResult
    public func send(_ text: String) async throws -> Message {
        try await telegram.sendMessageAndWait(chatID: chatID, text: text)
    }

    /// Sends `text`, then returns the other side's next message.
    public func ask(_ text: String, timeout: Duration? = nil) async throws -> Message {
        try await send(text)
        return try await nextMessage(timeout: timeout)
    }

    /// The other side's next message in the chat since the conversation began, in order.
    public func nextMessage(timeout: Duration? = nil) async throws -> Message {
        let limit = timeout ?? self.timeout
        let clock = telegram.configuration.clock
        return try await withThrowingTaskGroup(of: Message.self) { group in
            group.addTask { try await self.waitForMessage() }
            group.addTask {
                try await clock.sleep(for: limit)
                throw TDClientError(.timedOut, "no message came in chat \(self.chatID) within \(limit)")
            }
            defer { group.cancelAll() }
            guard let message = try await group.next() else { throw CancellationError() }
            return message
        }
    }

    /// Called in the receive loop, in update order, for the chat's incoming messages.
    func receive(_ message: Message) {
        let waiter = inbox.withLock { inbox -> CheckedContinuation<Message, any Error>? in
            guard let waiter = inbox.waiter else {
                inbox.messages.append(message)
                return nil
            }
            inbox.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: message)
    }

    /// Called when the client's updates end.
    func end() {
        let waiter = inbox.withLock { inbox in
            inbox.ended = true
            defer { inbox.waiter = nil }
            return inbox.waiter?.continuation
        }
        waiter?.resume(throwing: TDClientError(.clientClosed, "the client stopped during the conversation"))
    }

    private func waitForMessage() async throws -> Message {
        let id = inbox.withLock { inbox in
            inbox.lastWaiterID += 1
            return inbox.lastWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                enum Next {
                    case message(Message)
                    case failure(any Error)
                    case wait
                }
                let next = inbox.withLock { inbox -> Next in
                    if !inbox.messages.isEmpty { return .message(inbox.messages.removeFirst()) }
                    if inbox.ended { return .failure(TDClientError(.clientClosed, "the client stopped")) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    inbox.waiter = (id, continuation)
                    return .wait
                }
                switch next {
                case .message(let message): continuation.resume(returning: message)
                case .failure(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            let waiter = inbox.withLock { inbox -> CheckedContinuation<Message, any Error>? in
                guard let waiter = inbox.waiter, waiter.id == id else { return nil }
                inbox.waiter = nil
                return waiter.continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
