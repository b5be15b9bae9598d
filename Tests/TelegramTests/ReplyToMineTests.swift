import Foundation
import TDLib
import TDLibAPI
import TDLibSimulator
import Testing

@testable import Telegram

/// `MessageFilter.replyToMine`: a user replies to the bot's message, to her own, and writes without a
/// reply; the bot's filter matches the first only.
@Suite(.timeLimit(.minutes(2))) struct ReplyToMineTests {
    @Test func onlyAReplyToTheBotsOwnMessageMatches() async throws {
        var scenario = SimulatorScenario.default
        scenario.events = []
        try await withSimulator(scenario) { simulator in
            let botFolder = FileManager.default.temporaryDirectory
                .appendingPathComponent("telegram-bot-\(UUID().uuidString)").path
            let bot = try await Telegram(
                configuration: simulatedConfiguration(
                    simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN", filesDirectory: botFolder))
            _ = try await bot.login(blocking: false)
            let alice = try await Telegram(
                configuration: simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            _ = try await alice.login(blocking: true, prompter: ScriptedPrompter(["11111"]))
            let result = await outcome {
                let botIncoming = bot.updates(of: UpdateNewMessage.self)
                let aliceIncoming = alice.updates(of: UpdateNewMessage.self)
                let botChat = try await alice.send(SearchPublicChat(username: "echo_sim_bot"))
                let hello = try await alice.sendMessageAndWait(chatID: botChat.id, text: "hi")
                var botSide = botIncoming.makeAsyncIterator()
                let greeting = try #require(try await botSide.next())
                _ = try await bot.sendMessageAndWait(chatID: greeting.message.chatId, text: "Pick one")
                var aliceSide = aliceIncoming.makeAsyncIterator()
                var question: Message?
                while let new = try await aliceSide.next() {
                    if !new.message.isOutgoing {
                        question = new.message
                        break
                    }
                }
                let asked = try #require(question)
                _ = try await alice.reply(to: asked, text: "A", quote: "one")
                _ = try await alice.reply(to: hello, text: "B")
                _ = try await alice.sendMessage(chatID: botChat.id, text: "C")
                var matched: [String: Bool] = [:]
                while matched.count < 3, let new = try await botSide.next() {
                    guard !new.message.isOutgoing, let text = new.message.textOrCaption else { continue }
                    matched[text] = MessageFilter.replyToMine(bot).matches(new.message)
                    if text == "A", case .message(let reply)? = new.message.replyTo {
                        // The quote's place in "Pick one", in UTF-16 code units.
                        #expect(reply.quote?.text.text == "one")
                        #expect(reply.quote?.position == 5)
                    }
                }
                #expect(matched == ["A": true, "B": false, "C": false])
                // Alice's filter sees her own "hi" as hers.
                #expect(alice.store.isOwnMessage(chatID: botChat.id, messageID: hello.id))
            }
            await alice.stop()
            await bot.stop()
            try result.get()
        }
    }

    @Test func theOwnMessagesKeptAreTheNewest() {
        var own = OwnMessages()
        for id in 0..<Int64(OwnMessages.capacity + 10) { own.insert(chatID: 1, messageID: id) }
        #expect(!own.contains(chatID: 1, messageID: 9))
        #expect(own.contains(chatID: 1, messageID: 10))
        #expect(own.contains(chatID: 1, messageID: Int64(OwnMessages.capacity + 9)))
        #expect(!own.contains(chatID: 2, messageID: 10))
    }
}
