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
        guard var session = state.sessions[clientID] else {
            outbox.extra = (try? parsed.get())?.extra ?? Request.extra(scannedFrom: bytes)
            outbox.error(400, "Invalid TDLib instance specified")
            return
        }
        if !session.started {
            session.started = true
            for update in startingUpdates(session) { outbox.update(update) }
        }
        defer { state.sessions[clientID] = session }

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

    /// The updates a new client starts with, which `getCurrentState` repeats before the parameters.
    func startingUpdates(_ session: ClientSession) -> [Update] {
        [
            .option(UpdateOption(name: "version", value: .string(OptionValueString(value: tdlibVersion)))),
            .option(UpdateOption(name: "commit_hash", value: .string(OptionValueString(value: tdlibCommit)))),
            .authorizationState(UpdateAuthorizationState(authorizationState: session.authorizationState)),
        ]
    }

    func optionValue(name: String, session: ClientSession?) -> OptionValue {
        if let value = session?.options[name] { return value }
        return switch name {
        case "version": .string(OptionValueString(value: tdlibVersion))
        case "commit_hash": .string(OptionValueString(value: tdlibCommit))
        case "my_id": session?.userID.map { .integer(OptionValueInteger(value: $0)) } ?? .empty(OptionValueEmpty())
        case "unix_time": .integer(OptionValueInteger(value: Int64(Date().timeIntervalSince1970)))
        default: .empty(OptionValueEmpty())
        }
    }

    private func test(_ request: Request, outbox: inout Outbox) throws {
        switch request.type {
        case "testCallEmpty", "testNetwork": outbox.answer(Ok())
        case "testProxy":
            guard request.has("proxy") else { throw SimulatedError(code: 400, message: "Proxy must be non-empty") }
            outbox.answer(Ok())
        case "testUseUpdate": throw SimulatedError(code: 404, message: "Not Found")
        case "testCallString": outbox.answer(TestString(value: try request.decode(TestCallString.self).x))
        case "testCallBytes": outbox.answer(TestBytes(value: try request.decode(TestCallBytes.self).x))
        case "testCallVectorInt": outbox.answer(TestVectorInt(value: try request.decode(TestCallVectorInt.self).x))
        case "testCallVectorIntObject":
            outbox.answer(TestVectorIntObject(value: try request.decode(TestCallVectorIntObject.self).x))
        case "testCallVectorString":
            outbox.answer(TestVectorString(value: try request.decode(TestCallVectorString.self).x))
        case "testCallVectorStringObject":
            outbox.answer(TestVectorStringObject(value: try request.decode(TestCallVectorStringObject.self).x))
        case "testSquareInt":
            let x = try request.decode(TestSquareInt.self).x
            outbox.answer(TestInt(value: x &* x))
        case "testReturnError":
            let error = try request.decode(TestReturnError.self).error
            outbox.error(Int(error.code), error.message)
        default:
            throw SimulatedError(code: 400, message: "The simulator does not support the method \(request.type)")
        }
    }

    // MARK: Parameters and sessions

    private func setTdlibParameters(
        _ request: Request, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        guard case .waitTdlibParameters = session.auth else {
            throw SimulatedError(code: 400, message: "Unexpected setTdlibParameters")
        }
        let parameters = try request.decode(SetTdlibParameters.self)
        let directory = parameters.databaseDirectory.isEmpty ? "tdlib" : parameters.databaseDirectory
        let keyDigest = SessionFile.digest(parameters.databaseEncryptionKey)
        var saved = SessionFile.read(in: directory)
        if let saved, saved.keyDigest != keyDigest {
            throw SimulatedError(code: 401, message: "Wrong database encryption key")
        }
        if saved == nil {
            saved = SessionFile(keyDigest: keyDigest)
            guard SessionFile.write(saved, in: directory) else {
                throw SimulatedError(
                    code: 400, message: "Can't init database in the directory \"\(directory)\": can't create it")
            }
        }
        session.databaseDirectory = directory
        state.world.files.directories[clientID] =
            parameters.filesDirectory.isEmpty ? directory : parameters.filesDirectory
        outbox.update(
            .option(
                UpdateOption(
                    name: "unix_time", value: .integer(OptionValueInteger(value: Int64(Date().timeIntervalSince1970)))))
        )
        if let userID = saved?.userID {
            session.userID = userID
            session.isBot = saved?.isBot ?? false
            if state.world.users[userID] == nil, let account = scenario.accounts.first(where: { $0.userID == userID }) {
                state.world.addAccountUser(account, firstName: account.firstName, lastName: account.lastName ?? "")
            }
            becomeReady(clientID: clientID, session: &session, state: &state, outbox: &outbox)
        } else if let (step, progress) = saved?.login?.restore(scenario) {
            session.login = progress
            outbox.setState(step, session: &session)
        } else {
            outbox.setState(.waitPhoneNumber, session: &session)
        }
        outbox.answer(Ok())
        outbox.update(.connectionState(UpdateConnectionState(state: .connecting(.init()))))
        outbox.update(.connectionState(UpdateConnectionState(state: .ready(.init()))))
    }

    private func becomeReady(
        clientID: Int32, session: inout ClientSession, state: inout SimulatorState, outbox: inout Outbox
    ) {
        guard let userID = session.userID else { return }
        if let directory = session.databaseDirectory, var saved = SessionFile.read(in: directory) {
            saved.userID = userID
            saved.isBot = session.isBot
            saved.login = nil
            _ = SessionFile.write(saved, in: directory)
        }
        outbox.update(.option(UpdateOption(name: "my_id", value: .integer(OptionValueInteger(value: userID)))))
        if let record = state.world.users[userID], let user = try? SimulatorObjects.user(record) {
            outbox.update(.user(UpdateUser(user: user)))
        }
        outbox.setState(.ready, session: &session)
        scheduleEvents(clientID: clientID, session: session)
    }

    // MARK: Authorization

    private func authenticate(
        _ request: Request, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        defer { saveLogin(session) }
        // TDLib checks the code's presence before the state (td/telegram/AuthManager.cpp).
        if request.type == "checkAuthenticationEmailCode", !request.has("code") {
            throw SimulatedError(code: 400, message: "Code must be non-empty")
        }
        switch (request.type, session.auth) {
        case ("setAuthenticationPhoneNumber", .waitPhoneNumber), ("setAuthenticationPhoneNumber", .waitCode):
            let phone = try request.decode(SetAuthenticationPhoneNumber.self).phoneNumber
            let digits = SimulatorWorld.digits(phone)
            guard (5...15).contains(digits.count),
                phone.allSatisfy({ $0.isNumber || " +-()".contains($0) })
            else { throw SimulatedError(code: 400, message: "PHONE_NUMBER_INVALID") }
            let account =
                scenario.accounts.first { SimulatorWorld.digits($0.phone) == digits }
                ?? SimulatorScenario.Account(
                    phone: phone, code: scenario.newUserCode ?? "12345", userID: state.newUserID(), firstName: "",
                    registered: false)
            session.login = LoginProgress(account: account)
            outbox.setState(.waitCode, session: &session)
            outbox.answer(Ok())
        case ("resendAuthenticationCode", .waitCode):
            session.login?.resent = true
            outbox.setState(.waitCode, session: &session)
            outbox.answer(Ok())
        case ("checkAuthenticationCode", .waitCode):
            guard var login = session.login else { throw SimulatedError.unexpected(request.type) }
            let code = try request.decode(CheckAuthenticationCode.self).code
            if login.failedCodeAttempts >= (scenario.maxCodeAttempts ?? 5) {
                throw SimulatedError(
                    code: 429, message: "Too Many Requests: retry after \(scenario.floodWaitSeconds ?? 30)")
            }
            if code == (scenario.expiredCode ?? "00000") {
                throw SimulatedError(code: 400, message: "PHONE_CODE_EXPIRED")
            }
            guard code == login.account.code else {
                login.failedCodeAttempts += 1
                session.login = login
                throw SimulatedError(code: 400, message: "PHONE_CODE_INVALID")
            }
            login.codeChecked = true
            session.login = login
            advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("setAuthenticationEmailAddress", .waitEmailAddress):
            let address = try request.decode(SetAuthenticationEmailAddress.self).emailAddress
            let parts = address.split(separator: "@")
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") else {
                throw SimulatedError(code: 400, message: "EMAIL_INVALID")
            }
            session.login?.emailPattern = "\(parts[0].prefix(1))***@\(parts[1])"
            outbox.setState(.waitEmailCode, session: &session)
            outbox.answer(Ok())
        case ("checkAuthenticationEmailCode", .waitEmailCode):
            let check = try request.decode(CheckAuthenticationEmailCode.self)
            guard case .code(let entered) = check.code, entered.code == session.login?.account.email?.code else {
                throw SimulatedError(code: 400, message: "EMAIL_CODE_INVALID")
            }
            session.login?.emailChecked = true
            advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("checkAuthenticationPassword", .waitPassword):
            let password = try request.decode(CheckAuthenticationPassword.self).password
            guard password == session.login?.account.password else {
                throw SimulatedError(code: 400, message: "PASSWORD_HASH_INVALID")
            }
            session.login?.passwordChecked = true
            advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("registerUser", .waitRegistration):
            let register = try request.decode(RegisterUser.self)
            let firstName = register.firstName.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !firstName.isEmpty, firstName.count <= 64 else {
                throw SimulatedError(code: 400, message: "FIRSTNAME_INVALID")
            }
            guard let account = session.login?.account else { throw SimulatedError.unexpected(request.type) }
            state.world.addAccountUser(
                account, firstName: firstName,
                lastName: register.lastName.trimmingCharacters(in: .whitespacesAndNewlines))
            session.login?.registered = true
            advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("checkAuthenticationBotToken", .waitPhoneNumber):
            let token = try request.decode(CheckAuthenticationBotToken.self).token
            guard let bot = scenario.bots?.first(where: { $0.token == token }) else {
                throw SimulatedError(code: 401, message: "ACCESS_TOKEN_INVALID")
            }
            session.userID = bot.userID
            session.isBot = true
            becomeReady(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("requestQrCodeAuthentication", .waitPhoneNumber),
            ("requestQrCodeAuthentication", .waitOtherDeviceConfirmation):
            state.lastQRToken += 1
            let token = Data("simulated-qr-\(clientID)-\(state.lastQRToken)".utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            session.qrLink = "tg://login?token=\(token)"
            outbox.setState(.waitOtherDeviceConfirmation, session: &session)
            outbox.answer(Ok())
            scheduleQRConfirmation(clientID: clientID, session: session)
        default:
            throw SimulatedError.unexpected(request.type)
        }
    }

    /// Keeps where a phone login stands in the database directory, as TDLib does, for a restarted client.
    private func saveLogin(_ session: ClientSession) {
        guard session.userID == nil, let directory = session.databaseDirectory,
            var saved = SessionFile.read(in: directory)
        else { return }
        saved.login = SessionFile.SavedLogin(session)
        _ = SessionFile.write(saved, in: directory)
    }

    /// Moves a phone login to its next step: email, password, registration, then ready.
    private func advanceLogin(
        clientID: Int32, session: inout ClientSession, state: inout SimulatorState, outbox: inout Outbox
    ) {
        guard let login = session.login else { return }
        if login.account.email != nil, !login.emailChecked {
            outbox.setState(login.emailPattern == nil ? .waitEmailAddress : .waitEmailCode, session: &session)
        } else if login.account.password != nil, !login.passwordChecked {
            outbox.setState(.waitPassword, session: &session)
        } else if login.account.registered == false, !login.registered {
            outbox.setState(.waitRegistration, session: &session)
        } else {
            session.userID = login.account.userID
            session.isBot = false
            if state.world.users[login.account.userID] == nil {
                state.world.addAccountUser(
                    login.account, firstName: login.account.firstName, lastName: login.account.lastName ?? "")
            }
            becomeReady(clientID: clientID, session: &session, state: &state, outbox: &outbox)
        }
    }

    private func scheduleQRConfirmation(clientID: Int32, session: ClientSession) {
        guard let event = scenario.events?.first(where: { $0.type == "qrConfirm" }) else { return }
        schedule(after: event.after ?? 1, clientID: clientID, generation: session.generation) {
            simulator, state, outbox in
            guard var session = state.sessions[clientID], case .waitOtherDeviceConfirmation = session.auth else {
                return
            }
            let phone = simulator.scenario.qrAccountPhone
            guard
                let account = simulator.scenario.accounts.first(where: {
                    phone == nil
                        ? $0.registered != false : SimulatorWorld.digits($0.phone) == SimulatorWorld.digits(phone ?? "")
                })
            else { return }
            var login = LoginProgress(account: account)
            login.codeChecked = true
            login.emailChecked = true
            session.login = login
            simulator.advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            state.sessions[clientID] = session
        }
    }

    // MARK: Scripted events

    private func scheduleEvents(clientID: Int32, session: ClientSession) {
        for event in scenario.events ?? [] {
            switch event.type {
            case "incomingMessage":
                guard let chatID = event.chatID, let text = event.text else { continue }
                schedule(after: event.after ?? 0, clientID: clientID, generation: session.generation) {
                    simulator, state, outbox in
                    simulator.deliverIncoming(
                        chatID: chatID, senderID: event.senderID, text: text, clientID: clientID, state: &state,
                        outbox: &outbox)
                }
            case "connectionState":
                let connection: ConnectionState =
                    switch event.state {
                    case "connecting": .connecting(.init())
                    case "waitingForNetwork": .waitingForNetwork(.init())
                    case "updating": .updating(.init())
                    case "connectingToProxy": .connectingToProxy(.init())
                    default: .ready(.init())
                    }
                schedule(after: event.after ?? 0, clientID: clientID, generation: session.generation) { _, _, outbox in
                    outbox.update(.connectionState(UpdateConnectionState(state: connection)))
                }
            case "revokeSession":
                schedule(after: event.after ?? 0, clientID: clientID, generation: session.generation) {
                    _, state, outbox in
                    guard var session = state.sessions[clientID] else { return }
                    if let directory = session.databaseDirectory { SessionFile.remove(in: directory) }
                    outbox.setState(.loggingOut, session: &session)
                    state.abortHeldRequests(of: clientID, outbox: &outbox)
                    outbox.setState(.closed, session: &session)
                    session.generation += 1
                    state.sessions[clientID] = session
                }
            default:
                continue
            }
        }
        if let rate = scenario.faults?.updatesPerSecond, rate > 0 {
            scheduleFlood(clientID: clientID, generation: session.generation, perTick: max(1, rate / 100))
        }
    }

    private func scheduleFlood(clientID: Int32, generation: Int, perTick: Int) {
        schedule(after: 0.01, clientID: clientID, generation: generation) { simulator, _, outbox in
            for _ in 0..<perTick {
                outbox.update(
                    .option(
                        UpdateOption(
                            name: "unix_time",
                            value: .integer(OptionValueInteger(value: Int64(Date().timeIntervalSince1970))))))
            }
            simulator.scheduleFlood(clientID: clientID, generation: generation, perTick: perTick)
        }
    }

    /// A message from another user arrives in a chat.
    private func deliverIncoming(
        chatID: Int64, senderID: Int64?, text: String, clientID: Int32, state: inout SimulatorState,
        outbox: inout Outbox
    ) {
        guard let me = state.sessions[clientID]?.userID, let chat = state.world.chats[chatID] else { return }
        let sender = senderID ?? chat.memberIDs.first { $0 != me } ?? chat.id
        let record = state.world.appendMessage(
            chatID: chatID, senderID: sender, text: text, date: Int32(Date().timeIntervalSince1970))
        guard var session = state.sessions[clientID] else { return }
        announceChat(chatID, session: &session, state: state, outbox: &outbox)
        state.sessions[clientID] = session
        guard let message = try? messageObject(record, me: me, state: state, clientID: clientID) else { return }
        outbox.update(.newMessage(UpdateNewMessage(message: message)))
        if let updated = state.world.chats[chatID] {
            outbox.update(
                .chatLastMessage(
                    UpdateChatLastMessage(chatId: chatID, lastMessage: message, positions: [position(updated)])))
        }
    }

    // MARK: The world

    private func world(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        switch request.type {
        case "getMe":
            outbox.answer(try SimulatorObjects.user(try state.user(me)))
        case "getUser":
            outbox.answer(try SimulatorObjects.user(try state.user(try request.decode(GetUser.self).userId)))
        case "getUserFullInfo":
            outbox.answer(
                try SimulatorObjects.userFullInfo(try state.user(try request.decode(GetUserFullInfo.self).userId)))
        case "getChats":
            let limit = Int(try request.decode(GetChats.self).limit)
            guard limit > 0 else { throw SimulatedError(code: 400, message: "Parameter limit must be positive") }
            let chats = state.world.orderedChats.prefix(limit)
            for chat in chats { announceChat(chat.id, session: &session, state: state, outbox: &outbox) }
            outbox.answer(Chats(totalCount: Int32(state.world.chats.count), chatIds: chats.map(\.id)))
        case "loadChats":
            let limit = Int(try request.decode(LoadChats.self).limit)
            guard limit > 0 else { throw SimulatedError(code: 400, message: "Parameter limit must be positive") }
            let unknown = state.world.orderedChats.filter { !session.knownChats.contains($0.id) }.prefix(limit)
            guard !unknown.isEmpty else { throw SimulatedError(code: 404, message: "Not Found") }
            for chat in unknown { announceChat(chat.id, session: &session, state: state, outbox: &outbox) }
            outbox.answer(Ok())
        case "getChat":
            let chatID = try request.decode(GetChat.self).chatId
            let chat = try state.chat(chatID)
            announceChat(chatID, session: &session, state: state, outbox: &outbox)
            outbox.answer(try chatObject(chat, me: me, state: state))
        case "getChatHistory":
            let history = try request.decode(GetChatHistory.self)
            // TDLib's checks, in its order (MessagesManager::get_dialog_history); a limit over 100 is cut to 100.
            let limit = min(history.limit, 100)
            guard limit > 0 else { throw SimulatedError(code: 400, message: "Parameter limit must be positive") }
            guard history.offset <= 0 else {
                throw SimulatedError(code: 400, message: "Parameter offset must be non-positive")
            }
            guard history.offset > -100 else {
                throw SimulatedError(code: 400, message: "Parameter offset must be greater than -100")
            }
            guard history.offset >= -limit else {
                throw SimulatedError(code: 400, message: "Parameter offset must be greater than or equal to -limit")
            }
            let chat = try state.chat(history.chatId)
            let newestFirst = chat.messages.reversed()
            var start = newestFirst.startIndex
            if history.fromMessageId != 0 {
                start = newestFirst.firstIndex { $0.id <= history.fromMessageId } ?? newestFirst.endIndex
            }
            var startOffset = newestFirst.distance(from: newestFirst.startIndex, to: start) + Int(history.offset)
            startOffset = max(0, min(startOffset, newestFirst.count))
            let page = newestFirst.dropFirst(startOffset).prefix(Int(limit))
            let messages = try page.map { try messageObject($0, me: me, state: state, clientID: clientID) }
            outbox.answer(Messages(totalCount: Int32(messages.count), messages: messages))
        case "getMessage":
            let get = try request.decode(GetMessage.self)
            let chat = try state.chat(get.chatId)
            guard let record = chat.messages.first(where: { $0.id == get.messageId }) else {
                throw SimulatedError(code: 404, message: "Not Found")
            }
            outbox.answer(try messageObject(record, me: me, state: state, clientID: clientID))
        case "sendMessage":
            try sendMessage(request, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        case "deleteMessages":
            let delete = try request.decode(DeleteMessages.self)
            _ = try state.chat(delete.chatId)
            let ids = Set(delete.messageIds)
            cancelUploads(of: ids, clientID: clientID, state: &state, outbox: &outbox)
            state.world.chats[delete.chatId]?.messages.removeAll { ids.contains($0.id) }
            outbox.update(
                .deleteMessages(
                    UpdateDeleteMessages(
                        chatId: delete.chatId, messageIds: delete.messageIds, isPermanent: true, fromCache: false)))
            outbox.answer(Ok())
        case "importContacts":
            let contacts = try request.decode(ImportContacts.self).contacts
            var userIDs: [Int64] = []
            for contact in contacts {
                let digits = SimulatorWorld.digits(contact.phoneNumber)
                if let user = state.world.users.values.first(where: { !digits.isEmpty && $0.phone == digits }) {
                    state.world.users[user.id]?.isContact = true
                    userIDs.append(user.id)
                } else {
                    userIDs.append(0)
                }
            }
            outbox.answer(ImportedContacts(userIds: userIDs, importerCount: userIDs.map { _ in 0 }))
        case "getSupergroupFullInfo":
            let id = try request.decode(GetSupergroupFullInfo.self).supergroupId
            guard let chat = state.world.chats.values.first(where: { $0.kind.supergroupID == id }) else {
                throw SimulatedError(code: 400, message: "Supergroup not found")
            }
            outbox.answer(try SimulatorObjects.supergroupFullInfo(memberCount: chat.memberIDs.count + 1))
        case "createBasicGroupChat":
            let id = try request.decode(CreateBasicGroupChat.self).basicGroupId
            guard let chat = state.world.chats.values.first(where: { $0.kind == .basicGroup(id: id) }) else {
                throw SimulatedError(code: 400, message: "Basic group not found")
            }
            announceChat(chat.id, session: &session, state: state, outbox: &outbox)
            outbox.answer(try chatObject(chat, me: me, state: state))
        case "getWebPageInstantView":
            _ = try request.decode(GetWebPageInstantView.self)
            throw SimulatedError(code: 404, message: "Not Found")
        case "downloadFile", "cancelDownloadFile", "getFile":
            try fileRequest(request, clientID: clientID, session: session, state: &state, outbox: &outbox)
        default:
            throw SimulatedError(code: 400, message: "The simulator does not support the method \(request.type)")
        }
    }

    private func sendMessage(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        let send = try request.decode(SendMessage.self)
        _ = try state.chat(send.chatId)
        guard case .text(let input) = send.inputMessageContent else {
            return try sendFileMessage(
                send, me: me, clientID: clientID, session: &session, state: &state, outbox: &outbox)
        }
        let text = input.text.text
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw SimulatedError(code: 400, message: "Message must be non-empty")
        }
        guard text.utf16.count <= 4096 else { throw SimulatedError(code: 400, message: "MESSAGE_TOO_LONG") }
        announceChat(send.chatId, session: &session, state: state, outbox: &outbox)
        let record = state.world.appendMessage(
            chatID: send.chatId, senderID: me, text: text, date: Int32(Date().timeIntervalSince1970))
        let chat = try state.chat(send.chatId)
        let isChannel = chat.kind.isChannel
        var pendingRecord = record
        pendingRecord.id = record.id + 1
        state.lastSendingID += 1
        var pending = try SimulatorObjects.message(
            pendingRecord, myID: me, isChannel: isChannel, pendingSendingID: state.lastSendingID)
        pending.content = .text(MessageText(text: input.text))
        outbox.answer(pending)
        outbox.update(.newMessage(UpdateNewMessage(message: pending)))
        var sent = try messageObject(record, me: me, state: state)
        sent.content = .text(MessageText(text: input.text))
        outbox.update(.messageSendSucceeded(UpdateMessageSendSucceeded(message: sent, oldMessageId: pendingRecord.id)))
        outbox.update(
            .chatLastMessage(UpdateChatLastMessage(chatId: send.chatId, lastMessage: sent, positions: [position(chat)]))
        )

        for event in scenario.events ?? [] where event.type == "reply" {
            guard let when = event.whenText, let reply = event.text,
                when.caseInsensitiveCompare(text.trimmingCharacters(in: .whitespacesAndNewlines)) == .orderedSame
            else { continue }
            let chatID = send.chatId
            schedule(after: event.after ?? 0.05, clientID: clientID, generation: session.generation) {
                simulator, state, outbox in
                simulator.deliverIncoming(
                    chatID: chatID, senderID: event.senderID, text: reply, clientID: clientID, state: &state,
                    outbox: &outbox)
            }
        }
    }

    /// Sends `updateNewChat` (and the chat's users and groups) the first time a client sees a chat.
    func announceChat(
        _ chatID: Int64, session: inout ClientSession, state: SimulatorState, outbox: inout Outbox
    ) {
        guard !session.knownChats.contains(chatID), let chat = state.world.chats[chatID], let me = session.userID else {
            return
        }
        session.knownChats.insert(chatID)
        for userID in [me] + chat.memberIDs + (chat.kind.privateUserID.map { [$0] } ?? [])
        where session.knownUsers.insert(userID).inserted {
            if let record = state.world.users[userID], let user = try? SimulatorObjects.user(record) {
                outbox.update(.user(UpdateUser(user: user)))
            }
        }
        switch chat.kind {
        case .basicGroup(let id):
            if let group = try? SimulatorObjects.basicGroup(id: id, memberCount: chat.memberIDs.count + 1) {
                outbox.update(.basicGroup(UpdateBasicGroup(basicGroup: group)))
            }
        case .supergroup(let id, let isChannel):
            if let group = try? SimulatorObjects.supergroup(
                id: id, isChannel: isChannel, memberCount: chat.memberIDs.count + 1)
            {
                outbox.update(.supergroup(UpdateSupergroup(supergroup: group)))
            }
        case .privateChat:
            break
        }
        if let object = try? chatObject(chat, me: me, state: state) {
            outbox.update(.newChat(UpdateNewChat(chat: object)))
        }
    }

    private func chatObject(_ chat: SimulatorWorld.ChatRecord, me: Int64, state: SimulatorState) throws -> Chat {
        let last = try chat.messages.last.map { try messageObject($0, me: me, state: state) }
        return try SimulatorObjects.chat(chat, lastMessage: last)
    }

    /// A message as `clientID` sees it (its files with that client's local copies).
    func messageObject(
        _ record: SimulatorWorld.MessageRecord, me: Int64, state: SimulatorState, clientID: Int32? = nil,
        pendingSendingID: Int32? = nil
    ) throws -> Message {
        let isChannel = state.world.chats[record.chatID]?.kind.isChannel ?? false
        var message = try SimulatorObjects.message(
            record, myID: me, isChannel: isChannel, pendingSendingID: pendingSendingID)
        if let attachment = record.attachment {
            message.content = try state.world.files.content(attachment, clientID: clientID)
        }
        return message
    }

    func position(_ chat: SimulatorWorld.ChatRecord) -> ChatPosition {
        ChatPosition(list: .main(ChatListMain()), order: chat.order, isPinned: false, source: nil)
    }
}

let tdlibVersion = "1.8.66"
let tdlibCommit = "022d60202e446ad1287b9fb68e687c8a0760788b"
