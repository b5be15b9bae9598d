import TDLib

/// What a participant has received and not yet looked at, oldest first, and the tests that wait for the
/// next of it. Waiting takes the oldest item that matches and leaves the others for later waits.
final class Mailbox<Element: Sendable>: Sendable {
    private struct Waiter {
        let accepts: @Sendable (Element) -> Bool
        let continuation: CheckedContinuation<Element, any Error>
    }

    private struct State {
        var items: [Element] = []
        var waiters: [Int: Waiter] = [:]
        var lastWaiterID = 0
    }

    private let state = Locked(State())

    /// Hands `element` to the oldest waiter that wants it, or keeps it.
    func post(_ element: Element) {
        let waiter: Waiter? = state.withLock { state in
            let id = state.waiters.keys.sorted().first { state.waiters[$0]?.accepts(element) == true }
            guard let id else {
                state.items.append(element)
                return nil
            }
            return state.waiters.removeValue(forKey: id)
        }
        waiter?.continuation.resume(returning: element)
    }

    /// What is kept and was not taken, oldest first.
    var pending: [Element] { state.withLock { $0.items } }

    /// The oldest kept or next posted element that `accepts`, or `nil` after `timeout` on the wall clock.
    func take(where accepts: @escaping @Sendable (Element) -> Bool, timeout: Duration) async throws -> Element? {
        try await withThrowingTaskGroup(of: Element?.self) { group in
            group.addTask { try await self.take(where: accepts) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    private func take(where accepts: @escaping @Sendable (Element) -> Bool) async throws -> Element {
        let id = state.withLock { state in
            state.lastWaiterID += 1
            return state.lastWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Element, any Error>) in
                let outcome = state.withLock { state -> Result<Element, CancellationError>? in
                    if let index = state.items.firstIndex(where: accepts) {
                        return .success(state.items.remove(at: index))
                    }
                    // A cancellation that came before this registration found nothing to resume.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = Waiter(accepts: accepts, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome.mapError { $0 as any Error }) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
