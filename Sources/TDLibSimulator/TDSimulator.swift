import Foundation
import Logging
import Synchronization
import TDLib
import TDLibAPI

/// An offline Telegram that answers like TDLib through the same JSON interface.
///
/// Use it in process as the library of a `TDClientManager`, or load the `tdjson-simulator` dynamic
/// library in place of `libtdjson` from any TDLib client. It follows TDLib's authorization state
/// machine, keeps sessions in the database directory, and serves a small world from a
/// ``SimulatorScenario``. Every object it emits is built through the generated TDLib types.
public final class TDSimulator: TDJSONInterface {
    public let name: String
    /// The scenario this simulator serves.
    public let scenario: SimulatorScenario
    /// The time of every delay, scripted event and transfer; see ``SimulatorClock/manual()``.
    public let clock: SimulatorClock
    let state: Locked<SimulatorState>
    private let output = OutputQueue()
    let received = ReceivedRequests()
    private let executeResults = ExecuteResults()
    private let emittedCount = Atomic<Int>(0)

    /// Creates a simulator serving `scenario`, its time kept by `clock`.
    public init(scenario: SimulatorScenario = .default, clock: SimulatorClock = .realTime()) {
        self.name = "simulator-\(UUID().uuidString)"
        self.scenario = scenario
        self.clock = clock
        self.state = Locked(SimulatorState(scenario: scenario))
        output.whenClientReleased { [weak self] clientID in self?.releaseClosedClient(clientID) }
    }

    /// How many objects the simulator has emitted (answers and updates) since it started.
    public var emittedObjectCount: Int { emittedCount.load(ordering: .relaxed) }

    // MARK: The C interface

    public func createClientID() -> Int32 {
        state.withLock { state in
            state.lastClientID += 1
            state.sessions[state.lastClientID] = ClientSession()
            return state.lastClientID
        }
    }

    /// Creates a client for the older `td_json_client_*` interface, with an output queue of its own.
    public func createLegacyClient() -> Int32 {
        state.withLock { state in
            state.lastClientID += 1
            var session = ClientSession()
            session.legacyOutput = OutputQueue()
            session.legacyOutput?.whenClientReleased { [weak self] clientID in self?.releaseClosedClient(clientID) }
            state.sessions[state.lastClientID] = session
            return state.lastClientID
        }
    }

    public func send(clientID: Int32, request: UnsafePointer<CChar>) {
        let bytes = Array(UnsafeBufferPointer(start: request, count: strlen(request))).map { UInt8(bitPattern: $0) }
        let method: String? = state.withLock { state in
            let parsed = Result { try Request(bytes) }
            let method = (try? parsed.get())?.type
            if let method, state.heldMethods.contains(method), state.sessions[clientID]?.isOpen == true {
                state.held.append(HeldRequest(clientID: clientID, method: method, bytes: bytes))
                return method
            }
            var outbox = Outbox(clientID: clientID)
            handle(bytes, parsed: parsed, clientID: clientID, state: &state, outbox: &outbox)
            runRequestsThatWaitedForParameters(clientID: clientID, state: &state, outbox: &outbox)
            deliver(outbox, state: state)
            return method
        }
        if let method { received.record(method) }
    }

    public func receive(timeout: Double) -> UnsafePointer<CChar>? {
        output.receive(timeout: timeout)
    }

    /// td_receive has returned the client's closed state: from now on every request of it is aborted.
    /// A `td_json_client_*` client has no client manager: its closed TDLib still answers
    /// `getAuthorizationState` (with authorizationStateClosed) until it is destroyed.
    private func releaseClosedClient(_ clientID: Int32) {
        state.withLock { state in
            guard state.sessions[clientID]?.legacyOutput == nil else { return }
            state.sessions[clientID]?.isReleased = true
        }
    }

    /// Makes the `receive(timeout:)` that waits now, or the next one, return `nil` at once, so that a
    /// receive loop that is stopping need not wait for its timeout.
    public func interruptReceive() {
        output.interrupt()
    }

    /// `td_json_client_receive`: the next object of one legacy client.
    public func receiveLegacy(clientID: Int32, timeout: Double) -> UnsafePointer<CChar>? {
        let queue = state.withLock { $0.sessions[clientID]?.legacyOutput }
        return queue?.receive(timeout: timeout)
    }

    /// `td_json_client_destroy`: closes a legacy client at once.
    public func destroyLegacy(clientID: Int32) {
        state.withLock { state in
            state.sessions[clientID]?.auth = .closed
            state.sessions[clientID]?.generation += 1
        }
    }

