import Foundation
import TDLib
import TDLibSimulator
import Telegram
import Testing

/// Issue 10, "nothing lost": the simulator's faults, and what a user of the client sees in each.
///
/// Every test counts the requests it sent against those that were answered or failed with a typed
/// error, and fails on any that is lost or still waiting after a generous bound.
@Suite("Reliability: faults against the simulator")
struct FaultTests {
    private func bot(_ simulator: TDSimulator, updateBufferSize: Int? = nil) async throws -> Telegram {
        var configuration = try simulatedConfiguration(simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN")
        configuration.stepTimeout = .seconds(30)
        if let updateBufferSize { configuration.updateBufferSize = updateBufferSize }
        return try await Telegram(configuration: configuration)
    }

    private func quietScenario(_ faults: SimulatorScenario.Faults? = nil) -> SimulatorScenario {
        var scenario = SimulatorScenario.default
        scenario.events = []
        scenario.faults = faults
        return scenario
    }

    @Test func slowAnswersTimeOutTypedOrArriveWholeDependingOnTheTimeout() async throws {
        // The simulator's clock stands still: no answer comes until the test moves it, however slow the machine.
        try await withSimulator(quietScenario(.init(latencyMilliseconds: 20_000)), clock: .manual()) { simulator in
            let client = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .discard)
            let short = await runConcurrently(1_000) { _ in
                _ = try await client.send(TestCallEmpty(), timeout: .milliseconds(20))
            }
            report("latency 20 s, timeout 20 ms", short)
            #expect(short.lost == 0)
            #expect(short.failed == ["timedOut": 1_000])

            // A login step slower than the configured step timeout fails typed; nothing waits on.
            var configuration = try simulatedConfiguration(simulator: simulator, phone: "+15550100001")
            configuration.stepTimeout = .milliseconds(100)
            let tg = try await Telegram(configuration: configuration)
            let timedOut = await #expect(throws: TDClientError.self) { try await tg.login(blocking: false) }
            #expect(timedOut?.code == .timedOut)
            // TDLib's answer to `close` is 20 s away: both are given up locally, as documented.
            await tg.stop(closeTimeout: .milliseconds(100))
            await #expect(throws: TDClientError.self) { try await client.close(timeout: .milliseconds(100)) }
        }
        let clock = SimulatorClock.manual()
        try await withSimulator(quietScenario(.init(latencyMilliseconds: 300)), clock: clock) { simulator in
            let client = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .discard)
            // The late answers of timed-out requests must not reach these: each checks its own value.
            _ = try? await client.send(TestSquareInt(x: -1), timeout: .milliseconds(1))
            let batch = Task {
                await runConcurrently(1_000) { index in
                    let square = try await client.send(TestSquareInt(x: Int32(index)), timeout: .seconds(30))
                    #expect(square.value == Int32(index * index))
                }
            }
            try await simulator.waitForRequests("testSquareInt", count: 1_001)
            clock.advance(by: .milliseconds(300))  // every answer, the timed-out one's first
            let long = await batch.value
            report("latency 300 ms, timeout 30 s", long)
            #expect(long.answered == 1_000)
            #expect(long.lost == 0)
            async let closed: Void = client.close()
            try await simulator.waitForRequests("close")
            clock.advance(by: .milliseconds(300))
            try await closed
        }
    }

    @Test func anErrorOnTheNthCallReachesTheCallerTypedAndTheNextCallsSucceed() async throws {
        let scenario = quietScenario(
            .init(errors: [
                .init(method: "checkAuthenticationCode", call: 1, code: 420, message: "FLOOD_WAIT_7"),
                .init(method: "getMe", call: 3, code: 500, message: "INTERNAL_SERVER_ERROR"),
                .init(method: "testSquareInt", call: 250, code: 503, message: "Service Unavailable"),
            ]))
        try await withSimulator(scenario) { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            guard case .waitCode = try await tg.login(blocking: false) else {
                Issue.record("expected WAIT_CODE")
                await tg.stop()
                return
            }
            let flood = await #expect(throws: TDLibError.self) { try await tg.sendCode("11111") }
            #expect(flood == TDLibError(code: 420, message: "FLOOD_WAIT_7"))
            guard case .waitCode = tg.authorizationState else {
                Issue.record("a failed step must leave the state where it was, not \(tg.authorizationState.name)")
                await tg.stop()
                return
            }
            #expect(try await tg.sendCode("11111") == .ready)

            var calls: [String] = []
            for _ in 0..<5 {
                do {
                    calls.append(try await tg.getMe().firstName)
                } catch {
                    calls.append(Outcomes.kind(of: error))
                }
            }
            #expect(calls == ["Alice", "Alice", "TDLib 500 INTERNAL_SERVER_ERROR", "Alice", "Alice"])

            let squares = await runConcurrently(500) { index in
                let square = try await tg.send(TestSquareInt(x: Int32(index)))
                #expect(square.value == Int32(index * index))
            }
            report("error on the 250th of 500 concurrent calls", squares)
            #expect(squares.answered == 499)
            #expect(squares.failed == ["TDLib 503 Service Unavailable": 1])
            #expect(squares.lost == 0)
            await tg.stop()
        }
    }

    @Test func aFlappingConnectionKeepsTheClientWorkingAndUpdatesInOrder() async throws {
        let cycle = ["connecting", "updating", "waitingForNetwork", "connectingToProxy", "ready"]
        var scenario = quietScenario()
        scenario.events =
            (0..<250).map { index in
                SimulatorScenario.Event(
                    type: "connectionState", after: 0.002 * Double(index), state: cycle[index % cycle.count])
            }
            + (0..<100).map { index in
                SimulatorScenario.Event(
                    type: "incomingMessage", after: 0.005 * Double(index), chatID: 2001, senderID: 2001,
                    text: "m\(index)")
            }
        try await withSimulator(scenario) { simulator in
            let tg = try await bot(simulator)
            let seen = Locked<(states: [String], texts: [String])>(([], []))
            let stream = tg.updates(types: ["updateConnectionState", "updateNewMessage"])
            let reader = Task {
                for await update in stream {
                    switch update {
                    case .connectionState(let change):
                        seen.withLock { $0.states.append(Self.name(change.state)) }
                    case .newMessage(let new):
                        if case .text(let text) = new.message.content {
                            seen.withLock { $0.texts.append(text.text.text) }
                        }
                    default: break
                    }
                }
            }
            #expect(try await tg.login(blocking: false) == .ready)
            let calls = await runConcurrently(1_000) { _ in _ = try await tg.getMe() }
            report("1,000 calls while the connection state flaps 250 times", calls)
            #expect(calls.answered == 1_000)
            #expect(calls.lost == 0)
            try await waitUntil {
                seen.withLock { $0.states.count >= 252 && $0.texts.count >= 100 }
            }
            let (states, texts) = seen.withLock { ($0.states, $0.texts) }
            // setTdlibParameters reports connecting then ready; the scenario's 250 changes follow in order.
            #expect(states == ["connecting", "ready"] + (0..<250).map { cycle[$0 % cycle.count] })
            #expect(texts == (0..<100).map { "m\($0)" })
            #expect(tg.authorizationState == .ready)
            await tg.stop()
            await reader.value
        }
    }

    @Test func aSessionRevokedMidStreamEndsEveryRequestAndTheUpdates() async throws {
        var scenario = quietScenario()
        scenario.events = [SimulatorScenario.Event(type: "revokeSession", after: 1)]
        let clock = SimulatorClock.manual()
        try await withSimulator(scenario, clock: clock) { simulator in
            let tg = try await bot(simulator)
            let stream = tg.updates(types: ["updateAuthorizationState"])
            let states = Task {
                var names: [String] = []
                for await update in stream {
                    if case .authorizationState(let change) = update {
                        names.append(LoginState(change.authorizationState).name)
                    }
                }
                return names
            }
            #expect(try await tg.login(blocking: false) == .ready)
            // 1,000 answered before the revocation, 1,000 in flight when it comes, 1,000 sent after it.
            let before = await runConcurrently(1_000) { _ in _ = try await tg.send(TestSquareInt(x: 3)) }
            simulator.hold("testSquareInt")
            let inFlight = Task { await runConcurrently(1_000) { _ in _ = try await tg.send(TestSquareInt(x: 3)) } }
            try await simulator.waitForRequests("testSquareInt", count: 2_000)
            clock.advance(by: .seconds(1))
            let during = await inFlight.value
            let names = await states.value  // ends only when the update stream ends
            let after = await runConcurrently(1_000) { _ in _ = try await tg.send(TestSquareInt(x: 3)) }
            for (name, calls) in [("before", before), ("in flight", during), ("after", after)] {
                report("1,000 calls \(name) a revoked session", calls)
                #expect(calls.lost == 0)
            }
            #expect(before.answered == 1_000)
            let allowed: Set<String> = ["clientClosed", "TDLib 500 Request aborted"]
            #expect(during.failures == 1_000 && Set(during.failed.keys).isSubset(of: allowed), "\(during)")
            #expect(after.failed == ["clientClosed": 1_000], "\(after)")

            #expect(Array(names.suffix(2)) == [LoginState.loggingOut.name, LoginState.closed.name])
            #expect(tg.authorizationState == .closed)
            let closed = await #expect(throws: TDClientError.self) { try await tg.getMe() }
            #expect(closed?.code == .clientClosed)
            await tg.stop()
        }
    }

    @Test func anUpdateFloodDropsOnlyTheSlowReadersOldestAndLeavesOthersWhole() async throws {
        let messages = 3_000
        var scenario = quietScenario()
        scenario.events = (0..<messages).map {
            SimulatorScenario.Event(type: "incomingMessage", chatID: 2001, senderID: 2001, text: "n\($0)")
        }
        try await withSimulator(scenario) { simulator in
            // The core's own buffer: a client whose updates nobody reads keeps the newest 50 objects.
            let raw = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .keepNewest(50))
            _ = try await raw.send(
                SetTdlibParameters(
                    useTestDc: true,
                    databaseDirectory: FileManager.default.temporaryDirectory
                        .appendingPathComponent("telegram-flood-\(UUID().uuidString)").path,
                    filesDirectory: "", databaseEncryptionKey: [], useFileDatabase: false, useChatInfoDatabase: false,
                    useMessageDatabase: false, useSecretChats: false, apiId: 1, apiHash: "x", systemLanguageCode: "en",
                    deviceModel: "tests", systemVersion: "", applicationVersion: "1"))
            _ = try await raw.send(CheckAuthenticationBotToken(token: "1000001:SIMULATOR-BOT-TOKEN"))

            let slowClient = try await bot(simulator, updateBufferSize: 100)
            let other = try await bot(simulator)
            let slow = slowClient.updates(types: ["updateNewMessage"])
            let fastTexts = Locked<[String]>([])
            let otherTexts = Locked<[String]>([])
            let fastStream = slowClient.updates(types: ["updateNewMessage"])
            let otherStream = other.updates(types: ["updateNewMessage"])
            let fastReader = Task {
                for await update in fastStream {
                    if let text = Self.text(of: update) { fastTexts.withLock { $0.append(text) } }
                }
            }
            let otherReader = Task {
                for await update in otherStream {
                    if let text = Self.text(of: update) { otherTexts.withLock { $0.append(text) } }
                }
            }
            #expect(try await slowClient.login(blocking: false) == .ready)
            #expect(try await other.login(blocking: false) == .ready)
            let calls = await runConcurrently(1_000) { index in
                _ = try await (index.isMultiple(of: 2) ? slowClient : other).getMe()
            }
            report("1,000 calls during a flood of \(messages) messages to each of 3 clients", calls)
            #expect(calls.answered == 1_000)

            let everything = (0..<messages).map { "n\($0)" }
            try await waitUntil {
                fastTexts.withLock { $0.last } == everything.last && otherTexts.withLock { $0.count } == messages
            }
            // A reader that keeps up gets every message in order; one on the 100-update client that fell
            // behind during the burst lost some, but what it got is in order and ends with the newest.
            let otherIsWhole = otherTexts.withLock { $0 == everything }
            #expect(otherIsWhole, "the other client's reader got \(otherTexts.withLock { $0.count }) messages")
            let indices = fastTexts.withLock { $0.compactMap { Int($0.dropFirst()) } }
            #expect(zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 }, "out of order")

            // The slow reader starts only now: its buffer kept the newest 100, in order, and nothing else.
            var kept: [String] = []
            for await update in slow {
                if case .newMessage(let new) = update, case .text(let text) = new.message.content {
                    kept.append(text.text.text)
                }
                if kept.last == everything.last { break }
            }
            #expect(
                kept == Array(everything.suffix(100)), "kept \(kept.count): \(kept.first ?? "") to \(kept.last ?? "")")

            // The raw client's objects were all routed before the other clients' (one FIFO, one receive thread).
            var iterator = raw.updates.makeAsyncIterator()
            var buffered: [String] = []
            for _ in 0..<50 {
                guard let object = await iterator.next() else { break }
                buffered.append(object.string)
            }
            #expect(buffered.count == 50)
            #expect(buffered.last?.contains("\"n\(messages - 1)\"") == true)
            #expect(!buffered.contains { $0.contains("\"n\(messages - 100)\"") })

            try await raw.close()
            await slowClient.stop()
            await other.stop()
            await fastReader.value
            await otherReader.value
        }
    }

    @Test func closingWithTenThousandRequestsInFlightEndsEveryOne() async throws {
        try await withSimulator(quietScenario(.init(latencyMilliseconds: 300))) { simulator in
            let tg = try await bot(simulator)
            #expect(try await tg.login(blocking: false) == .ready)
            let batch = Task {
                await runConcurrently(10_000) { index in
                    let square = try await tg.send(TestSquareInt(x: Int32(index)))
                    #expect(square.value == Int32(index * index))
                }
            }
            // Stop once about half the requests have reached the simulator.
            try await simulator.waitForRequests("testSquareInt", count: 5_000)
            await tg.stop()
            let calls = await batch.value
            report("stop with 10,000 requests in flight (simulator, 300 ms latency)", calls)
            #expect(calls.lost == 0)
            let allowed: Set<String> = ["clientClosed", "TDLib 500 Request aborted"]
            #expect(Set(calls.failed.keys).isSubset(of: allowed), "\(calls)")
        }
    }

    @Test func anUncreatableFilesDirectoryIsAClearErrorWithoutSecrets() async throws {
        try await withSimulator { simulator in
            let path = try uncreatablePath()
            var configuration = try simulatedConfiguration(
                simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN", filesDirectory: path)
            configuration.databaseEncryptionKey = "the database key"
            let error = await #expect(throws: TelegramError.self) { try await Telegram(configuration: configuration) }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.contains("cannot create the folder \(path)") == true)
            // The file system's own error is kept, not only its words.
            #expect(error?.underlying != nil)
            for secret in ["the database key", "simulated-api-hash", "SIMULATOR-BOT-TOKEN"] {
                #expect(error?.description.contains(secret) == false)
            }

            // The simulator refuses a database directory it cannot create, as TDLib does, typed.
            let client = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .discard)
            let refused = await #expect(throws: TDLibError.self) {
                _ = try await client.send(
                    SetTdlibParameters(
                        useTestDc: true, databaseDirectory: path, filesDirectory: "", databaseEncryptionKey: [],
                        useFileDatabase: false, useChatInfoDatabase: false, useMessageDatabase: false,
                        useSecretChats: false, apiId: 1, apiHash: "x", systemLanguageCode: "en", deviceModel: "tests",
                        systemVersion: "", applicationVersion: "1"),
                    timeout: .seconds(30))
            }
            #expect(refused?.code == 400)
            #expect(refused?.message.hasPrefix("Can't init database in the directory \"\(path)\"") == true)
            try await client.close()
        }
    }

    @Test func aLibraryThatIsNotTDLibIsNamedWhenTheClientIsCreated() async throws {
        func attempt(_ path: String) async -> TDClientError? {
            var configuration = try? TelegramConfiguration(
                apiID: 1, apiHash: "an api hash", databaseEncryptionKey: "a database key", phone: "+15550100001")
            configuration?.libraryPath = path
            configuration?.filesDirectory =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("telegram-library-\(UUID().uuidString)").path
            guard let configuration else { return nil }
            return await #expect(throws: TDClientError.self) { try await Telegram(configuration: configuration) }
        }
        let text = FileManager.default.temporaryDirectory.appendingPathComponent("libtdjson-\(UUID().uuidString).so")
        try Data("not a library".utf8).write(to: text)
        let notALibrary = await attempt(text.path)
        #expect(notALibrary?.code == .libraryNotFound)
        #expect(notALibrary?.message.contains(text.path) == true)
        #expect(notALibrary?.message.contains("make tdlib") == true)

        let missing = await attempt("/nonexistent/libtdjson.so")
        #expect(missing?.code == .libraryNotFound)
        #expect(missing?.message.contains("no such file") == true)

        #if os(Linux)
            let withoutSymbols = await attempt("/lib/x86_64-linux-gnu/libm.so.6")
            #expect(withoutSymbols?.code == .missingSymbol)
            #expect(withoutSymbols?.message.contains("td_create_client_id") == true)
        #endif
        for error in [notALibrary, missing] {
            #expect(error?.description.contains("an api hash") == false)
            #expect(error?.description.contains("a database key") == false)
        }
    }

    private static func text(of update: Update) -> String? {
        guard case .newMessage(let new) = update, case .text(let text) = new.message.content else { return nil }
        return text.text.text
    }

    private static func name(_ state: ConnectionState) -> String {
        switch state {
        case .waitingForNetwork: "waitingForNetwork"
        case .connectingToProxy: "connectingToProxy"
        case .connecting: "connecting"
        case .updating: "updating"
        case .ready: "ready"
        default: "other"
        }
    }
}
