import Foundation

extension TDClientManager {
    // MARK: The receive loop

    func startReceiveLoop() {
        let thread = Thread { [self] in
            runReceiveLoop()
        }
        thread.name = "tdlib-receive"
        thread.start()
    }

    func stopReceiveLoop() async {
        stopRequested.store(true, ordering: .releasing)
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let running = state.withLock { state in
                guard case .running = state.loop else { return false }
                state.loopExitWaiters.append(continuation)
                return true
            }
            if !running { continuation.resume() }
        }
    }

    private func runReceiveLoop() {
        while !stopRequested.load(ordering: .acquiring) {
            guard let pointer = library.receive(timeout: 0.2) else { continue }
            route(Self.copy(pointer))
        }
        let waiters = state.withLock { state in
            state.loop = .stopped
            defer { state.loopExitWaiters = [] }
            return state.loopExitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Hands one object from TDLib to whoever waits for it. Runs on the receive thread.
    private func route(_ bytes: [UInt8]) {
        guard let envelope = bytes.withUnsafeBufferPointer(JSONScanner.envelope(of:)) else {
            logger.warning("TDLib sent something that is not a JSON object", metadata: ["bytes": "\(bytes.count)"])
            return
        }
        let object = TDJSONObject(bytes: bytes, typeRange: envelope.type)
        if envelope.hasExtra {
            guard let extra = envelope.extra,
                let request = state.withLock({ $0.pending.removeValue(forKey: extra) })
            else {
                logger.trace("Dropped an answer nobody waits for", metadata: ["type": "\(object.type)"])
                return
            }
            if let deadline = request.deadline { deadlines.cancel(deadline) }
            if let error = object.tdlibError {
                request.end(.tdlibError, error: error)
                request.continuation.resume(throwing: error)
            } else {
                request.end(.ok, error: nil)
                request.continuation.resume(returning: object)
            }
            return
        }
        guard let clientID = envelope.clientID else {
            logger.debug("TDLib sent an object for no client", metadata: ["type": "\(object.type)"])
            return
        }
        let client = state.withLock { state in
            state.clients[clientID]?.routedUpdates += 1
            return state.clients[clientID].map { ($0.updates, $0.reportsDroppedUpdates, $0.metrics) }
        }
        guard let (updates, reportsDroppedUpdates, metrics) = client else { return }
        switch updates.yield(object) {
        case .enqueued:
            metrics?.updateDelivered()
        case .dropped where reportsDroppedUpdates:
            // A bounded buffer took this update and dropped its oldest one; `.discard` takes none.
            metrics?.updateDelivered()
            metrics?.updateDropped()
            noteDroppedUpdate(clientID: clientID)
        default:
            break
        }
        if object.hasType("updateAuthorizationState"), Self.contains(bytes, #""authorizationStateClosed""#) {
            finishClient(clientID, closeResult: .success(()))
        }
    }

    private func noteDroppedUpdate(clientID: Int32) {
        let dropped = state.withLock { state -> Int in
            state.clients[clientID]?.droppedUpdates += 1
            return state.clients[clientID]?.droppedUpdates ?? 0
        }
        if dropped == 1 || dropped % 10_000 == 0 {
            logger.warning(
                "Update buffer full: dropping the oldest updates",
                metadata: ["client": "\(clientID)", "dropped": "\(dropped)"])
        }
    }

    private static func contains(_ bytes: [UInt8], _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let first = needle.utf8Start[0]
        var index = 0
        while index <= bytes.count - count {
            if bytes[index] == first {
                var offset = 1
                while offset < count, bytes[index + offset] == needle.utf8Start[offset] { offset += 1 }
                if offset == count { return true }
            }
            index += 1
        }
        return false
    }
}
