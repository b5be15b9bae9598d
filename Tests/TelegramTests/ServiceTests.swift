import Logging
import ServiceLifecycle
import TDLib
import TDLibSimulator
import Telegram
import Testing

@Suite("Telegram as a service")
struct TelegramServiceTests {
    /// Every request ends, with TDLib's answer or with an error that says the client closed; none hangs.
    private func expectEnded(_ requests: [Task<Ok, any Error>]) async {
        for request in requests {
            switch await request.result {
            case .success: break
            case .failure(let error as TDClientError): #expect(error.code == .clientClosed)
            case .failure(let error as TDLibError): #expect(error.code == 500)  // TDLib aborts requests on close
            case .failure(let error): Issue.record("a request ended with \(error)")
            }
        }
    }

    @Test func gracefulShutdownClosesTheClientAndEndsRequestsInFlight() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            try await tg.login(blocking: false)
            try await tg.sendCode("11111")
            simulator.hold("testCallEmpty")
            let inFlight = (0..<10).map { _ in Task { try await tg.send(TestCallEmpty()) } }
            try await simulator.waitForRequests("testCallEmpty", count: 10)  // all sent, none answered

            let group = ServiceGroup(services: [tg], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // The client keeps working while the group runs.
                let me = try await tg.getMe()
                #expect(me.id == 1001)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(tg.isStopped)
            #expect(!tg.client.isOpen)
            await expectEnded(inFlight)
            let error = await #expect(throws: TDClientError.self) { _ = try await tg.getMe() }
            #expect(error?.code == .clientClosed)
        }
    }

    @Test func cancellationClosesTheClient() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            simulator.hold("testCallEmpty")
            let inFlight = (0..<3).map { _ in Task { try await tg.send(TestCallEmpty()) } }
            try await simulator.waitForRequests("testCallEmpty", count: 3)
            let service = Task { await tg.run() }
            service.cancel()
            await service.value
            #expect(tg.isStopped)
            #expect(!tg.client.isOpen)
            await expectEnded(inFlight)
        }
    }

    @Test func runReturnsWhenTheClientIsStoppedElsewhere() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            let service = Task { await tg.run() }
            _ = try await tg.getAuthorizationState()
            await tg.stop()
            await service.value  // ends by itself: no graceful shutdown, no cancellation
            #expect(!tg.client.isOpen)
        }
    }

    @Test func aGroupShutsDownGracefullyBeforeItsClientRuns() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            let group = ServiceGroup(services: [tg], logger: Logger(label: "test"))
            await group.triggerGracefulShutdown()
            try await group.run()
            #expect(tg.isStopped)
            #expect(!tg.client.isOpen)
        }
    }
}