    public func execute(request: UnsafePointer<CChar>) -> UnsafePointer<CChar>? {
        let bytes = Array(UnsafeBufferPointer(start: request, count: strlen(request))).map { UInt8(bitPattern: $0) }
        return executeResults.store(executeSynchronously(bytes))
    }

    public func setLogMessageCallback(maxVerbosity: Int32, callback: TDLogMessageCallback?) {}

    /// `td_execute`: only synchronous methods run; the others get TDLib's refusal.
    private func executeSynchronously(_ bytes: [UInt8]) -> [UInt8] {
        var outbox = Outbox(clientID: 0)
        outbox.addsClientID = false
        do {
            let request = try Request(bytes)
            outbox.extra = request.extra
            if !Self.isTDLibFunction(request.type) {
                outbox.error(400, "Failed to parse JSON object as TDLib request: Unknown class \"\(request.type)\"")
            } else if TDLibMethodClass.isSynchronous(request.type, optionName: { request.string("name") }) {
                answerSynchronously(request, session: nil, outbox: &outbox)
            } else if request.type == "getOption" {
                outbox.error(400, "The option can't be get synchronously")
            } else {
                outbox.error(400, "The method can't be executed synchronously")
            }
        } catch {
            outbox.extra = Request.extra(scannedFrom: bytes)
            outbox.parseError(error)
        }
        return outbox.items.first ?? []
    }

    // MARK: Delivery

    /// Queues the outbox's objects in order, after the scenario's latency.
    func deliver(_ outbox: Outbox, state: SimulatorState) {
        guard !outbox.items.isEmpty else { return }
        emittedCount.add(outbox.items.count, ordering: .relaxed)
        let queue = state.sessions[outbox.clientID]?.legacyOutput ?? output
        let latency = scenario.faults?.latencyMilliseconds ?? 0
        let releasing = outbox.closesClient ? outbox.clientID : nil
        if latency > 0 {
            let items = outbox.items
            clock.schedule(after: Double(latency) / 1000) { queue.push(items, releasing: releasing) }
        } else {
            queue.push(outbox.items, releasing: releasing)
        }
    }

    /// Runs `body` later on the state, for scripted events of the client's current session only.
    func schedule(
        after seconds: Double, clientID: Int32, generation: Int,
        _ body: @escaping @Sendable (TDSimulator, inout SimulatorState, inout Outbox) -> Void
    ) {
        clock.schedule(after: seconds) { [weak self] in
            guard let self else { return }
            self.state.withLock { state in
                guard state.sessions[clientID]?.generation == generation else { return }
                var outbox = Outbox(clientID: clientID)
                body(self, &state, &outbox)
                self.deliver(outbox, state: state)
            }
        }
    }

    // MARK: Requests

