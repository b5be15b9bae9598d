import Foundation
import TDLib

// Benchmarks of the core against a bare loop that calls td_send/td_receive directly, on the same
// libtdjson in the same run. Prints figures and ratios; never fails on a slow machine.
//
//   tdlib-benchmarks roundtrips [count]          sequential and pipelined testCallString
//   tdlib-benchmarks clients bare|manager [n]    n clients to authorizationStateWaitPhoneNumber and closed

let arguments = CommandLine.arguments.dropFirst()
let command = arguments.first ?? "roundtrips"

func processStatus(_ key: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") ?? 0
    }
    return 0
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func format(_ value: Double) -> String { String(format: "%.0f", value) }

func withCString<R>(_ json: String, _ body: (UnsafePointer<CChar>) -> R) -> R {
    json.withCString(body)
}

/// Receives until `predicate` has matched `count` objects; everything else is skipped.
func bareReceive(_ library: TDLibrary, count: Int, matching predicate: (UnsafePointer<CChar>) -> Bool) {
    var matched = 0
    var lastProgress = ContinuousClock.now
    while matched < count {
        // td_receive can also return nothing early, for example when a closed client is released.
        guard let object = library.receive(timeout: 1) else {
            if ContinuousClock.now - lastProgress > .seconds(30) {
                print("bare loop: nothing received for 30 s")
                exit(1)
            }
            continue
        }
        lastProgress = ContinuousClock.now
        if predicate(object) { matched += 1 }
    }
}

