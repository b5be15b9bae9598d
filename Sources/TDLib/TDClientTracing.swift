import Tracing

/// Where one client's request spans go: the tracer active when the client was created (swift-distributed-
/// tracing's bootstrapped one, or one bound with `withTracer`).
///
/// Nobody makes one when that tracer is the no-op one (none bootstrapped): then a request pays one `nil`
/// check and nothing else, not even a scan of its `@type`.
package final class TDClientTracing: Sendable {
    private let tracer: any Tracer
    private let client: String

    /// The tracing of one client, or `nil` when no tracer is active.
    static func make(client: String) -> TDClientTracing? {
        let tracer = InstrumentationSystem.tracer
        if tracer is NoOpTracer { return nil }
        return TDClientTracing(tracer: tracer, client: client)
    }

    private init(tracer: any Tracer, client: String) {
        self.tracer = tracer
        self.client = client
    }

    /// A client span named after the request's `@type`, a child of the caller's current span.
    func startSpan(for json: [UInt8]) -> any Span {
        let method = (try? TDJSONObject(bytes: json))?.type ?? ""
        let span = tracer.startSpan(method.isEmpty ? "TDLib request" : method, ofKind: .client)
        span.updateAttributes { attributes in
            attributes["rpc.system"] = "tdlib"
            attributes["rpc.method"] = method
            attributes["tdlib.client"] = client
        }
        return span
    }

    static func end(_ span: any Span, _ outcome: TDRequestOutcome, error: (any Error)?) {
        span.attributes["tdlib.outcome"] = outcome.label
        if let error {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
        }
        span.end()
    }
}
