import TDLib

/// Yields a transfer's progress until its end, and nothing after it.
///
/// Also tells a waiting task when the transfer has ended or its follower has stopped reading updates
/// (``waitUntilFinishedOrUnfollowed()``), so that nobody has to poll.
final class TransferGate: Sendable {
    private struct State {
        var finished = false
        var unfollowed = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var lastWaiterID = 0

        /// The waiters to wake, once the wait is over.
        mutating func takeWaitersIfSettled() -> [CheckedContinuation<Void, Never>] {
            guard finished || unfollowed else { return [] }
            defer { waiters = [:] }
            return Array(waiters.values)
        }
    }

    private let state = Locked(State())
    private let continuation: AsyncThrowingStream<FileProgress, any Error>.Continuation

    init(_ continuation: AsyncThrowingStream<FileProgress, any Error>.Continuation) {
        self.continuation = continuation
    }

    func yield(_ progress: FileProgress) {
        state.withLock { state in
            if !state.finished { continuation.yield(progress) }
        }
    }

    func finish(_ last: FileProgress) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.finished else { return [] }
            state.finished = true
            continuation.yield(last)
            continuation.finish()
            return state.takeWaitersIfSettled()
        }
        for waiter in waiters { waiter.resume() }
    }

    func fail(_ error: any Error) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.finished else { return [] }
            state.finished = true
            continuation.finish(throwing: error)
            return state.takeWaitersIfSettled()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The follower reads no more updates: no later report will come through it.
    func unfollow() {
        let waiters = state.withLock { state in
            state.unfollowed = true
            return state.takeWaitersIfSettled()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the transfer has ended or its follower has stopped, or when the task is cancelled.
    func waitUntilFinishedOrUnfollowed() async {
        let id = state.withLock { state in
            state.lastWaiterID += 1
            return state.lastWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let settled = state.withLock { state in
                    // Checked under the lock: a cancellation after it finds the waiter below.
                    if state.finished || state.unfollowed || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if settled { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
