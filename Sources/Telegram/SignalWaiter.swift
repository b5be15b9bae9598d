import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for SIGINT or SIGTERM without the default handlers killing the process, so that a program
/// can close its TDLib clients before it exits.
public enum SignalWaiter {
    /// Returns at the first SIGINT or SIGTERM, or as soon as `finished` returns `true` (checked five times a second).
    public static func waitForTermination(orWhen finished: @escaping @Sendable () -> Bool = { false }) async {
        let signals = [SIGINT, SIGTERM]
        for number in signals { signal(number, SIG_IGN) }
        let queue = DispatchQueue(label: "swift-telegram.signals")
        let sources = signals.map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
        let received = AsyncStream<Void>.makeStream()
        for source in sources {
            source.setEventHandler { received.continuation.yield() }
            source.resume()
        }
        let poll = Task {
            while !Task.isCancelled, !finished() { try? await Task.sleep(for: .milliseconds(200)) }
            received.continuation.yield()
        }
        var iterator = received.stream.makeAsyncIterator()
        _ = await iterator.next()
        poll.cancel()
        for source in sources { source.cancel() }
    }
}
