import InMemoryTracing
import TDLibSimulator
import Testing
import Tracing

@testable import TDLib

/// A span per request, each test with its own in-memory tracer bound with `withTracer` while it creates its
/// client: nothing is bootstrapped, so the tests run in parallel.
@Suite("Tracing of the core")
struct TracingTests {
    @Test func eachRequestIsASpanNamedAfterItsTypeWithItsOutcome() async throws {
        let simulator = TDSimulator()
        let manager = try TDClientManager(library: simulator)
        let tracer = InMemoryTracer()
        let client = try withTracer(tracer) {
            try manager.createClient(updateBuffering: .discard, metricsLabel: "traced")
        }
        _ = try await client.send(json: #"{"@type":"testCallEmpty"}"#)
        await #expect(throws: TDLibError.self) {
            try await client.send(
                json: #"{"@type":"testReturnError","error":{"@type":"error","code":418,"message":"TEAPOT"}}"#)
        }
        simulator.hold("testCallEmpty")
        let held = Task { try await client.send(json: #"{"@type":"testCallEmpty"}"#) }
        try await simulator.waitForRequests("testCallEmpty", count: 2)
        #expect(tracer.activeSpans.count == 1)
        try await manager.shutdown(timeout: .seconds(30))
        _ = await held.result

        let spans = tracer.finishedSpans
        #expect(spans.map(\.operationName) == ["testCallEmpty", "testReturnError", "testCallEmpty"])
        #expect(spans.allSatisfy { $0.kind == .client })
        #expect(
            spans.map { $0.attributes["tdlib.outcome"]?.toSpanAttribute() } == ["ok", "tdlib_error", "tdlib_error"])
        #expect(spans[0].attributes["tdlib.client"]?.toSpanAttribute() == "traced")
        #expect(spans[0].attributes["rpc.method"]?.toSpanAttribute() == "testCallEmpty")
        #expect(spans[0].status == nil && spans[0].errors.isEmpty)
        #expect(spans[1].status?.code == .error)
        #expect(spans[1].errors.first?.error as? TDLibError == TDLibError(code: 418, message: "TEAPOT"))
        #expect(tracer.activeSpans.isEmpty)
    }

    /// Without a tracer a client has no tracing, so its requests skip spans (and the scan of their type).
    @Test func withoutATracerAClientHasNoTracing() throws {
        #expect(TDClientTracing.make(client: "a") == nil)
        #expect(withTracer(InMemoryTracer()) { TDClientTracing.make(client: "a") } != nil)
    }
}
