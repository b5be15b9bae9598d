import TDLib
import TDLibAPI

/// Runs update handlers with at most `limit` updates in progress at once, the updates of one chat one
/// after another in the order they came (and the updates of no chat likewise, in a lane of their own).
///
/// Each chat with updates waiting has a lane, a task that handles them in order and ends when none are
/// left; lanes take one of `limit` permits while they work, first come first served.
final class HandlerLanes: Sendable {
    typealias Work = @Sendable (String, Update) async -> Void

    private struct State {
        var waiting: [Int64: [(type: String, update: Update)]] = [:]
        var freePermits: Int
        var permitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Locked<State>
    private let work: Work

    init(limit: Int, work: @escaping Work) {
        state = Locked(State(freePermits: max(1, limit)))
        self.work = work
    }

    /// Handles every update of `queue`, returning once the queue has ended and every lane is done. With a
    /// limit of 1, updates are handled strictly in the order they came, whatever their chats.
    func run(_ queue: AsyncStream<(type: String, update: Update)>) async {
        if state.withLock({ $0.freePermits }) == 1 {
            for await (type, update) in queue { await work(type, update) }
            return
        }
        await withDiscardingTaskGroup { group in
            for await (type, update) in queue {
                let lane = Self.lane(of: update)
                let isNewLane = state.withLock { state in
                    let isNew = state.waiting[lane] == nil
                    state.waiting[lane, default: []].append((type, update))
                    return isNew
                }
                if isNewLane { group.addTask { await self.drain(lane) } }
            }
        }
    }

    private func drain(_ lane: Int64) async {
        while let (type, update) = state.withLock({ $0.waiting[lane]?.first }) {
            await acquirePermit()
            await work(type, update)
            releasePermit()
            let isEmpty = state.withLock { state in
                state.waiting[lane]?.removeFirst()
                if state.waiting[lane]?.isEmpty ?? true {
                    state.waiting[lane] = nil
                    return true
                }
                return false
            }
            if isEmpty { return }
        }
    }

    private func acquirePermit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state in
                guard state.freePermits > 0 else {
                    state.permitWaiters.append(continuation)
                    return false
                }
                state.freePermits -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    private func releasePermit() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.permitWaiters.isEmpty else {
                state.freePermits += 1
                return nil
            }
            return state.permitWaiters.removeFirst()
        }
        next?.resume()
    }

    /// The chat an update belongs to, for the updates handlers most often act on; 0 for the others.
    static func lane(of update: Update) -> Int64 {
        switch update {
        case .newMessage(let new): new.message.chatId
        case .messageEdited(let edited): edited.chatId
        case .messageContent(let content): content.chatId
        case .deleteMessages(let deleted): deleted.chatId
        case .newCallbackQuery(let query): query.chatId
        case .messageSendSucceeded(let sent): sent.message.chatId
        case .messageSendFailed(let failed): failed.message.chatId
        case .chatAction(let action): action.chatId
        case .messageInteractionInfo(let info): info.chatId
        default: 0
        }
    }
}
