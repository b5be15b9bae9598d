import Foundation
import TDLib
import TDLibSimulator
import Telegram
import Testing

/// Issue 20, point 4: "TDLib said no", "the client is closed" and "timed out" each have one `catch`
/// pattern, the same whichever layer the user calls: the raw client, the typed client, `Telegram`'s
/// methods, its waits and its sequences. (TelegramTesting's waits: TestWorldErrorTests.)
///
/// The timeouts are decided by events: what would answer is held by the simulator or waits for its manual
/// clock, so no answer can beat the deadline, however fast or slow the machine.
@Suite("One error model: the same catch at every layer", .timeLimit(.minutes(2)))
struct ErrorModelTests {
    private func alice(_ simulator: TDSimulator) async throws -> Telegram {
        var configuration = try simulatedConfiguration(simulator: simulator, phone: "+15550100001")
        configuration.clock = simulator.clock
        let tg = try await Telegram(configuration: configuration)
        _ = try await tg.login(blocking: false)
        try await tg.sendCode("11111")
        return tg
    }

    /// A scenario with no scheduled events; a delivery time on the manual clock when given.
    private func quietScenario(messageDelivery milliseconds: Int? = nil) -> SimulatorScenario {
        var scenario = SimulatorScenario.default
        scenario.events = []
        if let milliseconds { scenario.network = .init(messageDeliveryMilliseconds: milliseconds) }
        return scenario
    }

    // MARK: The client is closed

