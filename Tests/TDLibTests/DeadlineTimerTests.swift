import Foundation
import Testing

@testable import TDLib

@Suite("The manager's deadline timer")
struct DeadlineTimerTests {
    /// Collects the names of the deadlines that fired, and lets a test wait until a given one has.
    final class Fired: Sendable {
        private let state = Locked<(names: [String], waiters: [String: CheckedContinuation<Void, Never>])>(([], [:]))

        func fire(_ name: String) -> @Sendable () -> Void {
            { [self] in
                let waiter = state.withLock { state in
                    state.names.append(name)
                    return state.waiters.removeValue(forKey: name)
                }
                waiter?.resume()
            }
        }

        func wait(for name: String) async {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state in
                    if state.names.contains(name) { return true }
                    state.waiters[name] = continuation
                    return false
                }
                if done { continuation.resume() }
            }
        }

        var names: [String] { state.withLock { $0.names } }
    }

    @Test func deadlinesFireInTheirOrder() async {
        let timer = DeadlineTimer(name: "test-deadlines")
        defer { timer.stop() }
        let fired = Fired()
        let start = ContinuousClock.now
        _ = timer.schedule(at: start + .milliseconds(30), fired.fire("third"))
        _ = timer.schedule(at: start + .milliseconds(20), fired.fire("second"))
        _ = timer.schedule(at: start + .milliseconds(10), fired.fire("first"))
        await fired.wait(for: "third")
        // The heap hands out what is due in deadline order, however late the thread wakes.
        #expect(fired.names == ["first", "second", "third"])
        #expect(timer.count == 0)
    }

    @Test func aCancelledDeadlineNeverFiresEvenWhenDue() async {
        let timer = DeadlineTimer(name: "test-deadlines")
        defer { timer.stop() }
        let fired = Fired()
        // The first action holds the timer's thread until the test lets it go: the next deadlines are due
        // before the thread can look at them, so the cancellation is decided by order, not by speed. The
        // semaphore blocks that thread only (a pthread of the timer's own), never one of Swift's pool.
        let gate = DispatchSemaphore(value: 0)
        let blocker = fired.fire("blocker")
        _ = timer.schedule(after: .zero) {
            blocker()
            gate.wait()
        }
        await fired.wait(for: "blocker")
        let cancelled = timer.schedule(after: .zero, fired.fire("cancelled"))
        _ = timer.schedule(after: .zero, fired.fire("after"))
        timer.cancel(cancelled)
        gate.signal()
        await fired.wait(for: "after")
        #expect(fired.names == ["blocker", "after"])
    }

    @Test func anEarlierDeadlineWakesTheTimer() async {
        let timer = DeadlineTimer(name: "test-deadlines")
        defer { timer.stop() }
        let fired = Fired()
        let late = timer.schedule(after: .seconds(3600), fired.fire("late"))
        _ = timer.schedule(after: .zero, fired.fire("now"))
        await fired.wait(for: "now")
        #expect(timer.count == 1)
        timer.cancel(late)
        #expect(timer.count == 0)
        #expect(fired.names == ["now"])
    }

    @Test func cancelledDeadlinesDoNotPileUp() async {
        let timer = DeadlineTimer(name: "test-deadlines")
        defer { timer.stop() }
        let fired = Fired()
        let tokens = (0..<10_000).map { _ in timer.schedule(after: .seconds(3600), fired.fire("never")) }
        for token in tokens { timer.cancel(token) }
        _ = timer.schedule(after: .milliseconds(1), fired.fire("after"))
        await fired.wait(for: "after")
        #expect(fired.names == ["after"])
        #expect(timer.count == 0)
    }

    @Test func aSleepEndsAtItsDeadlineOrAtOnceWhenCancelled() async throws {
        let timer = DeadlineTimer(name: "test-deadlines")
        defer { timer.stop() }
        try await timer.sleep(for: .milliseconds(1))
        let long = Task { try await timer.sleep(for: .seconds(3600)) }
        long.cancel()
        await #expect(throws: CancellationError.self) { try await long.value }
        #expect(timer.count == 0)
    }
}
