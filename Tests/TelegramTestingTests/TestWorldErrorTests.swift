import Foundation
import TDLibAPI
import Telegram
import TelegramTesting
import Testing

/// Issue 20, point 4, for TelegramTesting: its waits and calls fail with the same three patterns as every
/// other layer (ErrorModelTests covers the others).
@Suite(.timeLimit(.minutes(2))) struct TestWorldErrorTests {
    @Test func aWaitThatNothingAnswersIsTimedOutWithTheReport() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Echo")
            _ = try await world.app(bot)
            let ada = try await world.user("Ada")
            // Nothing ever answers: the bot has no handler.
            do {
                _ = try await ada.nextMessage(in: bot, timeout: .milliseconds(50))
                Issue.record("the bot never answers")
            } catch let error as TDClientError where error.code == .timedOut {
                let report = try #require(error.underlying as? TestWorldTimeout)
                #expect(report.expected == "a message to Ada in Echo")
                #expect(error.message == report.description)
            }
        }
    }

    @Test func aClientAskedOfAClosedWorldIsClientClosed() async throws {
        try await withTestWorld { world in
            _ = try await world.user("Ada")
            await world.close()
            do {
                _ = try await world.user("Bob")
                Issue.record("the world is closed")
            } catch let error as TDClientError where error.code == .clientClosed {
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test func whatTDLibRefusesIsTDLibError() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Echo")
            _ = try await world.app(bot)
            let ada = try await world.user("Ada")
            do {
                try await ada.send(String(repeating: "x", count: 5_000), to: bot)
                Issue.record("Telegram refuses a text of more than 4,096 characters")
            } catch let error as TDLibError {
                #expect(error == TDLibError(code: 400, message: "MESSAGE_TOO_LONG"))
            }
        }
    }
}
