import ServiceLifecycle

/// A `Telegram` runs in a swift-service-lifecycle `ServiceGroup` next to a server:
///
/// ```swift
/// let telegram = try await Telegram(configuration: configuration)
/// let group = ServiceGroup(services: [telegram, httpServer], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
///
/// The group's graceful shutdown (or its cancellation) closes the client: requests still waiting end with
/// TDLib's answer or with `TDClientError` `clientClosed`, update streams end, and nothing is left open
/// when the process exits.
extension Telegram: Service {
    /// Keeps the client working until graceful shutdown, until the task is cancelled, or until its session
    /// ends by itself (``logOut()``, ``stop(closeTimeout:)``, TDLib closing it); then closes it with
    /// ``stop(closeTimeout:)``, which waits for TDLib's `authorizationStateClosed` at most
    /// ``TelegramConfiguration/closeTimeout``.
    ///
    /// Returns once the client is closed; it never throws.
    public func run() async {
        // A stream of no update types yields nothing and ends with the session's updates.
        let sessionEnd = updates(types: [])
        await cancelWhenGracefulShutdown {
            for await _ in sessionEnd {}
        }
        // In a task of its own: when `run` was cancelled, its cancellation must not cut the close short.
        // The task is awaited here, so it never outlives `run`.
        let closing = Task { [self] in await stop(closeTimeout: configuration.closeTimeout) }
        await closing.value
        logger.debug("The Telegram service ended; the client is closed")
    }
}
