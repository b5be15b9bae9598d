import Foundation
import TDLib
import TDLibAPI
import TDLibSimulator
import Telegram
import Testing

/// Handlers with `handlerConcurrency` above 1: a handler held up in one chat lets other chats go on, and
/// the updates of one chat stay in order.
@Suite(.timeLimit(.minutes(2))) struct HandlerConcurrencyTests {
    @Test func aHandlerHeldUpInOneChatLetsOtherChatsGoOnAndKeepsItsChatsOrder() async throws {
        var scenario = SimulatorScenario.default
        scenario.events = [(2001, "a1"), (-3001, "b1"), (2001, "a2"), (-3001, "b2")].enumerated().map {
            index, message in
            SimulatorScenario.Event(
                type: "incomingMessage", after: 0.001 * Double(index + 1), chatID: message.0, senderID: 2001,
                text: message.1)
        }
        try await withSimulator(scenario, clock: .manual()) { simulator in
            var configuration = try simulatedConfiguration(
                simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN")
            configuration.handlerConcurrency = 2
            let tg = try await Telegram(configuration: configuration)
            let log = EventLog()
            let (release, releaser) = AsyncStream<Void>.makeStream()
            tg.onMessage { message in
                let text = message.textOrCaption ?? ""
                log.add("start \(text)")
                if text == "a1" { for await _ in release { break } }
                log.add("end \(text)")
            }
            _ = try await tg.login(blocking: false)
            simulator.clock.advance(by: .seconds(1))
            await log.waitFor("start a1")
            await log.waitFor("end b2")
            let held = log.lines
            #expect(
                held.filter { $0.hasSuffix("b1") || $0.hasSuffix("b2") } == [
                    "start b1", "end b1", "start b2", "end b2",
                ])
            #expect(!held.contains("end a1") && !held.contains("start a2"), "a2 ran before a1 ended: \(held)")
            releaser.yield()
            await log.waitFor("end a2")
            #expect(log.lines.suffix(3) == ["end a1", "start a2", "end a2"])
            await tg.stop()
        }
    }
}

/// Lines added by handlers, and a way to wait for one.
final class EventLog: Sendable {
    private let state = Locked<(lines: [String], waiters: [(String, CheckedContinuation<Void, Never>)])>(([], []))

    var lines: [String] { state.withLock { $0.lines } }

    func add(_ line: String) {
        let woken = state.withLock { state in
            state.lines.append(line)
            defer { state.waiters.removeAll { $0.0 == line } }
            return state.waiters.filter { $0.0 == line }.map(\.1)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once `line` has been added (at once if it was).
    func waitFor(_ line: String) async {
        await withCheckedContinuation { continuation in
            let seen = state.withLock { state in
                if state.lines.contains(line) { return true }
                state.waiters.append((line, continuation))
                return false
            }
            if seen { continuation.resume() }
        }
    }
}
