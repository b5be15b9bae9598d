import Foundation
import Telegram
import TelegramTesting

// `TDLibBenchmarks testing [worlds] [parallel]`: what TelegramTesting costs a test suite. Worlds created
// per second (a bot and a user logged in, then closed), one test of a 10-message conversation with an
// echo bot (wall and CPU time), and `parallel` such tests at once.

/// The process's CPU time (user and system), in seconds.
private func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
        getrusage(RUSAGE_SELF, &usage)
    #endif
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

/// A world with an echo bot and Ada, logged in; `messages` texts from Ada, each echoed and awaited.
private func echoTest(messages: Int) async throws {
    try await withTestWorld(timeout: .seconds(120)) { world in
        let echo = world.bot("Echo")
        let app = try await world.app(echo)
        app.onMessage(.incoming && .text) { message in
            _ = try await app.sendMessage(chatID: message.chatId, text: message.textOrCaption ?? "")
        }
        let ada = try await world.user("Ada")
        for index in 0..<messages {
            try await ada.send("message \(index)", to: echo)
            let reply = try await ada.nextMessage(in: echo)
            guard reply.textOrCaption == "message \(index)" else {
                throw WrongEcho(text: reply.textOrCaption)
            }
        }
    }
}

/// The echo bot answered something else.
private struct WrongEcho: Error {
    let text: String?
}

/// Wall and CPU seconds of `body`.
private func measure(_ body: () async throws -> Void) async rethrows -> (wall: Double, cpu: Double) {
    let cpu = cpuSeconds()
    let start = ContinuousClock.now
    try await body()
    return (seconds(ContinuousClock.now - start), cpuSeconds() - cpu)
}

func testingBenchmark(worlds: Int, parallel: Int) async throws {
    print("TelegramTesting: \(worlds) worlds one after another, then tests of a 10-message conversation")
    try await echoTest(messages: 1)  // warms up the process (the first world loads more)
    let created = try await measure {
        for _ in 0..<worlds {
            try await withTestWorld { world in
                _ = try await world.app(world.bot("Echo"))
                _ = try await world.user("Ada")
            }
        }
    }
    let perSecond = Double(worlds) / created.wall
    print("  worlds (a bot and a user logged in, closed):  \(String(format: "%.1f", perSecond)) worlds/s")
    record(["benchmark": "testing-worlds", "worlds_per_s": perSecond])

    let one = try await measure { try await echoTest(messages: 10) }
    print(
        "  one test, 10 messages echoed:                 \(String(format: "%.1f", one.wall * 1000)) ms wall, "
            + "\(String(format: "%.1f", one.cpu * 1000)) ms CPU")
    record(["benchmark": "testing-one-test", "wall_ms": one.wall * 1000, "cpu_ms": one.cpu * 1000])

    let many = try await measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<parallel { group.addTask { try await echoTest(messages: 10) } }
            try await group.waitForAll()
        }
    }
    print(
        "  \(parallel) such tests in parallel:                  \(String(format: "%.2f", many.wall)) s wall, "
            + "\(String(format: "%.2f", many.cpu)) s CPU")
    record(["benchmark": "testing-parallel", "tests": parallel, "wall_s": many.wall, "cpu_s": many.cpu])
}
