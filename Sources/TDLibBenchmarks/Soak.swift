import Foundation
import TDLib
import TDLibSimulator
import Telegram

// The soak: many Telegram clients send and receive against the in-process simulator for a long time,
// while the process's memory is sampled. Every ping must get its answer and every request must end;
// memory after warm-up must stay flat. Each round deletes what it sent, so the simulated server keeps
// a bounded history and any growth is the client's own.

/// Latencies of one kind of request, as a histogram of 1 % wide buckets from 1 µs to about 100 s.
///
/// A histogram, not a list of samples: the soak makes millions of requests, and a list would grow by
/// megabytes a minute, which is the very growth the soak watches for.
struct Latencies: Sendable {
    private static let growth = 1.01
    private static let bucketCount = 1_900
    private var counts = [Int](repeating: 0, count: Latencies.bucketCount)
    private(set) var count = 0
    private var maximum = 0.0

    mutating func add(_ duration: Duration) {
        let value = seconds(duration)
        let microseconds = max(1, value * 1e6)
        counts[min(Self.bucketCount - 1, Int(log(microseconds) / log(Self.growth)))] += 1
        count += 1
        maximum = max(maximum, value)
    }

    mutating func merge(_ other: Latencies) {
        for index in counts.indices { counts[index] += other.counts[index] }
        count += other.count
        maximum = max(maximum, other.maximum)
    }

    /// The latency below which `fraction` of the requests were, in milliseconds (within 1 %).
    func percentile(_ fraction: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = max(1, Int((Double(count) * fraction).rounded(.up)))
        var seen = 0
        for (index, bucketCount) in counts.enumerated() {
            seen += bucketCount
            if seen >= rank { return min(maximum, pow(Self.growth, Double(index + 1)) / 1e6) * 1000 }
        }
        return maximum * 1000
    }

    /// "p50 … p99 … max" in milliseconds.
    var summary: String {
        let figures = [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999)]
            .map { "\($0.0) \(String(format: "%.2f", percentile($0.1)))" }
        return figures.joined(separator: ", ") + ", max \(String(format: "%.2f", maximum * 1000)) ms"
    }
}

/// What one client did in the soak.
struct SoakWorkerResult: Sendable {
    var send = Latencies()
    var reply = Latencies()
    var history = Latencies()
    var pings = 0
    var pongs = 0
    var failures: [String] = []
}

/// `clients` accounts of their own, each answering "ping" with "pong" in the private chat with 2001.
func soakScenario(clients: Int) -> SimulatorScenario {
    var scenario = SimulatorScenario.default
    scenario.accounts += (0..<clients).map { index in
        SimulatorScenario.Account(
            phone: "+1555030\(String(format: "%04d", index))", code: "11111", userID: 50_000 + Int64(index),
            firstName: "Soak \(index)")
    }
    scenario.events = [SimulatorScenario.Event(type: "reply", after: 0.01, text: "pong", whenText: "ping")]
    return scenario
}

let soakChat: Int64 = 2001

/// One client's loop until `deadline`: send "ping" and wait until Telegram has it, wait for "pong",
/// read the last message back, delete both.
func soakWorker(_ telegram: Telegram, until deadline: ContinuousClock.Instant) async -> SoakWorkerResult {
    var result = SoakWorkerResult()
    let clock = ContinuousClock()
    var incoming = telegram.updates(types: ["updateNewMessage"]).makeAsyncIterator()
    while clock.now < deadline {
        do {
            var start = clock.now
            let sent = try await telegram.sendMessageAndWait(chatID: soakChat, text: "ping")
            result.send.add(clock.now - start)
            result.pings += 1
            var pongID: Int64?
            while pongID == nil, let update = await incoming.next() {
                guard case .newMessage(let new) = update, new.message.chatId == soakChat, !new.message.isOutgoing,
                    case .text(let text) = new.message.content, text.text.text == "pong"
                else { continue }
                pongID = new.message.id
            }
            guard let pongID else {
                result.failures.append("the update stream ended before the pong")
                break
            }
            result.reply.add(clock.now - start)
            result.pongs += 1
            start = clock.now
            _ = try await telegram.getChatHistory(chatID: soakChat, limit: 1)
            result.history.add(clock.now - start)
            try await telegram.deleteMessages(chatID: soakChat, messageIDs: [sent.id, pongID])
        } catch {
            result.failures.append("\(error)")
            if result.failures.count > 10 { break }
        }
    }
    return result
}

/// Resident memory in MiB, sampled until cancelled.
final class MemorySamples: Sendable {
    private let samples = Locked<[(seconds: Double, mebibytes: Double)]>([])

    func add(at seconds: Double) {
        let mebibytes = Double(processStatus("VmRSS")) / 1024
        samples.withLock { $0.append((seconds, mebibytes)) }
    }

    var all: [(seconds: Double, mebibytes: Double)] { samples.withLock { $0 } }
}

/// Least-squares slope of memory over time, in MiB per minute.
func slopePerMinute(_ points: [(seconds: Double, mebibytes: Double)]) -> Double {
    guard points.count > 1 else { return 0 }
    let count = Double(points.count)
    let meanX = points.map(\.seconds).reduce(0, +) / count
    let meanY = points.map(\.mebibytes).reduce(0, +) / count
    let covariance = points.map { ($0.seconds - meanX) * ($0.mebibytes - meanY) }.reduce(0, +)
    let variance = points.map { ($0.seconds - meanX) * ($0.seconds - meanX) }.reduce(0, +)
    return variance > 0 ? covariance / variance * 60 : 0
}

