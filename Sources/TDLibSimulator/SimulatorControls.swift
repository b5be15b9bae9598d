import TDLib

/// A request the simulator keeps unanswered until the test releases its method.
struct HeldRequest {
    let clientID: Int32
    let method: String
    let bytes: [UInt8]
}

/// The simulator failed to see what a test waited for.
public struct SimulatorWaitError: Error, CustomStringConvertible {
    /// What was awaited and what the simulator had received by then.
    public let description: String
}

/// Counts the requests the simulator has received, by method, and wakes those who wait for a count.
final class ReceivedRequests: Sendable {
    private struct Waiter {
        let method: String
        let count: Int
        let continuation: UnsafeContinuation<Void, any Error>
    }

    private struct State {
        var counts: [String: Int] = [:]
        var waiters: [Int: Waiter] = [:]
        var lastWaiterID = 0
    }

    private let state = Locked(State())

    func count(_ method: String) -> Int { state.withLock { $0.counts[method] ?? 0 } }

    func record(_ method: String) {
        let ready: [Waiter] = state.withLock { state in
            state.counts[method, default: 0] += 1
            let total = state.counts[method] ?? 0
            let due = state.waiters.filter { $0.value.method == method && $0.value.count <= total }
            for id in due.keys { state.waiters[id] = nil }
            return Array(due.values)
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    func wait(for method: String, count: Int) async throws {
        let id = state.withLock { state in
            state.lastWaiterID += 1
            return state.lastWaiterID
        }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, CancellationError>? in
                    if (state.counts[method] ?? 0) >= count { return .success(()) }
                    // A cancellation that came before this registration found nothing to resume.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = Waiter(method: method, count: count, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome.mapError { $0 as any Error }) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    var summary: String {
        state.withLock { state in
            state.counts.isEmpty
                ? "nothing"
                : state.counts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        }
    }
}

extension TDSimulator {
    /// How many requests of `method` the simulator has received from all its clients.
    public func receivedCount(of method: String) -> Int { received.count(method) }

    /// Waits until the simulator has received `count` requests of `method` in all, from any client.
    ///
    /// When this returns, those requests have been handled (or held, see ``hold(_:)``): their answers
    /// are queued and any timers they started are scheduled on the ``clock``.
    /// - Throws: ``SimulatorWaitError`` after `timeout`, saying what was received instead;
    ///   `CancellationError` when the waiting task is cancelled.
    public func waitForRequests(_ method: String, count: Int = 1, timeout: Duration = .seconds(30)) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await self.received.wait(for: method, count: count)
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            let arrived = try await group.next() ?? false
            group.cancelAll()
            guard arrived else {
                throw SimulatorWaitError(
                    description:
                        "waited \(timeout) for \(count) \(method) request(s); the simulator received \(received.summary)"
                )
            }
        }
    }

    /// Keeps every later request of `method` unanswered until ``release(_:)``, as a slow server would.
    ///
    /// A client closed, logged out or revoked in the meantime gets TDLib's 500 "Request aborted"
    /// for each of its held requests.
    public func hold(_ method: String) {
        state.withLock { _ = $0.heldMethods.insert(method) }
    }

    /// Stops holding `method` and answers its held requests in the order they came.
    public func release(_ method: String) {
        state.withLock { state in
            state.heldMethods.remove(method)
            let released = state.held.filter { $0.method == method }
            state.held.removeAll { $0.method == method }
            for request in released {
                var outbox = Outbox(clientID: request.clientID)
                let parsed = Result { try Request(request.bytes) }
                handle(request.bytes, parsed: parsed, clientID: request.clientID, state: &state, outbox: &outbox)
                deliver(outbox, state: state)
            }
        }
    }

    /// How many requests wait in ``hold(_:)`` now.
    public var heldRequestCount: Int { state.withLock { $0.held.count } }
}

extension SimulatorState {
    /// Answers every held request of `clientID` with TDLib's error for requests of a closing client.
    mutating func abortHeldRequests(of clientID: Int32, outbox: inout Outbox) {
        outbox.abort(held.filter { $0.clientID == clientID }.map(\.bytes))
        held.removeAll { $0.clientID == clientID }
    }
}

extension ClientSession {
    /// Answers the pre-authentication requests that waited for `setTdlibParameters`: the client closes.
    mutating func abortRequestsWaitingForParameters(outbox: inout Outbox) {
        outbox.abort(waitingForParameters)
        waitingForParameters = []
    }
}

extension Outbox {
    /// Answers each of `requests` with TDLib's 500 "Request aborted", under its own `@extra`.
    mutating func abort(_ requests: [[UInt8]]) {
        let current = extra
        for bytes in requests {
            extra = (try? Request(bytes))?.extra ?? Request.extra(scannedFrom: bytes)
            error(500, "Request aborted")
        }
        extra = current
    }
}

extension TDSimulator {
    /// Runs, in order, the requests that waited for `setTdlibParameters` once the parameters are set.
    func runRequestsThatWaitedForParameters(clientID: Int32, state: inout SimulatorState, outbox: inout Outbox) {
        guard let session = state.sessions[clientID], session.auth != .waitTdlibParameters,
            !session.waitingForParameters.isEmpty
        else { return }
        state.sessions[clientID]?.waitingForParameters = []
        for bytes in session.waitingForParameters {
            handle(bytes, parsed: Result { try Request(bytes) }, clientID: clientID, state: &state, outbox: &outbox)
        }
    }
}
