import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for SIGINT or SIGTERM without the default handlers killing the process.
enum SignalWaiter {
    static func waitForTermination(orWhen finished: @escaping @Sendable () -> Bool) async {
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