let testStringPrefix = Array(#"{"@type":"testString""#.utf8)
func isTestString(_ object: UnsafePointer<CChar>) -> Bool {
    object.withMemoryRebound(to: UInt8.self, capacity: testStringPrefix.count) { bytes in
        for index in 0..<testStringPrefix.count where bytes[index] != testStringPrefix[index] { return false }
        return true
    }
}

/// The bare loop runs before any manager, so it sets TDLib's log level itself, as the manager would.
func quietTDLibLog(_ library: TDLibrary) {
    _ = withCString(#"{"@type":"setLogVerbosityLevel","new_verbosity_level":1}"#) { library.execute(request: $0) }
}

let request = #"{"@type":"testCallString","x":"hello, world"}"#

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

/// The same through a TDClientManager with raw JSON requests.
func managerRoundTrips(_ library: TDLibrary, count: Int, window: Int) async throws -> RoundTripFigures {
    let manager = try TDClientManager(library: library)
    let client = try manager.createClient(updateBuffering: .discard)
    let bytes = Array(request.utf8)
    _ = try await client.send(json: bytes)
    let clock = ContinuousClock()
    var start = clock.now
    for _ in 0..<count { _ = try await client.send(json: bytes) }
    let sequential = clock.now - start

    // `window` tasks, each sending its share one after the other: `window` requests always in flight.
    start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<window {
            let share = count / window + (worker < count % window ? 1 : 0)
            group.addTask {
                for _ in 0..<share { _ = try await client.send(json: bytes) }
            }
        }
        try await group.waitForAll()
    }
    let pipelined = clock.now - start
    // Shutting down releases the library, so the next round's bare loop can receive again.
    try await manager.shutdown(timeout: .seconds(30))
    return RoundTripFigures(sequential: sequential, pipelined: pipelined)
}

func median(_ values: [Duration]) -> Duration {
    values.sorted()[values.count / 2]
}

func roundTrips(count: Int, rounds: Int = 3) async throws {
    let library = try TDLibrary.load()
    quietTDLibLog(library)
    let window = 10_000
    print("Round trips of testCallString through \(library.path)")
    print("\(count) requests per measure, pipelined window \(window), median of \(rounds) alternating rounds\n")

    var bare: [RoundTripFigures] = []
    var managed: [RoundTripFigures] = []
    for _ in 0..<rounds {
        bare.append(bareRoundTrips(library, count: count, window: window))
        managed.append(try await managerRoundTrips(library, count: count, window: window))
        if ProcessInfo.processInfo.environment["BENCH_VERBOSE"] != nil {
            let (b, m) = (bare[bare.count - 1], managed[managed.count - 1])
            print(
                "round: bare \(format(Double(count) / seconds(b.sequential))) \(format(Double(count) / seconds(b.pipelined)))"
                    + ", manager \(format(Double(count) / seconds(m.sequential))) \(format(Double(count) / seconds(m.pipelined)))"
            )
        }
    }
    let rows = [("bare td_send/td_receive loop", bare), ("TDClientManager, raw JSON", managed)].map {
        (name: $0.0, sequential: median($0.1.map(\.sequential)), pipelined: median($0.1.map(\.pipelined)))
    }
    print(pad("", 32) + pad("sequential/s", 16) + pad("pipelined/s", 16))
    for row in rows {
        print(
            pad(row.name, 32) + pad(format(Double(count) / seconds(row.sequential)), 16)
                + pad(format(Double(count) / seconds(row.pipelined)), 16))
    }
    print(
        "\nratio manager/bare: sequential "
            + String(format: "%.2f", seconds(rows[0].sequential) / seconds(rows[1].sequential))
            + ", pipelined " + String(format: "%.2f", seconds(rows[0].pipelined) / seconds(rows[1].pipelined))
            + "  (targets: at least 0.90 and 0.50)")
}

func parameters(_ directory: String) -> String {
    """
    {"@type":"setTdlibParameters","use_test_dc":true,"database_directory":"\(directory)",\
    "use_message_database":false,"api_id":94575,"api_hash":"a3406de8d171bb422bb6ddf3bbd800e2",\
    "system_language_code":"en","device_model":"bench","application_version":"1"}
    """
}

func manyClients(mode: String, count: Int) async throws {
    let library = try TDLibrary.load()
    quietTDLibLog(library)
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tdlib-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let directories = (0..<count).map { root.appendingPathComponent("\($0)").path }
    let rssBefore = processStatus("VmRSS")
    let threadsBefore = processStatus("Threads")
    let clock = ContinuousClock()
    var start = clock.now
    let ready: Duration
    let closed: Duration
    var rssReady = 0
    var threadsReady = 0

    switch mode {
    case "bare":
        let ids = (0..<count).map { _ in library.createClientID() }
        for (id, directory) in zip(ids, directories) {
            withCString(parameters(directory)) { library.send(clientID: id, request: $0) }
        }
        bareReceive(library, count: count) { strstr($0, "\"authorizationStateWaitPhoneNumber\"") != nil }
        ready = clock.now - start
        rssReady = processStatus("VmRSS")
        threadsReady = processStatus("Threads")
        start = clock.now
        for id in ids { withCString(#"{"@type":"close"}"#) { library.send(clientID: id, request: $0) } }
        bareReceive(library, count: count) { strstr($0, "\"authorizationStateClosed\"") != nil }
        closed = clock.now - start
    default:
        let manager = try TDClientManager(library: library)
        let clients = try await withThrowingTaskGroup(of: TDClient.self) { group in
            for directory in directories {
                group.addTask {
                    let client = try manager.createClient()
                    _ = try await client.send(json: parameters(directory))
                    for await update in client.updates
                    where update.hasType("updateAuthorizationState")
                        && update.string.contains("\"authorizationStateWaitPhoneNumber\"")
                    {
                        break
                    }
                    return client
                }
            }
            return try await group.reduce(into: [TDClient]()) { $0.append($1) }
        }
        ready = clock.now - start
        rssReady = processStatus("VmRSS")
        threadsReady = processStatus("Threads")
        start = clock.now
        try await manager.shutdown(timeout: .seconds(60))
        closed = clock.now - start
        _ = clients
    }
    let perClient = Double(rssReady - rssBefore) / 1024 / Double(count)
    print(
        "\(pad(mode, 8)) clients \(count): ready in \(String(format: "%.2f", seconds(ready))) s, "
            + "\(String(format: "%.2f", perClient)) MiB per client, threads \(threadsBefore) -> \(threadsReady), "
            + "closed in \(String(format: "%.2f", seconds(closed))) s")
}

switch command {
case "roundtrips":
    try await roundTrips(count: Int(arguments.dropFirst().first ?? "") ?? 100_000)
case "clients":
    try await manyClients(
        mode: arguments.dropFirst().first ?? "manager", count: Int(arguments.dropFirst(2).first ?? "") ?? 1000)
default:
    print("usage: tdlib-benchmarks roundtrips [count] | clients bare|manager [count]")
    exit(2)
}
