import Dispatch
import TDLib

/// The simulator's time: the wall clock, or a manual clock that only its owner moves.
///
/// Everything that takes time in the simulator goes through its clock: the scenario's latency,
/// scripted events, QR confirmations, file transfers. With ``manual()`` nothing happens by itself:
/// a test calls ``advance(by:)`` and the timers that fall due run, in order, before it returns. So
/// a test decides when a download is midway or when an answer arrives, whatever the machine's speed.
public final class SimulatorClock: Sendable {
    private struct Timer {
        let deadline: Duration
        let order: Int
        let work: @Sendable () -> Void
    }

    private struct ManualState {
        var now = Duration.zero
        var lastOrder = 0
        var timers: [Timer] = []
        var timerWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let queue: DispatchQueue?
    private let manualState = Locked(ManualState())

    private init(queue: DispatchQueue?) {
        self.queue = queue
    }

    /// A clock that follows the wall clock: timers fire by themselves.
    public static func realTime() -> SimulatorClock {
        SimulatorClock(queue: DispatchQueue(label: "tdlib-simulator.timers"))
    }

    /// A clock that stands still until ``advance(by:)`` moves it.
    public static func manual() -> SimulatorClock {
        SimulatorClock(queue: nil)
    }

    /// Whether only ``advance(by:)`` moves this clock.
    public var isManual: Bool { queue == nil }

    /// How far a manual clock has been advanced; zero for a real-time clock.
    public var elapsed: Duration { manualState.withLock { $0.now } }

    /// How many timers wait on a manual clock; zero for a real-time clock.
    public var pendingTimerCount: Int { manualState.withLock { $0.timers.count } }

    /// Moves a manual clock forward and runs, in deadline order, every timer that falls due,
    /// including those that the timers themselves schedule within the interval.
    ///
    /// Does nothing on a real-time clock. The timers run on the caller's thread before this returns.
    public func advance(by interval: Duration) {
        guard isManual else { return }
        let target = manualState.withLock { $0.now + max(.zero, interval) }
        while let timer = nextTimer(dueBy: target) { timer.work() }
        manualState.withLock { $0.now = max($0.now, target) }
    }

    /// Runs `work` after `seconds` of this clock's time.
    func schedule(after seconds: Double, _ work: @escaping @Sendable () -> Void) {
        let delay = max(0, seconds.isFinite ? seconds : 0)
        if let queue {
            queue.asyncAfter(deadline: .now() + delay, execute: work)
            return
        }
        let woken = manualState.withLock { state in
            state.lastOrder += 1
            state.timers.append(Timer(deadline: state.now + .seconds(delay), order: state.lastOrder, work: work))
            let count = state.timers.count
            defer { state.timerWaiters.removeAll { $0.count <= count } }
            return state.timerWaiters.filter { $0.count <= count }.map(\.continuation)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once at least `count` timers wait on this manual clock (at once): for example once the
    /// code under test sleeps on it (``sleep(until:tolerance:)``). Returns at once on a real-time clock.
    public func waitForTimers(_ count: Int) async {
        guard isManual else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let reached = manualState.withLock { state in
                if state.timers.count >= count { return true }
                state.timerWaiters.append((count, continuation))
                return false
            }
            if reached { continuation.resume() }
        }
    }

    private func nextTimer(dueBy target: Duration) -> Timer? {
        manualState.withLock { state in
            var best: Int?
            for (index, timer) in state.timers.enumerated() where timer.deadline <= target {
                guard let current = best else {
                    best = index
                    continue
                }
                let other = state.timers[current]
                if (timer.deadline, timer.order) < (other.deadline, other.order) { best = index }
            }
            guard let best else { return nil }
            let timer = state.timers.remove(at: best)
            state.now = max(state.now, timer.deadline)
            return timer
        }
    }
}
