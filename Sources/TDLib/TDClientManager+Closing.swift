import Foundation

extension TDClientManager {
    // MARK: Closing

    /// Closes a client: sends `close` and waits for `authorizationStateClosed`, at most `timeout`.
    ///
    /// Requests still waiting fail with `clientClosed` and the update stream ends. On timeout the
    /// client is given up locally all the same, and the error says so.
    func close(clientID: Int32, timeout: Duration) async throws {
        let waiterID = makeExtra()
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let registered = state.withLock { state in
                guard state.clients[clientID] != nil else { return false }
                let deadline = deadlines.schedule(after: timeout) { [weak self] in
                    self?.abandon(clientID: clientID, waiterID: waiterID, after: timeout)
                }
                state.clients[clientID]?.closeWaiters[waiterID] = (continuation, deadline)
                return true
            }
            guard registered else {
                continuation.resume()
                return
            }
            // An @extra that no request waits for: TDLib's "ok" is dropped, the closed state ends the wait.
            let request = Self.request(Array(#"{"@type":"close"}"#.utf8), extra: makeExtra())
            request.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { characters in
                    if let base = characters.baseAddress { library.send(clientID: clientID, request: base) }
                }
            }
        }
    }

    private func abandon(clientID: Int32, waiterID: UInt64, after timeout: Duration) {
        let waiting = state.withLock { $0.clients[clientID]?.closeWaiters[waiterID] != nil }
        guard waiting else { return }
        logger.warning(
            "TDLib did not close the client in time; giving it up", metadata: ["client": "\(clientID)"])
        finishClient(
            clientID,
            closeResult: .failure(
                TDClientError(.timedOut, "client \(clientID) did not reach authorizationStateClosed within \(timeout)"))
        )
    }

    /// Closes every open client at once, each bounded by `timeout`.
    /// - Throws: the first error of any client that failed to close in time.
    public func closeAll(timeout: Duration = .seconds(30)) async throws {
        let clientIDs = openClientIDs
        try await withThrowingTaskGroup(of: Void.self) { group in
            for clientID in clientIDs {
                group.addTask { try await self.close(clientID: clientID, timeout: timeout) }
            }
            var firstError: (any Error)?
            while let result = await group.nextResult() {
                if case .failure(let error) = result, firstError == nil { firstError = error }
            }
            if let firstError { throw firstError }
        }
    }

    /// Closes every client, stops the receive thread, and releases the library for another manager.
    ///
    /// Safe to call more than once. Afterwards ``createClient(updateBuffering:metricsLabel:)`` throws.
    public func shutdown(timeout: Duration = .seconds(30)) async throws {
        let firstCall = state.withLock { state in
            defer { state.isShutDown = true }
            return !state.isShutDown
        }
        if firstCall {
            Self.sharedManagers.withLock { managers in
                if managers[library.name] === self { managers[library.name] = nil }
            }
        }
        var closeError: (any Error)?
        do { try await closeAll(timeout: timeout) } catch { closeError = error }
        if firstCall {
            await stopReceiveLoop()
            Self.claimedLibraries.withLock { _ = $0.remove(library.name) }
            let waiters = state.withLock { state in
                state.isShutDownFully = true
                defer { state.shutdownWaiters = [:] }
                return state.shutdownWaiters.values
            }
            for waiter in waiters { waiter.resume() }
        }
        if let closeError { throw closeError }
    }

    /// Marks a client closed: fails its waiting requests, ends its updates, answers its close waiters.
    func finishClient(_ clientID: Int32, closeResult: Result<Void, TDClientError>) {
        let (client, requests) = state.withLock { state in
            let client = state.clients.removeValue(forKey: clientID)
            var requests: [PendingRequest] = []
            if client != nil {
                for (extra, request) in state.pending where request.clientID == clientID {
                    requests.append(request)
                    state.pending[extra] = nil
                }
            }
            return (client, requests)
        }
        guard let client else { return }
        let closed = TDClientError(.clientClosed, "client \(clientID) closed before it answered")
        for request in requests {
            if let deadline = request.deadline { deadlines.cancel(deadline) }
            request.end(.closed, error: closed)
            request.continuation.resume(throwing: closed)
        }
        client.updates.finish()
        for waiter in client.closeWaiters.values {
            deadlines.cancel(waiter.deadline)
            waiter.continuation.resume(with: closeResult)
        }
        logger.debug("Closed TDLib client", metadata: ["client": "\(clientID)"])
    }
}
