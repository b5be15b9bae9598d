import Foundation
import Logging
import TDLib
import TDLibAPI
import TDLibSimulator
import Telegram

/// An offline Telegram for one test: its users, bots and chats, the app under test logged in to it, and
/// a clock that only the test moves.
///
/// Create one per test with ``withTestWorld(timeout:faults:network:_:)``, which always closes it: every client stops and
/// the world's temporary folder is removed, also when the test throws. Worlds are independent of each
/// other, so tests run in parallel.
///
/// ```swift
/// try await withTestWorld { world in
///     let echo = world.bot("Echo")
///     EchoBot.register(on: try await world.app(echo))
///     let ada = try await world.user("Ada")
///     try await ada.send("hello", to: echo)
///     #expect(try await ada.nextMessage(in: echo).textOrCaption == "hello")
/// }
/// ```
public final class TestWorld: Sendable {
    /// The simulated Telegram behind the world, for what this type does not cover.
    public let simulator: TDSimulator
    /// How long each wait of the world and its users lasts (on the wall clock) before it fails.
    public let timeout: Duration
    let library: RecordingLibrary
    /// The world's temporary folder: every client's database and files.
    public let folder: URL

    private struct State {
        var lastNumber: Int64 = 0
        var usernames: Set<String> = []
        var clients: [Telegram] = []
        var isClosed = false
    }

    private let state = Locked(State())

