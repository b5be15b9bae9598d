import Foundation
import TDLibAPI
import TDLibSimulator
import Telegram
import TelegramTesting
import Testing

/// TelegramTesting itself: readable failures, nothing left on disk, worlds that do not see each other.
@Suite(.timeLimit(.minutes(2))) struct TestWorldTests {
    /// A bot that answers every text with "pong".
    private func pongBot(_ world: TestWorld) async throws -> TestAccount {
        let bot = world.bot("Echo")
        let app = try await world.app(bot)
        app.onMessage(.incoming && .text) { message in
            _ = try await app.sendMessage(chatID: message.chatId, text: "pong")
        }
        return bot
    }

    @Test func aTimeoutSaysWhatWasExpectedWhatCameAndTheConversation() async throws {
        try await withTestWorld { world in
            let bot = try await pongBot(world)
            let ada = try await world.user("Ada")
            try await ada.send("ping", to: bot)
            _ = try await world.nextRequest(of: SendMessage.self)

            let error = await #expect(throws: TDClientError.self) {
                _ = try await world.nextRequest(of: EditMessageText.self, timeout: .milliseconds(50))
            }
            #expect(error?.code == .timedOut)
            #expect(error?.message == (error?.underlying as? TestWorldTimeout)?.description)
            let report = try #require(error?.underlying as? TestWorldTimeout).description
            #expect(report.contains("for the app to send editMessageText"), "\(report)")
            #expect(report.contains("checkAuthenticationBotToken"), "\(report)")
            #expect(report.contains("Ada → Echo: ping"), "\(report)")
            #expect(report.contains("Echo → Ada: pong"), "\(report)")
        }
    }

    @Test func aMissingMessageNamesTheChatAndShowsTheTranscript() async throws {
        try await withTestWorld { world in
            let bot = try await pongBot(world)
            let ada = try await world.user("Ada")
            let friends = world.group("Friends", members: [ada.account, bot])
            try await ada.send("ping", to: bot)
            #expect(try await ada.nextMessage(in: bot).textOrCaption == "pong")

            let error = await #expect(throws: TDClientError.self) {
                _ = try await ada.nextMessage(in: friends, timeout: .milliseconds(50))
            }
            #expect(error?.code == .timedOut)
            let timeout = try #require(error?.underlying as? TestWorldTimeout)
            #expect(timeout.expected == "a message to Ada in Friends")
            #expect(timeout.transcript.entries.map(\.description) == ["Ada → Echo: ping", "Echo → Ada: pong"])
        }
    }

    @Test func anAppLogsInWithCodeAndPasswordWithoutPrompts() async throws {
        try await withTestWorld { world in
            let uma = world.account("Uma", password: "correct horse")
            let app = try await world.app(uma)
            #expect(try await app.getMe().id == uma.id)
            #expect(try await world.nextRequest(of: CheckAuthenticationPassword.self).password == "correct horse")
        }
    }

    @Test func theWorldsFolderIsRemovedAlsoWhenTheTestThrows() async throws {
        struct Failure: Error {}
        var folders: [URL] = []
        folders.append(
            try await withTestWorld { world in
                _ = try await world.user("Ada")
                #expect(FileManager.default.fileExists(atPath: world.folder.path))
                return world.folder
            })
        let seen = Locked<URL?>(nil)
        await #expect(throws: Failure.self) {
            try await withTestWorld { world in
                _ = try await world.app(world.bot("Echo"))
                seen.withLock { $0 = world.folder }
                throw Failure()
            }
        }
        folders.append(try #require(seen.withLock { $0 }))
        for folder in folders { #expect(!FileManager.default.fileExists(atPath: folder.path)) }
    }

    @Test func worldsInParallelDoNotSeeEachOther() async throws {
        try await withThrowingTaskGroup(of: (String, Transcript).self) { group in
            for name in ["first", "second", "third"] {
                group.addTask {
                    try await withTestWorld { world in
                        let bot = try await pongBot(world)
                        let ada = try await world.user("Ada")
                        try await ada.send("from the \(name) world", to: bot)
                        #expect(try await ada.nextMessage(in: bot).textOrCaption == "pong")
                        return (name, world.transcript)
                    }
                }
            }
            for try await (name, transcript) in group {
                #expect(
                    transcript.entries.map(\.description) == ["Ada → Echo: from the \(name) world", "Echo → Ada: pong"])
            }
        }
    }
}

/// A value shared between a test and the closure it hands over.
private final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only touched while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// The world's clock, sessions and network, as the app under test sees them.
@Suite(.timeLimit(.minutes(2))) struct TestWorldTimeTests {
    @Test func aFloodWaitIsWaitedOutOnTheWorldsClock() async throws {
        // The 2nd sendMessage of the world (the bot's answer; Ada's "ping" is the 1st) gets a flood wait.
        let flood = SimulatorScenario.ScheduledError(
            method: "sendMessage", call: 2, code: 429, message: "Too Many Requests: retry after 3")
        try await withTestWorld(faults: SimulatorScenario.Faults(errors: [flood])) { world in
            let bot = world.bot("Echo")
            let app = try await world.app(bot)
            app.onMessage(.incoming && .text) { message in
                _ = try await app.sendMessage(chatID: message.chatId, text: "pong")
            }
            let ada = try await world.user("Ada")
            let timers = world.clock.pendingTimerCount

            try await ada.send("ping", to: bot)
            await world.clock.waitForTimers(timers + 1)
            #expect(ada.unreadMessages.isEmpty)
            world.clock.advance(by: .seconds(3))
            #expect(try await ada.nextMessage(in: bot).textOrCaption == "pong")
        }
    }

    @Test func aRevokedSessionClosesTheApp() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Echo")
            let app = try await world.app(bot)
            let states = app.updates(of: UpdateAuthorizationState.self)
            world.revokeSessions(of: bot)
            var seen: [String] = []
            for await update in states {
                seen.append("\(type(of: update.authorizationState))")
                if case .closed = update.authorizationState { break }
            }
            #expect(seen.count == 2, "\(seen)")
        }
    }

    @Test func theConnectionIsCutAndRestored() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Echo")
            let app = try await world.app(bot)
            let states = app.updates(of: UpdateConnectionState.self)
            world.cutConnection(of: bot)
            world.restoreConnection(of: bot)
            var waiting: [Bool] = []
            for await update in states {
                if case .waitingForNetwork = update.state { waiting.append(true) } else { waiting.append(false) }
                if waiting.count == 2 { break }
            }
            #expect(waiting == [true, false])
        }
    }
}
