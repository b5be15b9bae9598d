import ServiceLifecycle

/// A `TDClientManager` runs in a swift-service-lifecycle `ServiceGroup` next to a server:
///
/// ```swift
/// let manager = try TDClientManager(library: try TDLibrary.load())
/// let group = ServiceGroup(services: [manager, httpServer], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
///
/// The group's graceful shutdown (or its cancellation) shuts the manager down: requests still waiting end
/// with TDLib's answer or with `TDClientError` `clientClosed`, update streams end, and no client is left open
/// when the process exits.
extension TDClientManager: Service {
    /// Keeps the manager working until graceful shutdown, until the task is cancelled, or until
    /// ``shutdown(timeout:)`` is called elsewhere; then shuts it down, waiting for each client to close at
    /// most the `closeTimeout` given to ``init(library:logger:tdlibLogVerbosity:metricsFactory:closeTimeout:)``.
    ///
    /// Returns once every client is closed and the receive thread has stopped; it never throws (a client
    /// that did not close in time is logged and given up).
    public func run() async {
        await cancelWhenGracefulShutdown {
            await self.waitUntilShutDown()
        }
        // In a task of its own: when `run` was cancelled, its cancellation must not cut the closing short.
        // The task is awaited here, so it never outlives `run`.
        let closing = Task { [self] in
            do {
                try await shutdown(timeout: closeTimeout)
            } catch {
                logger.warning("A TDLib client did not close in time at shutdown", metadata: ["error": "\(error)"])
            }
        }
        await closing.value
        logger.debug("The TDClientManager service ended; every client is closed")
    }

    /// Returns once ``shutdown(timeout:)`` has finished, or when the task is cancelled.
    private func waitUntilShutDown() async {
        let waiterID = makeExtra()
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let registered = state.withLock { state in
                    guard !state.isShutDownFully, !Task.isCancelled else { return false }
                    state.shutdownWaiters[waiterID] = continuation
                    return true
                }
                if !registered { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.shutdownWaiters.removeValue(forKey: waiterID) }?.resume()
        }
    }
}