    /// Creates an empty world on a manual clock; prefer ``withTestWorld(timeout:faults:network:_:)``, which
    /// closes it.
    /// - Parameters:
    ///   - timeout: how long each wait lasts before it fails; generous, for busy machines.
    ///   - faults: errors that calls get (a flood wait on the 2nd `sendMessage`...) and latency.
    ///   - network: how long Telegram takes to deliver messages and codes, on the world's clock; at once
    ///     when absent.
    public init(
        timeout: Duration = .seconds(10), faults: SimulatorScenario.Faults? = nil,
        network: SimulatorScenario.Network? = nil
    ) throws {
        var scenario = SimulatorScenario(accounts: [])
        scenario.faults = faults
        scenario.network = network
        simulator = TDSimulator(scenario: scenario, clock: .manual())
        library = RecordingLibrary(simulator: simulator)
        self.timeout = timeout
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("telegram-testing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// The world's time: nothing that takes time on Telegram (a flood wait, a code's expiry, a scheduled
    /// event) happens until the test calls `clock.advance(by:)`. The app's flood waits use it too.
    public var clock: SimulatorClock { simulator.clock }

    /// What everyone did so far, in order.
    public var transcript: Transcript { library.transcript }

    // MARK: People and chats

    /// Adds a user account that an app can log in to with ``app(_:byQRCode:configure:)`` (by phone and code, then
    /// `password` when given: the login's two-step verification).
    public func account(_ name: String, username: String? = nil, password: String? = nil) -> TestAccount {
        let (id, username) = reserve(name, username: username, bot: false)
        let phone = "+1555\(1_000_000 + id)"
        simulator.addAccount(
            SimulatorScenario.Account(
                phone: phone, code: "24680", userID: id, firstName: name, username: username, password: password))
        return added(
            TestAccount(
                id: id, name: name, username: username, credentials: .phone(phone, code: "24680", password: password)))
    }

    /// Adds a bot account that an app can log in to with ``app(_:byQRCode:configure:)`` (by its token).
    /// - Parameters:
    ///   - name: the bot's first name, as users see it.
    ///   - username: the bot's username; the name in lower case with `_bot` when absent.
    public func bot(_ name: String, username: String? = nil) -> TestAccount {
        let (id, username) = reserve(name, username: username, bot: true)
        let token = "\(id):TELEGRAM-TESTING-TOKEN"
        simulator.addBot(SimulatorScenario.Bot(token: token, userID: id, firstName: name, username: username))
        return added(TestAccount(id: id, name: name, username: username, credentials: .botToken(token)))
    }

    /// Adds a user and logs them in: a ``TestUser`` who acts as a person on Telegram.
    public func user(_ name: String, username: String? = nil) async throws -> TestUser {
        let account = self.account(name, username: username)
        // A person's files go up at once: a test need not move the clock for them.
        simulator.completeUploadsAtOnce(of: account.id)
        let client = try await makeClient(for: account, isApp: false)
        let user = TestUser(account: account, client: client, world: self)
        try await login(client, as: account)
        return user
    }

    /// Adds a group (a basic group) with `members`: only they get its messages, until some join or leave.
    public func group(_ title: String, members: [TestAccount]) -> TestChat {
        addChat(title, kind: "basicGroup", members: members)
    }

    /// Adds a supergroup with `members`.
    public func supergroup(_ title: String, members: [TestAccount]) -> TestChat {
        addChat(title, kind: "supergroup", members: members)
    }

    /// Adds a channel with `members` (subscribers).
    public func channel(_ title: String, members: [TestAccount]) -> TestChat {
        addChat(title, kind: "channel", members: members)
    }

    /// Makes `account` a member of `chat` as Telegram does on a join: the members (the newcomer too) get
    /// the service message (`messageChatAddMembers`, or `messageChatJoinByLink` when `byLink`; none in a
    /// channel), a joining bot `updateChatMember`, and the newcomer gets the chat's later messages.
    public func join(_ account: TestAccount, _ chat: TestChat, byLink: Bool = false) {
        library.note(who: account.name, chat: chat.chatID, byLink ? "joins by link" : "joins")
        simulator.join(account.id, chat: chat.chatID, how: byLink ? .byLink : .themselves)
    }

    /// `member` adds `account` to `chat`: as ``join(_:_:byLink:)``, the service message sent by `member`.
    public func add(_ account: TestAccount, to chat: TestChat, by member: TestAccount) {
        library.note(who: member.name, chat: chat.chatID, "adds \(account.name)")
        simulator.join(account.id, chat: chat.chatID, how: .addedBy(member.id))
    }

    /// `account` leaves `chat`: the members get `messageChatDeleteMember` (in a basic group the leaver
    /// too), a leaving bot `updateChatMember`, and the chat's later messages no longer reach `account`.
    /// - Parameters:
    ///   - account: who leaves.
    ///   - chat: the group, supergroup or channel.
    ///   - member: the member who removes `account`; `account` leaves by itself when absent.
    public func leave(_ account: TestAccount, _ chat: TestChat, removedBy member: TestAccount? = nil) {
        library.note(
            who: (member ?? account).name, chat: chat.chatID, member == nil ? "leaves" : "removes \(account.name)")
        simulator.leave(account.id, chat: chat.chatID, removedBy: member?.id)
    }

    /// Puts a message into a chat's history, as if sent before the test began (no one is notified).
    public func addMessage(_ text: String, from sender: TestAccount, in chat: some TestChatTarget) {
        simulator.addMessage(SimulatorScenario.Message(chatID: chat.chatID, senderID: sender.id, text: text))
    }

    // MARK: The app under test

    /// Logs an app in to `account` (a ``bot(_:username:)`` or an ``account(_:username:password:)``) without
    /// prompts, and returns its client; the world stops it when it closes.
    /// - Parameters:
    ///   - account: the account the app logs in to.
    ///   - byQRCode: the app logs in by QR code (`requestQrCodeAuthentication`) instead of phone and code:
    ///     `account`, logged in elsewhere, confirms the link the app shows; a user account only.
    ///   - configure: changes to the client's configuration (handler concurrency, flood waits...).
    public func app(
        _ account: TestAccount, byQRCode: Bool = false, configure: (inout TelegramConfiguration) -> Void = { _ in }
    ) async throws -> Telegram {
        guard !byQRCode || !account.isBot else {
            throw TestWorldError(description: "a bot logs in by token, not by QR code")
        }
        let client = try await makeClient(for: account, isApp: true, byQRCode: byQRCode, configure: configure)
        try await login(client, as: account, byQRCode: byQRCode)
        return client
    }

    /// Ends every session of `account` from another device ("Terminate session"): its clients log out
    /// and close, as TDLib's do.
    public func revokeSessions(of account: TestAccount) {
        simulator.revokeSessions(of: account.id)
    }

    /// Takes the network away from `account`'s clients: they get `updateConnectionState` with
    /// `connectionStateWaitingForNetwork`, until ``restoreConnection(of:)``.
    public func cutConnection(of account: TestAccount) {
        simulator.setConnectionState(.waitingForNetwork(ConnectionStateWaitingForNetwork()), of: account.id)
    }

    /// Gives `account`'s clients their network back (`connectionStateReady`).
    public func restoreConnection(of account: TestAccount) {
        simulator.setConnectionState(.ready(ConnectionStateReady()), of: account.id)
    }

    /// The next request of `Function`'s type that the apps sent and no earlier call returned.
    /// - Throws: `TDClientError` code `timedOut` when none comes within ``timeout``, listing what the apps
    ///   sent (its `underlying` ``TestWorldTimeout``).
    public func nextRequest<Function: TDFunction>(
        of type: Function.Type, timeout: Duration? = nil
    ) async throws -> Function {
        let name = "\(Function.tdType)"
        let timeout = timeout ?? self.timeout
        guard let request = try await library.appRequests.take(where: { $0.type == name }, timeout: timeout) else {
            throw failure("the app to send \(name)", timeout: timeout, arrived: library.appRequests.pending.map(\.type))
        }
        return try Function(json: request.bytes)
    }

    // MARK: Closing

    /// Stops every client of the world and removes its folder; later calls do nothing.
    public func close() async {
        let clients: [Telegram]? = state.withLock { state in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            return state.clients
        }
        guard let clients else { return }
        await withTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.stop() } }
        }
        if !clients.isEmpty {
            library.stopWaiting()
            try? await TDClientManager.shared(for: library).shutdown(timeout: .seconds(30))
        }
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: Inside

