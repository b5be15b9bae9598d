import CoreMetrics
import Foundation
import TDLib
import TDLibAPIClient
import Telegram

struct RoundTripFigures {
    var sequential: Duration
    var pipelined: Duration
}

/// A bare loop calling td_send/td_receive directly: the limit any wrapper can reach.
func bareRoundTrips(_ library: TDLibrary, count: Int, window: Int) -> RoundTripFigures {
    let client = library.createClientID()
    let clock = ContinuousClock()
    return withCString(request) { pointer in
        library.send(clientID: client, request: pointer)
        bareReceive(library, count: 1, matching: isTestString)
        let sequential = clock.measure {
            for _ in 0..<count {
                library.send(clientID: client, request: pointer)
                bareReceive(library, count: 1, matching: isTestString)
            }
        }
        let pipelined = clock.measure {
            var sent = 0
            var received = 0
            while received < count {
                while sent < count, sent - received < window {
                    library.send(clientID: client, request: pointer)
                    sent += 1
                }
                bareReceive(library, count: 1, matching: isTestString)
                received += 1
            }
        }
        withCString(#"{"@type":"close"}"#) { library.send(clientID: client, request: $0) }
        bareReceive(library, count: 1) { strstr($0, "authorizationStateClosed") != nil }
        return RoundTripFigures(sequential: sequential, pipelined: pipelined)
    }
}

/// How a round trip is made above the bare loop.
enum Path: String, CaseIterable {
    case raw = "TDClientManager, raw JSON"
    case typed = "typed API (TDLibAPIClient)"
    case telegram = "Telegram client"
}

/// The same through the library's layers: `send` is one round trip on a fresh client of `path`.
/// `metricsFactory` is where the raw and typed paths' metrics go; `nil` leaves swift-metrics' no-op default.
func layeredRoundTrips(
    _ library: TDLibrary, path: Path, count: Int, window: Int, metricsFactory: (any MetricsFactory)? = nil
) async throws -> RoundTripFigures {
    let bytes = Array(request.utf8)
    let typed = TestCallString(x: "hello, world")
    let send: @Sendable () async throws -> Void
    let finish: () async throws -> Void
    switch path {
    case .raw, .typed:
        let manager = try TDClientManager(library: library, metricsFactory: metricsFactory)
        let client = try manager.createClient(updateBuffering: .discard)
        if path == .raw {
            send = { _ = try await client.send(json: bytes) }
        } else {
            send = { _ = try await client.send(typed) }
        }
        // Shutting down releases the library, so the next round's bare loop can receive again.
        finish = { try await manager.shutdown(timeout: .seconds(30)) }
    case .telegram:
        var configuration = try TelegramConfiguration(
            apiID: 94575, apiHash: "bench", databaseEncryptionKey: "bench", phone: "+15550100001")
        configuration.library = library
        configuration.tdlibVerbosity = 1
        configuration.filesDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("tdlib-bench-\(UUID().uuidString)").path
        let telegram = try await Telegram(configuration: configuration)
        send = { _ = try await telegram.send(typed) }
        finish = {
            await telegram.stop()
            try await TDClientManager.shared(for: library).shutdown(timeout: .seconds(30))
        }
    }
    try await send()
    let clock = ContinuousClock()
    var start = clock.now
    for _ in 0..<count { try await send() }
    let sequential = clock.now - start

    // `window` tasks, each sending its share one after the other: `window` requests always in flight.
    start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<window {
            let share = count / window + (worker < count % window ? 1 : 0)
            group.addTask {
                for _ in 0..<share { try await send() }
            }
        }
        try await group.waitForAll()
    }
    let pipelined = clock.now - start
    try await finish()
    return RoundTripFigures(sequential: sequential, pipelined: pipelined)
}

func roundTrips(count: Int, rounds: Int = 3) async throws {
    let library = try TDLibrary.load()
    quietTDLibLog(library)
    let window = 10_000
    print("Round trips of testCallString through \(library.path)")
    print("\(count) requests per measure, pipelined window \(window), median of \(rounds) alternating rounds\n")

    var figures: [String: [RoundTripFigures]] = [:]
    let names = ["bare td_send/td_receive loop"] + Path.allCases.map(\.rawValue)
    for _ in 0..<rounds {
        figures[names[0], default: []].append(bareRoundTrips(library, count: count, window: window))
        for path in Path.allCases {
            figures[path.rawValue, default: []].append(
                try await layeredRoundTrips(library, path: path, count: count, window: window))
        }
    }
    let rows = names.map { name in
        let all = figures[name] ?? []
        return (name: name, sequential: median(all.map(\.sequential)), pipelined: median(all.map(\.pipelined)))
    }
    print(pad("", 32) + pad("sequential/s", 14) + pad("pipelined/s", 14) + pad("vs bare seq", 13) + "vs bare pipe")
    for row in rows {
        let sequentialRate = Double(count) / seconds(row.sequential)
        let pipelinedRate = Double(count) / seconds(row.pipelined)
        print(
            pad(row.name, 32) + pad(format(sequentialRate), 14) + pad(format(pipelinedRate), 14)
                + pad(String(format: "%.2f", seconds(rows[0].sequential) / seconds(row.sequential)), 13)
                + String(format: "%.2f", seconds(rows[0].pipelined) / seconds(row.pipelined)))
        record([
            "benchmark": "roundtrips", "path": row.name, "sequential_per_s": sequentialRate,
            "pipelined_per_s": pipelinedRate,
        ])
    }
    print(
        "\ntargets (issue 20): sequential at least 0.95 of the bare loop; pipelined at least 0.80 for raw JSON "
            + "and 0.70 through Telegram")
}
