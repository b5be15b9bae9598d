import Foundation
import Logging
import TDLib
import TDLibAPI
import TDLibAPIClient

extension Telegram {
    // MARK: Updates

    /// Calls `handler` with every update whose TDLib type is `type` (for example `updateNewMessage`) that
    /// arrives from now on.
    ///
    /// Handlers run one at a time, in the order updates come, on a task of their own: a slow handler
    /// delays other handlers, never the client. With ``TelegramConfiguration/handlerConcurrency`` above 1,
    /// updates of different chats are handled at the same time, those of one chat still in order. A handler that throws is logged and the others go on.
    /// A handler may call ``stop(closeTimeout:)``.
    @discardableResult
    public func addUpdateHandler(_ type: String, _ handler: @escaping UpdateHandler) -> UpdateHandlerID {
        state.withLock { state in
            state.lastHandlerID += 1
            let id = UpdateHandlerID(value: state.lastHandlerID)
            state.handlers[id] = (type, handler)
            return id
        }
    }

    /// Calls `handler` with every new message (`updateNewMessage`).
    @discardableResult
    public func addMessageHandler(_ handler: @escaping @Sendable (Message) async throws -> Void) -> UpdateHandlerID {
        addUpdateHandler("updateNewMessage") { update in
            if case .newMessage(let new) = update { try await handler(new.message) }
        }
    }

    /// Removes a handler; an update already being handled finishes.
    public func removeUpdateHandler(_ id: UpdateHandlerID) {
        _ = state.withLock { $0.handlers.removeValue(forKey: id) }
    }

    func runHandlers(_ queue: AsyncStream<(type: String, update: Update)>) async {
        let lanes = HandlerLanes(limit: configuration.handlerConcurrency) { [weak self] type, update in
            await self?.runHandlers(of: type, update)
        }
        await lanes.run(queue)
    }

    private func runHandlers(of type: String, _ update: Update) async {
        let handlers = state.withLock { state in
            state.handlers.sorted { $0.key.value < $1.key.value }.filter { $0.value.type == type }.map(
                \.value.handler)
        }
        for handler in handlers {
            do {
                try await handler(update)
            } catch {
                logger.error("An update handler threw", metadata: ["type": "\(type)", "error": "\(error)"])
            }
        }
    }

    /// The updates from now on, decoded; only the TDLib types in `types` when given.
    ///
    /// Each call makes an independent stream with its own buffer of ``TelegramConfiguration/updateBufferSize``
    /// updates (the oldest dropped when a reader falls that far behind). Streams end when the client stops.
    public func updates(types: Set<String>? = nil) -> AsyncStream<Update> {
        let (stream, continuation) = AsyncStream<Update>.makeStream(
            bufferingPolicy: .bufferingNewest(configuration.updateBufferSize))
        let added = state.withLock { state -> Int? in
            guard !state.updatesEnded else { return nil }
            state.lastSubscriberID += 1
            state.subscribers[state.lastSubscriberID] = (types, continuation)
            return state.lastSubscriberID
        }
        if let added {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.subscribers.removeValue(forKey: added) }
            }
        } else {
            continuation.finish()
        }
        return stream
    }
}

/// Identifies an update handler, for ``Telegram/removeUpdateHandler(_:)``.
public struct UpdateHandlerID: Hashable, Sendable {
    let value: Int
}
