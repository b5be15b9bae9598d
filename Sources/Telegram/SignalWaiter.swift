import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for SIGINT or SIGTERM without the default handlers killing the process, so that a program
/// can close its TDLib clients before it exits; for ``Telegram/idle()``, `tg` and the examples.
///
/// No signal handler of ours runs inside the signal: the signals are ignored at the process level and a
/// `DispatchSourceSignal` reports each one later, on a dispatch queue, where any code is safe. Waiting
/// holds no thread of Swift's cooperative pool and checks nothing on a timer.
package enum SignalWaiter {
    /// Returns at the first SIGINT or SIGTERM, or when the calling task is cancelled.
    package static func waitForTermination() async {
        await waitForSignal()
    }

    /// Returns at the first SIGINT or SIGTERM, or as soon as `events` ends (or throws), or when the
    /// calling task is cancelled. Both waits are child tasks: neither outlives the call, so `events` must end
    /// its iteration when cancelled (as `AsyncStream` does).
    package static func waitForTermination(orUntilEndOf events: some AsyncSequence & Sendable) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await waitForSignal() }
            group.addTask {
                do {
                    for try await _ in events {
                        if Task.isCancelled { return }
                    }
                } catch {
                    // A sequence that fails has ended too.
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns at the first signal or when the calling task is cancelled.
    private static func waitForSignal() async {
        let signals = [SIGINT, SIGTERM]
        // Ignored rather than handled: the process keeps running, and the dispatch sources below still see
        // each signal (they watch for it whatever the disposition). Left ignored afterwards, so that a second
        // Ctrl-C during the closing does not kill the process under TDLib.
        for number in signals { signal(number, SIG_IGN) }
        let queue = DispatchQueue(label: "swift-telegram.signals")
        let (received, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        // `next()` returns nil at once when the task is cancelled.
        var iterator = received.makeAsyncIterator()
        _ = await iterator.next()
        continuation.finish()
        for source in sources { source.cancel() }
    }
}
