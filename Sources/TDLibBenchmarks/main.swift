import Foundation
import Synchronization
import TDLib
import TDLibAPIClient
import TDLibSimulator
import Telegram

// Benchmarks against a bare loop that calls td_send/td_receive directly, on the same libtdjson in the
// same run. Prints figures and ratios, and with BENCH_JSON=path appends them there as JSON lines; never
// fails on a slow machine.
//
//   TDLibBenchmarks  roundtrips [count]                 testCallString: bare, raw JSON, typed, Telegram
//   TDLibBenchmarks  clients bare|manager|telegram [n]  n clients to authorizationStateWaitPhoneNumber, closed
//   TDLibBenchmarks  simulator                          the simulator's requests/s and updates/s
//   TDLibBenchmarks  soak [seconds] [clients]           clients ping-pong for a long time: memory, latency
//   TDLibBenchmarks  bots [messages]                    messages through routes and filters vs a raw stream
//   TDLibBenchmarks  store                              the store's updates/s and memory; chats and history paged
//   TDLibBenchmarks  testing [worlds] [parallel]        TelegramTesting: worlds/s, a 10-message test, tests in parallel

/// Writes a line at once, so that progress shows through a pipe.
func print(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

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

/// How a round trip is made above the bare loop.
enum Path: String, CaseIterable {
    case raw = "TDClientManager, raw JSON"
    case typed = "typed API (TDLibAPIClient)"
    case telegram = "Telegram client"
}

/// The same through the library's layers: `send` is one round trip on a fresh client of `path`.
func layeredRoundTrips(_ library: TDLibrary, path: Path, count: Int, window: Int) async throws -> RoundTripFigures {
    let bytes = Array(request.utf8)
    let typed = TestCallString(x: "hello, world")
    let send: @Sendable () async throws -> Void
    let finish: () async throws -> Void
    switch path {
    case .raw, .typed:
        let manager = try TDClientManager(library: library)
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

func median(_ values: [Duration]) -> Duration {
    values.sorted()[values.count / 2]
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
    print("\ntargets: sequential at least 0.90 of the bare loop, pipelined at least 0.50")
}

/// Appends one result to the JSON-lines file named by BENCH_JSON, when set.
func record(_ fields: [String: Any]) {
    guard let path = ProcessInfo.processInfo.environment["BENCH_JSON"],
        let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    else { return }
    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    guard let handle = FileHandle(forWritingAtPath: path) else { return }
    handle.seekToEndOfFile()
    handle.write(data + Data("\n".utf8))
    try? handle.close()
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
    case "telegram":
        let clients = try await withThrowingTaskGroup(of: Telegram.self) { group in
            for (index, directory) in directories.enumerated() {
                group.addTask {
                    var configuration = try TelegramConfiguration(
                        apiID: 94575, apiHash: "a3406de8d171bb422bb6ddf3bbd800e2", databaseEncryptionKey: "",
                        phone: "+1555\(1_000_000 + index)")
                    configuration.library = library
                    configuration.useTestDC = true
                    configuration.useMessageDatabase = false
                    configuration.tdlibVerbosity = 1
                    configuration.filesDirectory = directory
                    configuration.stepTimeout = .seconds(120)
                    let telegram = try await Telegram(configuration: configuration)
                    // Offline, the login stops at the phone number: TDLib waits for the network there.
                    let stepDone = Task { _ = try? await telegram.login(blocking: false) }
                    while telegram.authorizationState != .waitPhoneNumber {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    stepDone.cancel()
                    return telegram
                }
            }
            return try await group.reduce(into: [Telegram]()) { $0.append($1) }
        }
        ready = clock.now - start
        rssReady = processStatus("VmRSS")
        threadsReady = processStatus("Threads")
        start = clock.now
        await withTaskGroup(of: Void.self) { group in
            for telegram in clients { group.addTask { await telegram.stop(closeTimeout: .seconds(60)) } }
        }
        closed = clock.now - start
        try await TDClientManager.shared(for: library).shutdown(timeout: .seconds(60))
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
    record([
        "benchmark": "clients", "mode": mode, "count": count, "ready_s": seconds(ready), "mib_per_client": perClient,
        "threads": threadsReady, "closed_s": seconds(closed),
    ])
    print(
        "\(pad(mode, 8)) clients \(count): ready in \(String(format: "%.2f", seconds(ready))) s, "
            + "\(String(format: "%.2f", perClient)) MiB per client, threads \(threadsBefore) -> \(threadsReady), "
            + "closed in \(String(format: "%.2f", seconds(closed))) s")
}

/// The simulator in process: how many requests and updates a second it serves through the core.
func simulatorBenchmark() async throws {
    let count = Int(ProcessInfo.processInfo.environment["BENCH_SIMULATOR_REQUESTS"] ?? "") ?? 100_000
    let simulator = TDSimulator()
    let manager = try TDClientManager(library: simulator)
    let client = try manager.createClient(updateBuffering: .discard)
    let bytes = Array(request.utf8)
    _ = try await client.send(json: bytes)
    let clock = ContinuousClock()
    var start = clock.now
    for _ in 0..<count { _ = try await client.send(json: bytes) }
    let sequential = Double(count) / seconds(clock.now - start)
    start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<1_000 {
            group.addTask { for _ in 0..<(count / 1_000) { _ = try await client.send(json: bytes) } }
        }
        try await group.waitForAll()
    }
    let pipelined = Double(count) / seconds(clock.now - start)
    try await manager.shutdown()
    print("Simulator, in process through TDClientManager")
    print("requests: \(format(sequential))/s sequential, \(format(pipelined))/s with 1,000 in flight")
    record(["benchmark": "simulator-requests", "sequential_per_s": sequential, "pipelined_per_s": pipelined])

    for clients in [1, 100] {
        let rate = try await floodRate(clients: clients, slowConsumer: false)
        print("updates to AsyncSequence readers, \(clients) client(s): \(format(rate))/s in all")
        record(["benchmark": "simulator-updates", "clients": clients, "reader": "stream", "per_s": rate])
    }
    let handlers = try await handlerRate()
    print("updates to Telegram update handlers, 1 client: \(format(handlers))/s")
    record(["benchmark": "simulator-updates", "clients": 1, "reader": "handlers", "per_s": handlers])
    let fast = try await floodRate(clients: 10, slowConsumer: false)
    let withSlow = try await floodRate(clients: 10, slowConsumer: true)
    print(
        "10 clients, per fast reader: \(format(fast / 10))/s alone, \(format(withSlow / 9))/s beside one reader "
            + "that sleeps 1 ms per update (ratio \(String(format: "%.2f", withSlow / 9 / (fast / 10))))")
    record([
        "benchmark": "simulator-slow-reader", "fast_alone_per_s": fast / 10, "fast_beside_slow_per_s": withSlow / 9,
    ])
}

/// A scenario whose ready clients get a flood of `updateOption`, 400,000 a second shared among them
/// (below what one receive thread drains, so that closing is not queued behind a backlog).
func floodScenario(clients: Int = 1) -> SimulatorScenario {
    var scenario = SimulatorScenario.default
    scenario.events = []
    scenario.faults = SimulatorScenario.Faults(updatesPerSecond: 400_000 / max(1, clients))
    return scenario
}

let botLogin = [
    #"{"@type":"setTdlibParameters","database_directory":"DIR","api_id":1,"api_hash":"x","system_language_code":"en","device_model":"b","application_version":"1"}"#,
    #"{"@type":"checkAuthenticationBotToken","token":"1000001:SIMULATOR-BOT-TOKEN"}"#,
]

/// Updates a second delivered to fast readers of `clients` flooded clients over two seconds; with
/// `slowConsumer`, the first client's reader sleeps 1 ms per update and is not counted.
func floodRate(clients: Int, slowConsumer: Bool) async throws -> Double {
    let simulator = TDSimulator(scenario: floodScenario(clients: clients))
    let manager = try TDClientManager(library: simulator)
    let counted = Counter()
    var readers: [Task<Void, Never>] = []
    for index in 0..<clients {
        let client = try manager.createClient(updateBuffering: .keepNewest(100_000))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flood-\(UUID().uuidString)").path
        _ = try await client.send(json: botLogin[0].replacingOccurrences(of: "DIR", with: directory))
        let slow = slowConsumer && index == 0
        readers.append(
            Task {
                for await _ in client.updates {
                    if slow { try? await Task.sleep(for: .milliseconds(1)) } else { counted.add() }
                }
            })
        _ = try await client.send(json: botLogin[1])
    }
    try await Task.sleep(for: .milliseconds(300))
    let before = counted.value
    let start = ContinuousClock.now
    try await Task.sleep(for: .seconds(2))
    let rate = Double(counted.value - before) / seconds(ContinuousClock.now - start)
    for reader in readers { reader.cancel() }
    try await manager.shutdown(timeout: .seconds(60))
    return rate
}

/// Updates a second reaching a Telegram client's update handler.
func handlerRate() async throws -> Double {
    let simulator = TDSimulator(scenario: floodScenario())
    var configuration = try TelegramConfiguration(
        apiID: 1, apiHash: "x", databaseEncryptionKey: "k", botToken: "1000001:SIMULATOR-BOT-TOKEN")
    configuration.library = simulator
    configuration.updateBufferSize = 1_000_000
    configuration.filesDirectory =
        FileManager.default.temporaryDirectory.appendingPathComponent("flood-\(UUID().uuidString)").path
    let telegram = try await Telegram(configuration: configuration)
    let counted = Counter()
    telegram.addUpdateHandler("updateOption") { _ in counted.add() }
    _ = try await telegram.login(blocking: false)
    try await Task.sleep(for: .milliseconds(300))
    let before = counted.value
    let start = ContinuousClock.now
    try await Task.sleep(for: .seconds(2))
    let rate = Double(counted.value - before) / seconds(ContinuousClock.now - start)
    await telegram.stop()
    try await TDClientManager.shared(for: simulator).shutdown()
    return rate
}

/// A count shared by readers.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

switch command {
case "simulator":
    try await simulatorBenchmark()
case "store":
    try await storeBenchmark()
case "roundtrips":
    try await roundTrips(count: Int(arguments.dropFirst().first ?? "") ?? 100_000)
case "clients":
    try await manyClients(
        mode: arguments.dropFirst().first ?? "manager", count: Int(arguments.dropFirst(2).first ?? "") ?? 1000)
case "bots":
    try await botsBenchmark(messages: Int(arguments.dropFirst().first ?? "") ?? 100_000)
case "testing":
    try await testingBenchmark(
        worlds: Int(arguments.dropFirst().first ?? "") ?? 50, parallel: Int(arguments.dropFirst(2).first ?? "") ?? 100)
case "soak":
    try await soak(
        duration: Int(arguments.dropFirst().first ?? "") ?? 600, clients: Int(arguments.dropFirst(2).first ?? "") ?? 100
    )
default:
    print(
        "usage: TDLibBenchmarks roundtrips [count] | clients bare|manager|telegram [count] | simulator"
            + " | soak [seconds] [clients] | bots [messages] | store | testing [worlds] [parallel]")
    exit(2)
}
