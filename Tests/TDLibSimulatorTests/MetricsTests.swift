import CoreMetrics
import Foundation
import MetricsTestKit
import TDLibAPI
import TDLibAPIClient
import TDLibSimulator
import Testing

@testable import TDLib

/// The core's metrics, each test with its own `TestMetrics` given to its manager: nothing is bootstrapped,
/// so the tests run in parallel.
@Suite("Metrics of the core")
struct MetricsTests {
    /// A simulator and a manager whose metrics go to `metrics`, shut down at the end.
    private func withMetrics(_ body: (TDSimulator, TDClientManager, TestMetrics) async throws -> Void) async throws {
        let simulator = TDSimulator()
        let metrics = TestMetrics()
        let manager = try TDClientManager(library: simulator, metricsFactory: metrics)
        do {
            try await body(simulator, manager, metrics)
        } catch {
            try? await manager.shutdown(timeout: .seconds(30))
            throw error
        }
        try await manager.shutdown(timeout: .seconds(30))
    }

    private func requests(_ metrics: TestMetrics, _ client: String, _ outcome: String) -> Int64 {
        (try? metrics.expectCounter("tdlib_requests_total", [("client", client), ("outcome", outcome)]).totalValue)
            ?? 0
    }

    private func inFlight(_ metrics: TestMetrics, _ client: String) throws -> Double? {
        try metrics.expectMeter("tdlib_requests_in_flight", [("client", client)]).lastValue
    }

    @Test func answersAndTDLibErrorsAreCountedAndTimed() async throws {
        try await withMetrics { _, manager, metrics in
            let client = try manager.createClient(updateBuffering: .discard, metricsLabel: "bot-1")
            for _ in 0..<3 { _ = try await client.send(json: #"{"@type":"testCallEmpty"}"#) }
            await #expect(throws: TDLibError.self) {
                try await client.send(
                    json: #"{"@type":"testReturnError","error":{"@type":"error","code":418,"message":"TEAPOT"}}"#)
            }
            #expect(requests(metrics, "bot-1", "ok") == 3)
            #expect(requests(metrics, "bot-1", "tdlib_error") == 1)
            #expect(requests(metrics, "bot-1", "closed") == 0)
            let latencies = try metrics.expectTimer("tdlib_request_duration_seconds", [("client", "bot-1")]).values
            #expect(latencies.count == 4)
            #expect(latencies.allSatisfy { $0 >= 0 })
            #expect(try inFlight(metrics, "bot-1") == 0)
            try await client.close()
        }
    }

    @Test func theClientsIdentifierIsTheDefaultLabel() async throws {
        try await withMetrics { _, manager, metrics in
            let client = try manager.createClient(updateBuffering: .discard)
            _ = try await client.send(json: #"{"@type":"testCallEmpty"}"#)
            #expect(requests(metrics, "\(client.id)", "ok") == 1)
            try await client.close()
        }
    }

    @Test func requestsInFlightAreCountedUntilTheClientIsGivenUp() async throws {
        try await withMetrics { simulator, manager, metrics in
            let client = try manager.createClient(updateBuffering: .discard, metricsLabel: "held")
            simulator.hold("testCallEmpty")
            simulator.hold("close")  // TDLib never closes it: the client is given up, its requests end `closed`
            let inFlightRequests = (0..<5).map { _ in
                Task { try await client.send(json: #"{"@type":"testCallEmpty"}"#) }
            }
            try await simulator.waitForRequests("testCallEmpty", count: 5)
            #expect(try inFlight(metrics, "held") == 5)

            let timedOut = await #expect(throws: TDClientError.self) {
                try await client.send(json: #"{"@type":"testCallEmpty"}"#, timeout: .milliseconds(1))
            }
            #expect(timedOut?.code == .timedOut)
            #expect(requests(metrics, "held", "timed_out") == 1)

            let closing = await #expect(throws: TDClientError.self) {
                try await client.close(timeout: .milliseconds(1))
            }
            #expect(closing?.code == .timedOut)
            for request in inFlightRequests {
                let error = await #expect(throws: TDClientError.self) { try await request.value }
                #expect(error?.code == .clientClosed)
            }
            #expect(requests(metrics, "held", "closed") == 5)
            #expect(requests(metrics, "held", "ok") == 0)
            #expect(try inFlight(metrics, "held") == 0)
            simulator.release("close")
        }
    }

    @Test func cancelledRequestsAreCounted() async throws {
        try await withMetrics { simulator, manager, metrics in
            let client = try manager.createClient(updateBuffering: .discard, metricsLabel: "c")
            simulator.hold("testCallEmpty")
            let request = Task { try await client.send(json: #"{"@type":"testCallEmpty"}"#) }
            try await simulator.waitForRequests("testCallEmpty", count: 1)
            request.cancel()
            let error = await #expect(throws: TDClientError.self) { try await request.value }
            #expect(error?.code == .cancelled)
            #expect(requests(metrics, "c", "cancelled") == 1)
            #expect(try inFlight(metrics, "c") == 0)
            simulator.release("testCallEmpty")
            try await client.close()
        }
    }

    /// Sends the parameters, closes the client, then reads what its stream kept: every update has been
    /// routed once the close returns.
    private func updatesKept(by client: TDClient) async throws -> Int {
        _ = try await client.send(
            SetTdlibParameters(
                useTestDc: true, databaseDirectory: try SimulatedTelegram.temporaryDirectory(), filesDirectory: "",
                databaseEncryptionKey: [], useFileDatabase: false, useChatInfoDatabase: false,
                useMessageDatabase: false, useSecretChats: false, apiId: 94575, apiHash: "simulated",
                systemLanguageCode: "en", deviceModel: "tests", systemVersion: "", applicationVersion: "1"),
            timeout: .seconds(60))
        try await client.close()
        var kept = 0
        for await _ in client.updates { kept += 1 }
        return kept
    }

    @Test func updatesDeliveredAreCounted() async throws {
        try await withMetrics { _, manager, metrics in
            let client = try manager.createClient(updateBuffering: .unbounded, metricsLabel: "u")
            let kept = try await updatesKept(by: client)
            #expect(kept >= 3)  // the starting options, the authorization states, closing and closed
            #expect(try metrics.expectCounter("tdlib_updates_delivered_total", [("client", "u")]).totalValue == kept)
            let dropped = try? metrics.expectCounter("tdlib_updates_dropped_total", [("client", "u")]).totalValue
            #expect((dropped ?? 0) == 0)
        }
    }

    @Test func updatesDroppedByAFullBufferAreCounted() async throws {
        try await withMetrics { _, manager, metrics in
            let client = try manager.createClient(updateBuffering: .keepNewest(1), metricsLabel: "slow")
            let kept = try await updatesKept(by: client)
            #expect(kept == 1)  // authorizationStateClosed, the newest
            let delivered = try metrics.expectCounter("tdlib_updates_delivered_total", [("client", "slow")])
            let dropped = try metrics.expectCounter("tdlib_updates_dropped_total", [("client", "slow")])
            #expect(dropped.totalValue >= 2)
            #expect(delivered.totalValue - dropped.totalValue == kept)
        }
    }

    /// Without a backend a client has no metrics, so its requests skip them (and the clock) entirely.
    @Test func withoutABackendAClientHasNoMetrics() {
        #expect(TDClientMetrics.make(factory: TestMetrics(), client: "a") != nil)
        #expect(TDClientMetrics.make(factory: NOOPMetricsHandler.instance, client: "a") == nil)
    }
}