    @Test func aRawRequestAfterCloseIsClientClosed() async throws {
        try await withSimulator { simulator in
            let client = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .discard)
            _ = try await client.send(json: #"{"@type":"testCallEmpty"}"#)
            try await client.close(timeout: .seconds(30))
            await expectClientClosed { try await client.send(json: #"{"@type":"testCallEmpty"}"#) }
        }
    }

    @Test func aTypedRequestAfterCloseIsClientClosed() async throws {
        try await withSimulator { simulator in
            let client = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .discard)
            _ = try await client.send(TestCallEmpty())
            try await client.close(timeout: .seconds(30))
            await expectClientClosed { try await client.send(TestCallEmpty()) }
        }
    }

    @Test func aTelegramMethodAfterStopIsClientClosed() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            await tg.stop()
            await expectClientClosed { try await tg.getMe() }
            await expectClientClosed { try await tg.sendMessage(chatID: 2001, text: "hi") }
            await expectClientClosed { try await tg.login(blocking: false) }
            await expectClientClosed { try await tg.sendCode("11111") }
        }
    }

    @Test func aLoginOnASessionThatTDLibClosedIsClientClosed() async throws {
        var scenario = quietScenario()
        scenario.events = [SimulatorScenario.Event(type: "revokeSession", after: 2)]
        try await withSimulator(scenario, clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            // Ended from another device: TDLib logs out and closes the client.
            let states = tg.updates(types: ["updateAuthorizationState"])
            simulator.clock.advance(by: .seconds(2))
            #expect(await loginStates(states, through: .closed).last == .closed)
            await expectClientClosed { try await tg.login(blocking: false) }
            await expectClientClosed { try await tg.sendPassword("x") }
            await tg.stop()
        }
    }

    @Test func aTelegramWaitAfterStopIsClientClosed() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            await tg.stop()
            await expectClientClosed { try await tg.sendMessageAndWait(chatID: 2001, text: "hi") }
            await expectClientClosed { try await tg.conversation(in: 2001) { chat in try await chat.nextMessage() } }
        }
    }

    @Test func aTelegramWaitCutShortByStopIsClientClosed() async throws {
        // Telegram has the message only when the test moves the clock, which it never does.
        try await withSimulator(quietScenario(messageDelivery: 60_000), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            let waiting = Task { try await tg.sendMessageAndWait(chatID: 2001, text: "hi", timeout: .seconds(600)) }
            // Answered once this returns: the wait for Telegram's copy has begun, or begins at the answer.
            try await simulator.waitForRequests("sendMessage")
            await tg.stop()
            await expectClientClosed { try await waiting.value }
        }
    }

    @Test func aConversationWaitCutShortByStopIsClientClosed() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            let timersBefore = simulator.clock.pendingTimerCount
            let waiting = Task {
                try await tg.conversation(in: 2001, timeout: .seconds(30)) { chat in try await chat.nextMessage() }
            }
            await simulator.clock.waitForTimers(timersBefore + 1)  // the wait has begun
            await tg.stop()
            await expectClientClosed { try await waiting.value }
        }
    }

    @Test func aSequenceAfterStopIsClientClosed() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            await tg.stop()
            await expectClientClosed { try await tg.history(chatID: 2001).collect() }
            await expectClientClosed { try await tg.chats().collect() }
        }
    }

    // MARK: Timed out

    @Test func aRawRequestThatGetsNoAnswerTimesOut() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            let client = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .discard)
            simulator.hold("testCallEmpty")
            await expectTimedOut {
                try await client.send(json: #"{"@type":"testCallEmpty"}"#, timeout: .milliseconds(50))
            }
            simulator.release("testCallEmpty")
            try await client.close(timeout: .seconds(30))
        }
    }

    @Test func aTypedRequestThatGetsNoAnswerTimesOut() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            let client = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .discard)
            simulator.hold("testCallEmpty")
            await expectTimedOut { try await client.send(TestCallEmpty(), timeout: .milliseconds(50)) }
            simulator.release("testCallEmpty")
            try await client.close(timeout: .seconds(30))
        }
    }

    @Test func aTelegramMethodThatGetsNoAnswerTimesOut() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            simulator.hold("testCallEmpty")
            await expectTimedOut { try await tg.send(TestCallEmpty(), timeout: .milliseconds(50)) }
            simulator.release("testCallEmpty")
            await tg.stop()
        }
    }

    @Test func aLoginStepThatGetsNoAnswerTimesOut() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            var configuration = try simulatedConfiguration(simulator: simulator, phone: "+15550100001")
            configuration.stepTimeout = .milliseconds(100)
            let tg = try await Telegram(configuration: configuration)
            simulator.hold("setAuthenticationPhoneNumber")
            await expectTimedOut { try await tg.login(blocking: false) }
            simulator.release("setAuthenticationPhoneNumber")
            await tg.stop()
        }
    }

    @Test func aMessageThatTelegramDoesNotTakeTimesOut() async throws {
        try await withSimulator(quietScenario(messageDelivery: 60_000), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            await expectTimedOut {
                try await tg.sendMessageAndWait(chatID: 2001, text: "hi", timeout: .milliseconds(50))
            }
            await tg.stop()
        }
    }

    @Test func aConversationWaitTimesOutOnTheClock() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            let timersBefore = simulator.clock.pendingTimerCount
            let waiting = Task {
                try await tg.conversation(in: 2001, timeout: .seconds(30)) { chat in try await chat.nextMessage() }
            }
            await simulator.clock.waitForTimers(timersBefore + 1)
            simulator.clock.advance(by: .seconds(30))
            await expectTimedOut { try await waiting.value }
            await tg.stop()
        }
    }

    // MARK: TDLib said no

    @Test func realTDLibSaysNoTheSameWayAtEveryLayer() async throws {
        // Offline, before its parameters, TDLib refuses getMe (Td::run_request).
        let refusal = TDLibError(
            code: 400, message: "Initialization parameters are needed: call setTdlibParameters first")
        let manager = try TDClientManager.shared(for: TDLibrary.load())
        let client = try manager.createClient(updateBuffering: .discard)
        await expectTDLibSaidNo(refusal) { try await client.send(json: #"{"@type":"getMe"}"#) }
        await expectTDLibSaidNo(refusal) { try await client.send(GetMe()) }
        try await client.close(timeout: .seconds(30))

        var configuration = try TelegramConfiguration(
            apiID: 94575, apiHash: "a3406de8d171bb422bb6ddf3bbd800e2", databaseEncryptionKey: "real key",
            phone: "+15550100001")
        configuration.useTestDC = true
        configuration.filesDirectory =
            FileManager.default.temporaryDirectory.appendingPathComponent("telegram-errors-\(UUID().uuidString)").path
        configuration.tdlibVerbosity = 1
        let tg = try await Telegram(configuration: configuration)
        await expectTDLibSaidNo(refusal) { try await tg.getMe() }
        await tg.stop()
    }

    @Test func theSimulatorSaysNoTheSameWayAtEveryLayer() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            let tooLong = TDLibError(code: 400, message: "MESSAGE_TOO_LONG")
            let unknownChat = TDLibError(code: 400, message: "Chat not found")
            let text = String(repeating: "x", count: 5_000)
            let client = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .discard)
            let noParameters = TDLibError(
                code: 400, message: "Initialization parameters are needed: call setTdlibParameters first")
            await expectTDLibSaidNo(noParameters) { try await client.send(json: #"{"@type":"getMe"}"#) }
            await expectTDLibSaidNo(noParameters) { try await client.send(GetMe()) }
            try await client.close(timeout: .seconds(30))

            let tg = try await alice(simulator)
            await expectTDLibSaidNo(tooLong) { try await tg.sendMessage(chatID: 2001, text: text) }
            await expectTDLibSaidNo(tooLong) { try await tg.sendMessageAndWait(chatID: 2001, text: text) }
            // Explained, and still TDLib's error with its code and message.
            let explained = await expectTDLibSaidNo(unknownChat) { try await tg.chat(id: 123_456_789) }
            #expect(explained?.hint?.contains("123456789") == true)
            await expectTDLibSaidNo(unknownChat) { try await tg.history(chatID: 123_456_789).collect() }
            await tg.stop()
        }
    }

    @Test func aWrongLoginCodeIsTDLibsNoAndTheWaitGoesOn() async throws {
        try await withSimulator(quietScenario(), clock: .manual()) { simulator in
            var configuration = try simulatedConfiguration(simulator: simulator, phone: "+15550100001")
            configuration.clock = simulator.clock
            let tg = try await Telegram(configuration: configuration)
            guard case .waitCode = try await tg.login(blocking: false) else {
                Issue.record("the login must wait for the code")
                return
            }
            await expectTDLibSaidNo(TDLibError(code: 400, message: "PHONE_CODE_INVALID")) {
                try await tg.sendCode("22222")
            }
            #expect(try await tg.sendCode("11111") == .ready)
            await tg.stop()
        }
    }

    // MARK: Undecodable

    @Test func aTypedAnswerThatDoesNotDecodeIsUndecodableWithTheDecodingError() async throws {
        let library = ScriptedTDLib { method, _ in
            method == "getMe" ? [.answer(#"{"@type":"ok"}"#)] : [.error(400, "unexpected \(method)")]
        }
        try await withScriptedTelegram(library) { tg in
            do {
                _ = try await tg.getMe()
                Issue.record("an ok is not a user")
            } catch let error as TDClientError where error.code == .undecodable {
                let decoding = try #require(error.underlying as? TDDecodingError)
                #expect(decoding == .wrongType(expected: "user", found: "ok"))
            }
        }
    }
}

// MARK: The three patterns, exactly as a user writes them

private func expectClientClosed<Result>(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Result
) async {
    do {
        _ = try await body()
        Issue.record("expected the client to be closed", sourceLocation: sourceLocation)
    } catch let error as TDClientError where error.code == .clientClosed {
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record(
            "expected TDClientError clientClosed, got \(type(of: error)) \(error)", sourceLocation: sourceLocation)
    }
}

private func expectTimedOut<Result>(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Result
) async {
    do {
        _ = try await body()
        Issue.record("expected a timeout", sourceLocation: sourceLocation)
    } catch let error as TDClientError where error.code == .timedOut {
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected TDClientError timedOut, got \(type(of: error)) \(error)", sourceLocation: sourceLocation)
    }
}

/// TDLib's refusal, with its code and message as TDLib sent them; returns it for a closer look.
@discardableResult
private func expectTDLibSaidNo<Result>(
    _ expected: TDLibError, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Result
) async -> TDLibError? {
    do {
        _ = try await body()
        Issue.record("expected TDLib to refuse with \(expected)", sourceLocation: sourceLocation)
    } catch let error as TDLibError {
        #expect(error.code == expected.code, sourceLocation: sourceLocation)
        #expect(error.message == expected.message, sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected TDLibError, got \(type(of: error)) \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
