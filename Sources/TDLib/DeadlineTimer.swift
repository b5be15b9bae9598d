import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every timeout of one client manager in one place: a heap of deadlines and one thread that sleeps until
/// the earliest of them.
///
/// A deadline costs no task and no wake-up of its own: scheduling one pushes it on the heap and wakes the
/// thread only when it is earlier than every other, and cancelling one (its answer came) just forgets its
/// action. The thread sleeps on a condition variable until the earliest deadline, never polls, and runs
/// the actions that are due outside the lock. It only runs short actions: resuming a continuation.
package final class DeadlineTimer: @unchecked Sendable {
    // @unchecked: every stored property but `condition` and `mutex` (which are only used through pthread
    // calls) is read and written only between `pthread_mutex_lock(mutex)` and `pthread_mutex_unlock(mutex)`.

    /// A scheduled deadline, to cancel it.
    package struct Token: Hashable, Sendable {
        fileprivate let id: UInt64
    }

    private struct Entry {
        let deadline: ContinuousClock.Instant
        let id: UInt64
    }

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var heap: [Entry] = []
    private var actions: [UInt64: @Sendable () -> Void] = [:]
    private var lastID: UInt64 = 0
    private var threadStarted = false
    private var stopped = false
    private let name: String

    /// A timer whose thread, started with the first deadline, is called `name`.
    package init(name: String) {
        self.name = name
        mutex = UnsafeMutablePointer.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = UnsafeMutablePointer.allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        #if canImport(Darwin)
            pthread_cond_init(condition, nil)
        #else
            // Deadlines are waited for on the monotonic clock: a change of the wall clock moves none of them.
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            pthread_cond_init(condition, &attributes)
            pthread_condattr_destroy(&attributes)
        #endif
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deinitialize(count: 1)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `action` on the timer's thread once `delay` has passed, unless ``cancel(_:)`` comes first.
    package func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> Token {
        schedule(at: ContinuousClock.now + delay, action)
    }

    /// Runs `action` on the timer's thread once `deadline` has come, unless ``cancel(_:)`` comes first.
    package func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> Token {
        let (id, startThread) = withLock { () -> (UInt64, Bool) in
            lastID += 1
            actions[lastID] = action
            let isEarliest = heap.first.map { deadline < $0.deadline } ?? true
            push(Entry(deadline: deadline, id: lastID))
            // Only an earlier deadline changes how long the thread sleeps.
            if isEarliest { pthread_cond_signal(condition) }
            defer { threadStarted = true }
            return (lastID, !threadStarted && !stopped)
        }
        if startThread { start() }
        return Token(id: id)
    }

    /// Forgets a deadline: its action will not run. Cancelling one that already ran does nothing.
    package func cancel(_ token: Token) {
        withLock {
            guard actions.removeValue(forKey: token.id) != nil else { return }
            // Cancelled entries stay in the heap until they come up; when they outnumber the live ones,
            // the heap is rebuilt, so that its size stays within twice the deadlines that wait.
            if heap.count > 64, heap.count > 2 * actions.count { rebuildHeap() }
        }
    }

    /// Suspends the calling task for `duration` on this timer, without a task or a wake-up of its own.
    /// - Throws: `CancellationError` as soon as the task is cancelled.
    package func sleep(for duration: Duration) async throws {
        let sleeper = Sleeper()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Registered before the deadline exists, so that the deadline always finds it.
                guard sleeper.start(continuation) else { return }
                let token = schedule(after: duration) { sleeper.end(with: .success(())) }
                if !sleeper.set(token) { cancel(token) }
            }
        } onCancel: {
            if let token = sleeper.end(with: .failure(CancellationError())) { cancel(token) }
        }
    }

    /// One ``sleep(for:)``: its continuation is resumed once, by its deadline or by its cancellation.
    private final class Sleeper: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Void, any Error>?
            var token: Token?
            var ended = false
        }
        private let state = Locked(State())

        /// False when the sleep was cancelled before it started: then the continuation is resumed here.
        func start(_ continuation: CheckedContinuation<Void, any Error>) -> Bool {
            let ended = state.withLock { state in
                if !state.ended { state.continuation = continuation }
                return state.ended
            }
            if ended { continuation.resume(throwing: CancellationError()) }
            return !ended
        }

        /// False when the sleep already ended: the deadline is no longer needed.
        func set(_ token: Token) -> Bool {
            state.withLock { state in
                if !state.ended { state.token = token }
                return !state.ended
            }
        }

        /// Ends the sleep once; returns its deadline, to cancel it.
        @discardableResult
        func end(with result: Result<Void, any Error>) -> Token? {
            let (continuation, token) = state.withLock { state -> (CheckedContinuation<Void, any Error>?, Token?) in
                guard !state.ended else { return (nil, nil) }
                state.ended = true
                defer { state.continuation = nil }
                return (state.continuation, state.token)
            }
            continuation?.resume(with: result)
            return token
        }
    }

    /// Ends the thread; the deadlines still waiting never run.
    package func stop() {
        withLock {
            stopped = true
            actions = [:]
            heap = []
            pthread_cond_signal(condition)
        }
    }

    /// How many deadlines wait.
    package var count: Int { withLock { actions.count } }

    private func start() {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    private func run() {
        while true {
            let due: [@Sendable () -> Void]? = withLock {
                while true {
                    if stopped { return nil }
                    guard let first = heap.first else {
                        pthread_cond_wait(condition, mutex)
                        continue
                    }
                    guard actions[first.id] != nil else {
                        popFirst()
                        continue
                    }
                    let remaining = ContinuousClock.now.duration(to: first.deadline)
                    if remaining <= .zero { break }
                    wait(for: remaining)
                }
                var due: [@Sendable () -> Void] = []
                let now = ContinuousClock.now
                while let first = heap.first, first.deadline <= now {
                    popFirst()
                    if let action = actions.removeValue(forKey: first.id) { due.append(action) }
                }
                return due
            }
            guard let due else { return }
            for action in due { action() }
        }
    }

    /// Sleeps on the condition for at most `duration`; called with the lock held.
    private func wait(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int(attoseconds / 1_000_000_000)
        #if canImport(Darwin)
            var relative = timespec(tv_sec: Int(seconds), tv_nsec: nanoseconds)
            pthread_cond_timedwait_relative_np(condition, mutex, &relative)
        #else
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            var total = now.tv_nsec + nanoseconds
            var whole = now.tv_sec + Int(clamping: seconds)
            if total >= 1_000_000_000 {
                total -= 1_000_000_000
                whole += 1
            }
            var until = timespec(tv_sec: whole, tv_nsec: total)
            pthread_cond_timedwait(condition, mutex, &until)
        #endif
    }

    private func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    // MARK: The heap (a binary min-heap on the deadline)

    private func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func popFirst() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(from: 0)
    }

    private func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            let child = right < heap.count && heap[right].deadline < heap[left].deadline ? right : left
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            parent = child
        }
    }

    private func rebuildHeap() {
        heap.removeAll { actions[$0.id] == nil }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
    }
}
