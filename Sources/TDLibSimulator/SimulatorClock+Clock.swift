import Foundation
import TDLib

/// The wall-clock reference of every real-time simulator clock's instants.
private let realTimeReference = ContinuousClock.now

extension SimulatorClock: Clock {
    /// A point in a simulator clock's time: how far it is from the clock's start.
    public struct Instant: InstantProtocol {
        /// The time since the clock's start (for a real-time clock, since the process first asked).
        public var offset: Duration

        /// The instant `duration` later.
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        /// The time from this instant to `other`.
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        /// Whether `left` comes before `right`.
        public static func < (left: Instant, right: Instant) -> Bool { left.offset < right.offset }
    }

    /// The current instant: the manual clock's ``elapsed`` time, or the wall clock's.
    public var now: Instant {
        Instant(offset: isManual ? elapsed : realTimeReference.duration(to: .now))
    }

    /// The smallest step the clock tells apart.
    public var minimumResolution: Duration { isManual ? .zero : ContinuousClock().minimumResolution }

    /// Sleeps until `deadline`: on the wall clock, or until ``advance(by:)`` reaches it on a manual clock.
    /// Cancellation ends the sleep at once with `CancellationError`.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        guard isManual else {
            try await ContinuousClock().sleep(for: now.duration(to: deadline), tolerance: tolerance)
            return
        }
        let waiting = Locked<CheckedContinuation<Void, any Error>?>(nil)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let delay = now.duration(to: deadline)
                guard delay > .zero else { return continuation.resume() }
                guard !Task.isCancelled else { return continuation.resume(throwing: CancellationError()) }
                waiting.withLock { $0 = continuation }
                // The sleeper counts as a timer from here, so `waitForTimers` sees it.
                schedule(after: Double(delay.components.seconds) + Double(delay.components.attoseconds) * 1e-18) {
                    waiting.withLock { $0.take() }?.resume()
                }
            }
        } onCancel: {
            waiting.withLock { $0.take() }?.resume(throwing: CancellationError())
        }
    }
}
