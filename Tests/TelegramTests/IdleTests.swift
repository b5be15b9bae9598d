import TDLibSimulator
import Telegram
import Testing

@Suite("Telegram: idle")
struct IdleTests {
    /// `idle()` waits for a signal or for the end of the session; a session closed elsewhere (here a logout)
    /// ends the wait by the update stream's end, with nothing polled, and the client is stopped.
    @Test(.timeLimit(.minutes(1)))
    func idleReturnsWhenTheSessionCloses() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN")
            )
            #expect(try await tg.login(blocking: false) == .ready)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await tg.idle() }
                try await tg.logOut()
                try await group.waitForAll()
            }
            #expect(tg.isStopped)
            #expect(tg.authorizationState == .closed)
        }
    }
}