    /// A wait that timed out, as every layer reports one: `TDClientError` code `timedOut`, its message the
    /// readable report (what was expected, what arrived instead, the conversation so far), kept whole as
    /// its `underlying` ``TestWorldTimeout``. The conversation of a test world is made up: no secret.
    func failure(_ expected: String, timeout: Duration, arrived: [String]) -> TDClientError {
        let report = TestWorldTimeout(expected: expected, arrived: arrived, timeout: timeout, transcript: transcript)
        return TDClientError(.timedOut, report.description, underlying: report)
    }

    /// Runs `operation`, failing with `TDClientError` code `timedOut` when it takes longer than ``timeout``.
    func within<Result: Sendable>(
        _ expected: String, _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let timeout = timeout
        let outcome = try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let outcome else { throw failure(expected, timeout: timeout, arrived: []) }
        return outcome
    }

    private func reserve(_ name: String, username: String?, bot: Bool) -> (Int64, String) {
        state.withLock { state in
            state.lastNumber += 1
            var base = username ?? String(name.lowercased().filter { ($0.isASCII && $0.isLetter) || $0.isNumber })
            if base.isEmpty { base = "user" }
            if username == nil && bot && !base.hasSuffix("bot") { base += "_bot" }
            var candidate = base
            var suffix = 1
            while state.usernames.contains(candidate) {
                suffix += 1
                candidate = base + "\(suffix)"
            }
            state.usernames.insert(candidate)
            return ((bot ? 5_000_000 : 100_000) + state.lastNumber, candidate)
        }
    }

    private func added(_ account: TestAccount) -> TestAccount {
        simulator.addChat(SimulatorScenario.Chat(id: account.id, kind: "private", userID: account.id))
        library.name(chat: account.id, account.name)
        return account
    }

