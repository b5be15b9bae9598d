import Foundation

/// A `Clock` that stands still until the test moves it, for the web app's idle-session expiry.
///
/// ``advance(by:)`` wakes, in deadline order, the sleepers it makes due; ``waitForSleeps(_:)`` tells when
/// the code under test has called `sleep` that many times in all (so it is waiting again).
final class ManualClock: Clock, @unchecked Sendable {
    // @unchecked: every stored property but `lock` is `state`, only read or written while `lock` is held.

    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (left: Instant, right: Instant) -> Bool { left.offset < right.offset }
    }

    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Int: Sleeper] = [:]
        var sleepCount = 0
        var lastID = 0
        var countWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let lock = NSLock()
    private var state = State()

    var now: Instant { lock.withLock { state.now } }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let (id, woken) = lock.withLock {
            state.lastID += 1
            state.sleepCount += 1
            let count = state.sleepCount
            let woken = state.countWaiters.filter { $0.count <= count }.map(\.continuation)
            state.countWaiters.removeAll { $0.count <= count }
            return (state.lastID, woken)
        }
        for waiter in woken { waiter.resume() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome {
                    case due
                    case cancelled
                    case waiting
                }
                let outcome = lock.withLock { () -> Outcome in
                    if deadline <= state.now { return .due }
                    // Checked under the lock: a cancellation after it finds the sleeper below.
                    if Task.isCancelled { return .cancelled }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .waiting
                }
                switch outcome {
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            lock.withLock { state.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward and wakes the sleepers that fall due, earliest first.
    func advance(by duration: Duration) {
        let due = lock.withLock {
            state.now = state.now.advanced(by: duration)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns once `sleep` has been called `count` times in all.
    func waitForSleeps(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let reached = lock.withLock {
                if state.sleepCount >= count { return true }
                state.countWaiters.append((count, continuation))
                return false
            }
            if reached { continuation.resume() }
        }
    }
}
