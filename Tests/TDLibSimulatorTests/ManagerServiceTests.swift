import Logging
import ServiceLifecycle
import TDLib
import TDLibSimulator
import Testing

@Suite("TDClientManager as a service")
struct ManagerServiceTests {
    /// Every request ends, with TDLib's answer or with an error that says the client closed; none hangs.
    private func expectEnded(_ requests: [Task<TDJSONObject, any Error>]) async {
        for request in requests {
            switch await request.result {
            case .success: break
            case .failure(let error as TDClientError): #expect(error.code == .clientClosed)
            case .failure(let error as TDLibError): #expect(error.code == 500)  // TDLib aborts requests on close
            case .failure(let error): Issue.record("a request ended with \(error)")
            }
        }
    }

    @Test func gracefulShutdownClosesEveryClientAndEndsRequestsInFlight() async throws {
        try await withSimulator { telegram in
            let manager = telegram.manager
            let (first, _) = try await telegram.client()
            let second = try manager.createClient(updateBuffering: .discard)
            telegram.simulator.hold("testCallEmpty")
            let inFlight = [first, second].flatMap { client in
                (0..<5).map { _ in Task { try await client.send(json: #"{"@type":"testCallEmpty"}"#) } }
            }
            try await telegram.simulator.waitForRequests("testCallEmpty", count: 10)  // all sent, none answered

            let group = ServiceGroup(services: [manager], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // The clients keep working while the group runs.
                #expect(try await first.send(json: #"{"@type":"testSquareInt","x":3}"#).type == "testInt")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(manager.openClientIDs.isEmpty)
            #expect(!first.isOpen && !second.isOpen)
            #expect(manager.pendingRequestCount == 0)
            await expectEnded(inFlight)
            let error = #expect(throws: TDClientError.self) { _ = try manager.createClient() }
            #expect(error?.code == .clientClosed)
        }
    }

    @Test func cancellationShutsTheManagerDown() async throws {
        try await withSimulator { telegram in
            let client = try telegram.manager.createClient(updateBuffering: .discard)
            telegram.simulator.hold("testCallEmpty")
            let inFlight = (0..<3).map { _ in Task { try await client.send(json: #"{"@type":"testCallEmpty"}"#) } }
            try await telegram.simulator.waitForRequests("testCallEmpty", count: 3)
            let service = Task { await telegram.manager.run() }
            service.cancel()
            await service.value
            #expect(!client.isOpen)
            await expectEnded(inFlight)
        }
    }

    @Test func runReturnsWhenTheManagerIsShutDownElsewhere() async throws {
        try await withSimulator { telegram in
            let client = try telegram.manager.createClient(updateBuffering: .discard)
            let service = Task { await telegram.manager.run() }
            _ = try await client.send(json: #"{"@type":"testCallEmpty"}"#)
            try await telegram.manager.shutdown(timeout: .seconds(30))
            await service.value  // ends by itself: no graceful shutdown, no cancellation
            #expect(!client.isOpen)
        }
    }

    @Test func aClientThatDoesNotCloseIsGivenUpWithinTheBound() async throws {
        let simulator = TDSimulator()
        let manager = try TDClientManager(library: simulator, closeTimeout: .milliseconds(1))
        let client = try manager.createClient(updateBuffering: .discard)
        simulator.hold("close")  // TDLib never reaches authorizationStateClosed
        simulator.hold("testCallEmpty")
        let request = Task { try await client.send(json: #"{"@type":"testCallEmpty"}"#) }
        try await simulator.waitForRequests("testCallEmpty")
        let group = ServiceGroup(services: [manager], logger: Logger(label: "test"))
        await group.triggerGracefulShutdown()
        try await group.run()
        #expect(manager.openClientIDs.isEmpty)
        await expectEnded([request])
        simulator.release("close")
    }
}