    private func addChat(_ title: String, kind: String, members: [TestAccount]) -> TestChat {
        let number = state.withLock { state in
            state.lastNumber += 1
            return state.lastNumber
        }
        let id = kind == "basicGroup" ? -(4_000 + number) : -1_000_000_000_000 - number
        simulator.addChat(
            SimulatorScenario.Chat(id: id, kind: kind, title: title, memberIDs: members.map(\.id), membersOnly: true))
        library.name(chat: id, title)
        return TestChat(chatID: id, title: title)
    }

    private func makeClient(
        for account: TestAccount, isApp: Bool, byQRCode: Bool = false,
        configure: (inout TelegramConfiguration) -> Void = { _ in }
    ) async throws -> Telegram {
        let clientFolder = folder.appendingPathComponent("\(account.username)-\(isApp ? "app" : "user")").path
        var configuration: TelegramConfiguration
        switch account.credentials {
        case .phone where byQRCode:
            configuration = TelegramConfiguration(
                apiID: 94575, apiHash: "telegram-testing", databaseEncryptionKey: "telegram-testing", account: .qrCode)
        case .phone(let phone, _, _):
            configuration = try TelegramConfiguration(
                apiID: 94575, apiHash: "telegram-testing", databaseEncryptionKey: "telegram-testing", phone: phone)
        case .botToken(let token):
            configuration = try TelegramConfiguration(
                apiID: 94575, apiHash: "telegram-testing", databaseEncryptionKey: "telegram-testing",
                botToken: Secret(token))
        }
        configuration.library = library
        configuration.filesDirectory = clientFolder
        configuration.clock = simulator.clock
        // Login steps: generous, as a loaded machine can slow one by seconds; a hang still fails.
        configuration.stepTimeout = max(timeout, .seconds(30))
        configure(&configuration)
        library.register(folder: clientFolder, as: .init(name: account.name, isApp: isApp))
        var logger = Logger(label: "telegram-testing.\(account.username)")
        // Warnings and errors only: a passing test prints nothing of the clients.
        logger.logLevel = .warning
        let client = try await Telegram(configuration: configuration, logger: logger)
        let closed = state.withLock { state in
            state.clients.append(client)
            return state.isClosed
        }
        if closed {
            await client.stop()
            throw TDClientError(.clientClosed, "the world is closed")
        }
        return client
    }

    private func login(_ client: Telegram, as account: TestAccount, byQRCode: Bool = false) async throws {
        var prompter = TestPrompter()
        if byQRCode {
            // The account, logged in on another device, scans the code the app shows.
            prompter.confirmQRLink = { [simulator] link in
                simulator.confirmQRLogin(link: link, by: account.id)
            }
        }
        if case .phone(_, let code, let password) = account.credentials {
            prompter.code = code
            prompter.password = password
        }
        let state = try await client.login(blocking: true, prompter: prompter)
        guard state == .ready else {
            throw TestWorldError(description: "\(account.name) did not log in: the login stopped at \(state)")
        }
    }
}

/// Runs `body` with a new ``TestWorld`` and always closes the world afterwards: its clients stop and its
/// folder is removed, also when `body` throws.
/// - Parameters:
///   - timeout: how long each wait of the world lasts before it fails the test.
///   - faults: errors that calls get, and latency; see ``TestWorld/init(timeout:faults:network:)``.
///   - network: how long Telegram takes to deliver, on the world's clock; at once when absent.
///   - body: the test, given the world.
public func withTestWorld<Result: Sendable>(
    timeout: Duration = .seconds(10), faults: SimulatorScenario.Faults? = nil,
    network: SimulatorScenario.Network? = nil, _ body: (TestWorld) async throws -> Result
) async throws -> Result {
    let world = try TestWorld(timeout: timeout, faults: faults, network: network)
    do {
        let result = try await body(world)
        await world.close()
        return result
    } catch {
        await world.close()
        throw error
    }
}
