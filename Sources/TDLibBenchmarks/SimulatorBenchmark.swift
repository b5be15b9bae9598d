import Foundation
import TDLib
import TDLibSimulator
import Telegram

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
