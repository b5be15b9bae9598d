import CoreMetrics
import Foundation
import Synchronization
import TDLib

/// What the core's metrics cost: raw JSON round trips with no backend (swift-metrics' no-op, the default)
/// and with a backend that counts, in alternating rounds of the same run, next to the bare loop.
func metricsRoundTrips(count: Int, rounds: Int = 3) async throws {
    let library = try TDLibrary.load()
    quietTDLibLog(library)
    let window = 10_000
    let counting = CountingMetrics()
    print("Round trips of testCallString through \(library.path): the core's metrics off and on")
    print("\(count) requests per measure, pipelined window \(window), median of \(rounds) alternating rounds\n")

    let names = ["bare td_send/td_receive loop", "raw JSON, metrics off (no backend)", "raw JSON, counting backend"]
    var figures: [String: [RoundTripFigures]] = [:]
    for _ in 0..<rounds {
        figures[names[0], default: []].append(bareRoundTrips(library, count: count, window: window))
        figures[names[1], default: []].append(
            try await layeredRoundTrips(library, path: .raw, count: count, window: window))
        figures[names[2], default: []].append(
            try await layeredRoundTrips(library, path: .raw, count: count, window: window, metricsFactory: counting))
    }
    let rows = names.map { name in
        let all = figures[name] ?? []
        return (name: name, sequential: median(all.map(\.sequential)), pipelined: median(all.map(\.pipelined)))
    }
    print(pad("", 38) + pad("sequential/s", 14) + pad("pipelined/s", 14) + pad("vs off seq", 12) + "vs off pipe")
    for row in rows {
        let sequentialRate = Double(count) / seconds(row.sequential)
        let pipelinedRate = Double(count) / seconds(row.pipelined)
        print(
            pad(row.name, 38) + pad(format(sequentialRate), 14) + pad(format(pipelinedRate), 14)
                + pad(String(format: "%.2f", seconds(rows[1].sequential) / seconds(row.sequential)), 12)
                + String(format: "%.2f", seconds(rows[1].pipelined) / seconds(row.pipelined)))
        record([
            "benchmark": "metrics", "path": row.name, "sequential_per_s": sequentialRate,
            "pipelined_per_s": pipelinedRate,
        ])
    }
    // Each measured round sends `count` twice plus a warm-up request.
    let expected = rounds * (2 * count + 1)
    print("\ncounting backend: \(counting.requests) requests counted (expected \(expected))")
}

/// A metrics backend that only counts, with atomics, as a real one does at least.
final class CountingMetrics: MetricsFactory {
    private let handler = CountingHandler()

    var requests: Int64 { handler.counted.load(ordering: .relaxed) }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        label == "tdlib_requests_total" ? handler : CountingHandler()
    }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        CountingHandler()
    }
    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler { CountingHandler() }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { CountingHandler() }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

/// Every kind of handler in one: a count of calls and a sum, both atomic.
final class CountingHandler: CounterHandler, RecorderHandler, MeterHandler, TimerHandler {
    let counted = Atomic<Int64>(0)
    let sum = Atomic<Int64>(0)

    func increment(by amount: Int64) {
        counted.add(1, ordering: .relaxed)
        sum.add(amount, ordering: .relaxed)
    }
    func reset() { sum.store(0, ordering: .relaxed) }
    func record(_ value: Int64) { increment(by: value) }
    func record(_ value: Double) { increment(by: Int64(value)) }
    func set(_ value: Int64) { sum.store(value, ordering: .relaxed) }
    func set(_ value: Double) { sum.store(Int64(value), ordering: .relaxed) }
    func increment(by amount: Double) { sum.add(Int64(amount), ordering: .relaxed) }
    func decrement(by amount: Double) { sum.subtract(Int64(amount), ordering: .relaxed) }
    func recordNanoseconds(_ duration: Int64) { increment(by: duration) }
}