/// `TDLibBenchmarks soak [seconds] [clients]`: exits 1 when a ping is lost, a request fails or a client hangs.
func soak(duration: Int, clients: Int) async throws {
    let simulator = TDSimulator(scenario: soakScenario(clients: clients))
    let clock = ContinuousClock()
    let begin = clock.now
    let memory = MemorySamples()
    let interval = Duration.milliseconds(max(250, duration * 1000 / 120))
    let sampler = Task {
        while !Task.isCancelled {
            memory.add(at: seconds(clock.now - begin))
            try? await Task.sleep(for: interval)
        }
    }
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("soak-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    print("Soak: \(clients) clients, \(duration) s, against the simulator in process")
    var telegrams: [Telegram] = []
    for index in 0..<clients {
        var configuration = try TelegramConfiguration(
            apiID: 1, apiHash: "soak", databaseEncryptionKey: "soak key",
            phone: "+1555030\(String(format: "%04d", index))")
        configuration.library = simulator
        configuration.filesDirectory = "\(root)/\(index)"
        telegrams.append(try await Telegram(configuration: configuration))
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
        for telegram in telegrams {
            group.addTask {
                _ = try await telegram.login(blocking: false)
                guard try await telegram.sendCode("11111") == .ready else {
                    throw TelegramError(.unexpectedState, "a soak account did not log in")
                }
            }
        }
        try await group.waitForAll()
    }
    let loggedIn = seconds(clock.now - begin)
    print("logged in: \(clients) clients in \(String(format: "%.2f", loggedIn)) s")

    let deadline = clock.now + .seconds(duration)
    // A worker still running a minute after the deadline is hung: report it, never wait forever.
    let grace = Duration.seconds(60)
    let results = await withTaskGroup(of: SoakWorkerResult?.self) { group in
        for telegram in telegrams { group.addTask { await soakWorker(telegram, until: deadline) } }
        group.addTask {
            try? await Task.sleep(until: deadline + grace)
            return nil
        }
        var results: [SoakWorkerResult] = []
        while results.count < clients, let next = await group.next() {
            guard let next else { break }
            results.append(next)
        }
        group.cancelAll()
        return results
    }
    let ran = seconds(clock.now - begin) - loggedIn
    for telegram in telegrams { await telegram.stop() }
    try await TDClientManager.shared(for: simulator).shutdown(timeout: .seconds(60))
    sampler.cancel()
    memory.add(at: seconds(clock.now - begin))

    var total = SoakWorkerResult()
    for result in results {
        total.send.merge(result.send)
        total.reply.merge(result.reply)
        total.history.merge(result.history)
        total.pings += result.pings
        total.pongs += result.pongs
        total.failures += result.failures
    }
    let hung = clients - results.count
    let requests = total.send.count * 2 + total.history.count + total.pongs
    print(
        "rounds: \(total.pings) pings, \(total.pongs) pongs (\(total.pings - total.pongs) lost), "
            + "\(requests) requests in \(String(format: "%.0f", ran)) s "
            + "(\(format(Double(requests) / ran))/s), \(total.failures.count) failures, \(hung) clients hung")
    for failure in Set(total.failures).prefix(5) { print("  failure: \(failure)") }
    print("sendMessage until sent:  \(total.send.summary)")
    print("ping to pong:            \(total.reply.summary) (the simulator answers after 10 ms)")
    print("getChatHistory:          \(total.history.summary)")

    let samples = memory.all
    let running = samples.filter { $0.seconds >= loggedIn && $0.seconds <= loggedIn + ran }
    // Warm-up: the first fifth of the run, at least 10 s, when caches and buffers fill.
    let warmUp = loggedIn + max(10, ran / 5)
    let steady = running.filter { $0.seconds >= warmUp }
    let atWarmUp = steady.first?.mebibytes ?? 0
    let atEnd = steady.last?.mebibytes ?? 0
    let peak = samples.map(\.mebibytes).max() ?? 0
    let slope = slopePerMinute(steady)
    print("memory over time (RSS, MiB):")
    let step = max(1, samples.count / 12)
    for (index, sample) in samples.enumerated() where index % step == 0 || index == samples.count - 1 {
        print("  \(String(format: "%6.0f", sample.seconds)) s  \(String(format: "%7.1f", sample.mebibytes))")
    }
    print(
        "memory after warm-up: \(String(format: "%.1f", atWarmUp)) -> \(String(format: "%.1f", atEnd)) MiB "
            + "(\(String(format: "%+.1f", atEnd - atWarmUp)) MiB, slope \(String(format: "%+.2f", slope)) MiB/min), "
            + "peak \(String(format: "%.1f", peak)) MiB")
    record([
        "benchmark": "soak", "clients": clients, "seconds": ran, "pings": total.pings, "pongs": total.pongs,
        "requests_per_s": Double(requests) / ran, "failures": total.failures.count, "hung": hung,
        "send_p50_ms": total.send.percentile(0.5), "send_p99_ms": total.send.percentile(0.99),
        "reply_p50_ms": total.reply.percentile(0.5), "reply_p99_ms": total.reply.percentile(0.99),
        "history_p50_ms": total.history.percentile(0.5), "history_p99_ms": total.history.percentile(0.99),
        "rss_after_warmup_mib": atWarmUp, "rss_end_mib": atEnd, "rss_slope_mib_per_min": slope,
    ])
    if total.pings != total.pongs || !total.failures.isEmpty || hung > 0 {
        print("soak FAILED: something was lost, failed or hung")
        exit(1)
    }
}
