import Foundation
import TDLib
import TDLibAPI
import TDLibSimulator
import Telegram
import Testing

/// Flood waits (`429 Too Many Requests: retry after N`): short ones are waited out on the client's clock
/// and the call retried; long ones reach the caller. The simulator's manual clock is the client's clock.
@Suite struct FloodWaitTests {
    private func scenario(_ errors: [SimulatorScenario.ScheduledError]) -> SimulatorScenario {
        var scenario = SimulatorScenario.default
        scenario.events = []
        scenario.faults = SimulatorScenario.Faults(errors: errors)
        return scenario
    }

    private func bot(_ simulator: TDSimulator, floodWaitLimit: Duration = .seconds(10)) async throws -> Telegram {
        var configuration = try simulatedConfiguration(simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN")
        configuration.clock = simulator.clock
        configuration.floodWaitLimit = floodWaitLimit
        let tg = try await Telegram(configuration: configuration)
        _ = try await tg.login(blocking: false)
        return tg
    }

    @Test func aShortFloodWaitIsWaitedOutOnTheClientsClockAndTheCallRetried() async throws {
        let flood = SimulatorScenario.ScheduledError(
            method: "getUser", call: 1, code: 429, message: "Too Many Requests: retry after 5")
        try await withSimulator(scenario([flood]), clock: .manual()) { simulator in
            let tg = try await bot(simulator)
            let timersBefore = simulator.clock.pendingTimerCount
            let call = Task { try await tg.getUser(2001) }
            try await simulator.waitForRequests("getUser", count: 1)
            await simulator.clock.waitForTimers(timersBefore + 1)
            simulator.clock.advance(by: .seconds(4))
            #expect(simulator.receivedCount(of: "getUser") == 1, "retried before the wait ended")
            simulator.clock.advance(by: .seconds(1))
            let user = try await call.value
            #expect(user.id == 2001)
            #expect(simulator.receivedCount(of: "getUser") == 2)
            await tg.stop()
        }
    }

    @Test func aFloodWaitOverTheLimitOrPastTheRetriesReachesTheCaller() async throws {
        let errors = [
            SimulatorScenario.ScheduledError(
                method: "getUser", call: 1, code: 429, message: "Too Many Requests: retry after 60"),
            SimulatorScenario.ScheduledError(
                method: "getChat", code: 429, message: "Too Many Requests: retry after 1"),
        ]
        try await withSimulator(scenario(errors), clock: .manual()) { simulator in
            let tg = try await bot(simulator)
            let long = await #expect(throws: TDLibError.self) { try await tg.getUser(2001) }
            #expect(long?.retryAfterSeconds == 60)
            #expect(simulator.receivedCount(of: "getUser") == 1)

            // Every getChat is refused: three retries, then TDLib's error.
            let timersBefore = simulator.clock.pendingTimerCount
            let call = Task { try await tg.getChat(2001) }
            for attempt in 1...3 {
                try await simulator.waitForRequests("getChat", count: attempt)
                await simulator.clock.waitForTimers(timersBefore + 1)
                simulator.clock.advance(by: .seconds(1))
            }
            let refused = await #expect(throws: TDLibError.self) { try await call.value }
            #expect(refused?.code == 429)
            #expect(simulator.receivedCount(of: "getChat") == 4)
            await tg.stop()
        }
    }

    @Test func aLimitOfZeroTurnsRetryingOff() async throws {
        let flood = SimulatorScenario.ScheduledError(
            method: "getUser", call: 1, code: 429, message: "Too Many Requests: retry after 1")
        try await withSimulator(scenario([flood]), clock: .manual()) { simulator in
            let tg = try await bot(simulator, floodWaitLimit: .zero)
            await #expect(throws: TDLibError.self) { try await tg.getUser(2001) }
            #expect(simulator.receivedCount(of: "getUser") == 1)
            await tg.stop()
        }
    }
}