    func handle(
        _ bytes: [UInt8], parsed: Result<Request, any Error>, clientID: Int32, state: inout SimulatorState,
        outbox: inout Outbox
    ) {
        // The session leaves the dictionary while the request runs, so that changing its sets and maps
        // does not copy them (with 1,000 chats a copy per request made paging quadratic). Nothing that
        // runs within a request reads the client's entry; scheduled work runs later, after it is back.
        guard var session = state.sessions.removeValue(forKey: clientID) else {
            outbox.extra = (try? parsed.get())?.extra ?? Request.extra(scannedFrom: bytes)
            outbox.error(400, "Invalid TDLib instance specified")
            return
        }
        defer { state.sessions[clientID] = session }
        if !session.started {
            session.started = true
            for update in startingUpdates(session) { outbox.update(update) }
        }

        let request: Request
        do {
            request = try parsed.get()
        } catch {
            // TDLib answers a request whose values it cannot read (1e400, say) with its @extra all the same.
            outbox.extra = Request.extra(scannedFrom: bytes)
            outbox.parseError(error)
            return
        }
        outbox.extra = request.extra
        guard Self.isTDLibFunction(request.type) else {
            outbox.error(400, "Failed to parse JSON object as TDLib request: Unknown class \"\(request.type)\"")
            return
        }
        // TDLib's client manager refuses everything once td_receive has returned authorizationStateClosed.
        if session.isReleased {
            outbox.error(500, "Request aborted")
            return
        }
        guard case .run = gate(request, session: &session, outbox: &outbox) else { return }
        state.callCounts[request.type, default: 0] += 1
        if let fault = scheduledError(for: request.type, call: state.callCounts[request.type] ?? 0) {
            outbox.error(fault.code, fault.message)
            return
        }
        do {
            try dispatch(request, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        } catch let error as SimulatedError {
            outbox.error(error.code, error.message)
        } catch {
            outbox.error(400, "Failed to parse JSON object as TDLib request: \(error)")
        }
    }

    private func scheduledError(for method: String, call: Int) -> SimulatorScenario.ScheduledError? {
        scenario.faults?.errors?.first { $0.method == method && ($0.call == nil || $0.call == call) }
    }

    private func dispatch(
        _ request: Request, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        switch request.type {
        case "getOption":
            let name = try request.decode(GetOption.self).name
            outbox.answer(optionValue(name: name, session: session))
        case "getAuthorizationState":
            outbox.answer(session.auth.object)
        case "getCurrentState":
            outbox.answer(Updates(updates: startingUpdates(session)))
        case "setAlarm":
            let seconds = try request.decode(SetAlarm.self).seconds
            guard seconds >= 0, seconds <= 3e9 else {
                throw SimulatedError(code: 400, message: "Wrong parameter seconds specified")
            }
            let extra = outbox.extra
            schedule(after: seconds, clientID: clientID, generation: session.generation) { _, _, outbox in
                outbox.extra = extra
                outbox.answer(Ok())
            }
        case "close":
            outbox.answer(Ok())
            state.abortHeldRequests(of: clientID, outbox: &outbox)
            session.abortRequestsWaitingForParameters(outbox: &outbox)
            outbox.setState(.closing, session: &session)
            session.generation += 1
            // TDLib takes a moment to close its databases: a request sent right after `close` still sees
            // authorizationStateClosing (python-telegram's stop relies on it).
            let closing = scenario.closingMilliseconds ?? (clock.isManual ? 0 : 20)
            guard closing > 0 else {
                outbox.setState(.closed, session: &session)
                break
            }
            schedule(after: Double(closing) / 1000, clientID: clientID, generation: session.generation) {
                _, state, outbox in
                guard var closed = state.sessions[clientID] else { return }
                outbox.setState(.closed, session: &closed)
                state.sessions[clientID] = closed
            }
        case "logOut":
            guard session.auth != .waitTdlibParameters else { throw SimulatedError.unexpected(request.type) }
            outbox.setState(.loggingOut, session: &session)
            outbox.answer(Ok())
            state.abortHeldRequests(of: clientID, outbox: &outbox)
            if let directory = session.databaseDirectory { SessionFile.remove(in: directory) }
            outbox.setState(.closed, session: &session)
            session.generation += 1
        case "setTdlibParameters":
            try setTdlibParameters(request, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        case "setAuthenticationPhoneNumber", "checkAuthenticationCode", "resendAuthenticationCode",
            "setAuthenticationEmailAddress", "checkAuthenticationEmailCode", "checkAuthenticationPassword",
            "registerUser", "checkAuthenticationBotToken", "requestQrCodeAuthentication":
            try authenticate(request, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        case "requestAuthenticationPasswordRecovery", "checkAuthenticationPasswordRecoveryCode",
            "recoverAuthenticationPassword", "resetAuthenticationEmailAddress", "sendAuthenticationFirebaseSms",
            "reportAuthenticationCodeMissing", "checkAuthenticationPremiumPurchase",
            "setAuthenticationPremiumPurchaseTransaction":
            try unsupportedLoginStep(request.type, session: session)
        case _ where request.type.hasPrefix("test"):
            try test(request, outbox: &outbox)
        case "setOption":
            try setOption(request, session: &session, outbox: &outbox)
        case "disableProxy":
            outbox.answer(Ok())
        case "addProxy":
            guard request.has("proxy") else { throw SimulatedError(code: 400, message: "Proxy must be non-empty") }
            let add = try request.decode(AddProxy.self)
            state.lastProxyID += 1
            outbox.answer(
                AddedProxy(
                    id: state.lastProxyID, lastUsedDate: 0, isEnabled: add.enable, comment: add.comment,
                    proxy: add.proxy))
        default:
            guard SimulatorState.worldMethods.contains(request.type) else {
                throw SimulatedError(code: 400, message: "The simulator does not support the method \(request.type)")
            }
            guard case .ready = session.auth, let me = session.userID else {
                throw SimulatedError(code: 401, message: "Unauthorized")
            }
            try world(request, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        }
    }
}

let tdlibVersion = "1.8.66"
let tdlibCommit = "022d60202e446ad1287b9fb68e687c8a0760788b"
