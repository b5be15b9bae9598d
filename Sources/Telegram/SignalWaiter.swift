import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for SIGINT or SIGTERM without the default handlers killing the process, so that a program
/// can close its TDLib clients before it exits.
///
/// The signals arrive on a dispatch queue of their own; waiting holds no thread of Swift's cooperative pool.
public enum SignalWaiter {
    /// Returns at the first SIGINT or SIGTERM, or when the calling task is cancelled.
    public static func waitForTermination() async {
        await wait(orUntil: nil)
    }

    /// Returns at the first SIGINT or SIGTERM, or as soon as `events` ends (or throws), or when the
    /// calling task is cancelled.
    ///
    /// Event-driven: nothing runs until a signal comes or `events` ends. A ``Telegram`` client's
    /// ``Telegram/updates(types:)`` stream, for instance, ends when its TDLib session closes:
    ///
    /// ```swift
    /// await SignalWaiter.waitForTermination(orUntilEndOf: telegram.updates(types: []))
    /// ```
    public static func waitForTermination(orUntilEndOf events: some AsyncSequence & Sendable) async {
        await wait(orUntil: {
            do {
                for try await _ in events {
                    if Task.isCancelled { return }
                }
            } catch {
                // A sequence that fails has ended too.
            }
        })
    }

    /// Returns at the first SIGINT or SIGTERM, or as soon as `finished` returns `true`.
    ///
    /// A condition can only be polled: `finished` is checked five times a second, on a sleeping task.
    /// Prefer ``waitForTermination(orUntilEndOf:)``, which waits for an event instead.
    public static func waitForTermination(orWhen finished: @escaping @Sendable () -> Bool) async {
        await wait(orUntil: {
            while !Task.isCancelled, !finished() { try? await Task.sleep(for: .milliseconds(200)) }
        })
    }

    /// Returns at the first signal, when `event` returns, or when the calling task is cancelled.
    private static func wait(orUntil event: (@Sendable () async -> Void)?) async {
        let signals = [SIGINT, SIGTERM]
        for number in signals { signal(number, SIG_IGN) }
        let queue = DispatchQueue(label: "swift-telegram.signals")
        let sources = signals.map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
        let (received, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        for source in sources {
            source.setEventHandler { continuation.yield() }
            source.resume()
        }
        let watcher = event.map { event in
            Task {
                await event()
                continuation.yield()
            }
        }
        // `next()` also returns, with nil, when this task is cancelled.
        var iterator = received.makeAsyncIterator()
        _ = await iterator.next()
        watcher?.cancel()
        continuation.finish()
        for source in sources { source.cancel() }
    }
}
