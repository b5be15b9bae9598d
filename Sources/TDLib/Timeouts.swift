/// Sleeps until `deadline`, in naps of at most `nap`; throws `CancellationError` when the task is cancelled.
///
/// Why naps: on Linux a cancelled `Task.sleep` keeps its task's memory (about 1.4 KB) until the time it
/// was asked to sleep to, even after the task has ended. A 30-second timeout that is cancelled because the
/// answer came in a millisecond would hold that memory for 30 seconds: at thousands of requests a second,
/// hundreds of megabytes. A nap bounds what a cancelled timeout holds to one nap.
package func sleepInNaps(until deadline: ContinuousClock.Instant, nap: Duration = .milliseconds(500)) async throws {
    let clock = ContinuousClock()
    while true {
        let now = clock.now
        guard now < deadline else { return }
        try await Task.sleep(until: min(deadline, now + nap), clock: clock)
    }
}

/// Sleeps for `duration` in naps; see ``sleepInNaps(until:nap:)``.
package func sleepInNaps(for duration: Duration) async throws {
    try await sleepInNaps(until: ContinuousClock.now + duration)
}
