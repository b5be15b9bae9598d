import Foundation
import TDLib
import TDLibAPI
import TDLibSimulator
import Telegram
import Testing

/// Conversations, driven by a simulated user (Dave, chat 2001) who answers Alice's questions.
@Suite struct ConversationTests {
    private func scenario() -> SimulatorScenario {
        var scenario = SimulatorScenario.default
        scenario.events = [
            SimulatorScenario.Event(type: "reply", after: 0.5, text: "Ada", whenText: "What is your name?"),
            SimulatorScenario.Event(type: "reply", after: 0.5, text: "36", whenText: "And your age?"),
            SimulatorScenario.Event(type: "incomingMessage", after: 100, chatID: 2001, senderID: 2001, text: "later"),
        ]
        return scenario
    }

    private func alice(_ simulator: TDSimulator) async throws -> Telegram {
        var configuration = try simulatedConfiguration(simulator: simulator, phone: "+15550100001")
        configuration.clock = simulator.clock
        let tg = try await Telegram(configuration: configuration)
        _ = try await tg.login(blocking: true, prompter: ScriptedPrompter(["11111"]))
        return tg
    }

    @Test func askGetsEachAnswerInOrderAndRoutesLeaveTheChatToTheConversation() async throws {
        try await withSimulator(scenario(), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            let routed = Recorder()
            tg.onMessage(.incoming && .inChat(2001)) { message in
                routed.add(message.textOrCaption ?? "")
                if message.textOrCaption == "later" { routed.finish() }
            }
            let dialogue = Task {
                try await tg.conversation(in: 2001) { chat in
                    let name = try await chat.ask("What is your name?")
                    let age = try await chat.ask("And your age?")
                    return [name.textOrCaption, age.textOrCaption]
                }
            }
            for sent in 1...2 {
                try await simulator.waitForRequests("sendMessage", count: sent)
                simulator.clock.advance(by: .seconds(1))
            }
            #expect(try await dialogue.value == ["Ada", "36"])
            simulator.clock.advance(by: .seconds(100))
            #expect(try await routed.lines(within: .seconds(30)) == ["later"])
            await tg.stop()
        }
    }

    @Test func oneConversationPerChatAndAWaitThatTimesOutOnTheClock() async throws {
        try await withSimulator(scenario(), clock: .manual()) { simulator in
            let tg = try await alice(simulator)
            let timersBefore = simulator.clock.pendingTimerCount
            let outcome = try await tg.conversation(in: 2001, timeout: .seconds(30)) { chat in
                let second = await #expect(throws: TelegramError.self) {
                    try await tg.conversation(in: 2001) { _ in }
                }
                #expect(second?.code == .conversationInProgress)
                let wait = Task { try await chat.nextMessage() }
                await simulator.clock.waitForTimers(timersBefore + 1)
                simulator.clock.advance(by: .seconds(30))
                let timedOut = await #expect(throws: TDClientError.self) { try await wait.value }
                return timedOut?.code
            }
            #expect(outcome == .timedOut)
            // The chat is free again once the conversation ends.
            try await tg.conversation(in: 2001) { _ in }
            await tg.stop()
        }
    }
}
