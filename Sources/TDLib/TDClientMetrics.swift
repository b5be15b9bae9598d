import CoreMetrics
import Foundation

/// How a request handed to TDLib ended, as the `outcome` dimension of ``TDClientMetrics``.
enum TDRequestOutcome: Int, CaseIterable {
    case ok
    case tdlibError
    case closed
    case timedOut
    case cancelled

    var label: String {
        switch self {
        case .ok: "ok"
        case .tdlibError: "tdlib_error"
        case .closed: "closed"
        case .timedOut: "timed_out"
        case .cancelled: "cancelled"
        }
    }
}

/// One client's metrics, made once when the client is created so that a request only calls them.
///
/// Nobody makes one when the factory is swift-metrics' no-op handler (no backend bootstrapped): then a
/// request pays one `nil` check and nothing else, not even a clock read.
final class TDClientMetrics: Sendable {
    static let requestsLabel = "tdlib_requests_total"
    static let durationLabel = "tdlib_request_duration_seconds"
    static let inFlightLabel = "tdlib_requests_in_flight"
    static let deliveredLabel = "tdlib_updates_delivered_total"
    static let droppedLabel = "tdlib_updates_dropped_total"

    /// Indexed by ``TDRequestOutcome/rawValue``.
    private let requests: [Counter]
    private let duration: CoreMetrics.Timer
    private let inFlight: Meter
    private let delivered: Counter
    private let dropped: Counter

    /// The metrics of one client, or `nil` when `factory` records nothing.
    static func make(factory: any MetricsFactory, client: String) -> TDClientMetrics? {
        if factory is NOOPMetricsHandler { return nil }
        return TDClientMetrics(factory: factory, client: client)
    }

    private init(factory: any MetricsFactory, client: String) {
        let dimensions = [("client", client)]
        requests = TDRequestOutcome.allCases.map { outcome in
            Counter(
                label: Self.requestsLabel, dimensions: dimensions + [("outcome", outcome.label)], factory: factory)
        }
        duration = CoreMetrics.Timer(label: Self.durationLabel, dimensions: dimensions, factory: factory)
        inFlight = Meter(label: Self.inFlightLabel, dimensions: dimensions, factory: factory)
        delivered = Counter(label: Self.deliveredLabel, dimensions: dimensions, factory: factory)
        dropped = Counter(label: Self.droppedLabel, dimensions: dimensions, factory: factory)
    }

    /// Counts a request in flight and returns when it started, for ``requestEnded(_:startedAt:)``.
    func requestStarted() -> UInt64 {
        inFlight.increment()
        return DispatchTime.now().uptimeNanoseconds
    }

    func requestEnded(_ outcome: TDRequestOutcome, startedAt start: UInt64) {
        let now = DispatchTime.now().uptimeNanoseconds
        duration.recordNanoseconds(Int64(clamping: now &- min(start, now)))
        requests[outcome.rawValue].increment()
        inFlight.decrement()
    }

    /// An update entered the client's stream.
    func updateDelivered() {
        delivered.increment()
    }

    /// The client's full buffer dropped an update.
    func updateDropped() {
        dropped.increment()
    }
}
