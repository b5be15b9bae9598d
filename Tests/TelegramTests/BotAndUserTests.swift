import Foundation
import TDLib
import TDLibAPI
import TDLibSimulator
import Telegram
import Testing

/// A user (Alice) and a bot logged in to one simulator: each sees the other's messages, the user presses
/// the bot's buttons, the bot answers and edits, as on Telegram.
@Suite(.timeLimit(.minutes(2))) struct BotAndUserTests {
    /// Runs `body` with the simulator's bot and Alice logged in to one simulator with no scripted events,
    /// then stops both.
    private func withBotAndAlice(
        clock: SimulatorClock = .realTime(),
        _ body: (TDSimulator, _ bot: Telegram, _ alice: Telegram) async throws -> Void
    ) async throws {
        var scenario = SimulatorScenario.default
        scenario.events = []
        try await withSimulator(scenario, clock: clock) { simulator in
            let botFolder = FileManager.default.temporaryDirectory
                .appendingPathComponent("telegram-bot-\(UUID().uuidString)").path
            let botConfiguration = try simulatedConfiguration(
                simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN", filesDirectory: botFolder)
            let bot = try await Telegram(configuration: botConfiguration)
            _ = try await bot.login(blocking: false)
            let alice = try await Telegram(
                configuration: simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            _ = try await alice.login(blocking: true, prompter: ScriptedPrompter(["11111"]))
            let outcome = await outcome { try await body(simulator, bot, alice) }
            await alice.stop()
            await bot.stop()
            try outcome.get()
        }
    }
    @Test func aUserTalksToABotPressesItsButtonAndSeesTheEdit() async throws {
        try await withBotAndAlice { _, bot, alice in
            bot.onCommand("start") { message, _ in
                let keyboard = InlineKeyboard {
                    ButtonRow {
                        InlineButton("Yes", callbackData: "yes")
                        InlineButton("No", callbackData: "no")
                    }
                }
                _ = try await bot.sendMessage(chatID: message.chatId, text: "Sure?", replyMarkup: keyboard.replyMarkup)
            }
            bot.on(UpdateNewCallbackQuery.self) { query in
                try await bot.answerCallbackQuery(query.id, text: "You chose \(query.dataText ?? "?")")
                let message = try await bot.getMessage(chatID: query.chatId, messageID: query.messageId)
                _ = try await bot.edit(message, text: "Chosen: \(query.dataText ?? "?")")
            }

            let botChat = try await alice.send(SearchPublicChat(username: "echo_sim_bot"))
            let incoming = alice.updates(of: UpdateNewMessage.self)
            let edits = alice.updates(of: UpdateMessageEdited.self)
            _ = try await alice.sendMessageAndWait(chatID: botChat.id, text: "/start")

            var question: Message?
            for await new in incoming where new.message.chatId == botChat.id && !new.message.isOutgoing {
                question = new.message
                break
            }
            let asked = try #require(question)
            #expect(asked.textOrCaption == "Sure?")
            guard case .inlineKeyboard(let keyboard)? = asked.replyMarkup else {
                Issue.record("the bot's message has no inline keyboard: \(String(describing: asked.replyMarkup))")
                return
            }
            #expect(keyboard.rows.map { $0.map(\.text) } == [["Yes", "No"]])

            let answer = try await alice.pressButton(in: asked, callbackData: "yes")
            #expect(answer.text == "You chose yes")
            for await edit in edits where edit.messageId == asked.id {
                #expect(edit.editDate > 0)
                break
            }
            let edited = try await alice.getMessage(chatID: botChat.id, messageID: asked.id)
            #expect(edited.textOrCaption == "Chosen: yes")

        }
    }

    @Test func pinsReactionsReadMarksChatActionsAndCommandsReachTheOtherSide() async throws {
        try await withBotAndAlice { _, bot, alice in
            let botChat = try await alice.send(SearchPublicChat(username: "echo_sim_bot"))

            _ = try await bot.send(
                SetCommands(
                    languageCode: "", commands: [BotCommand(command: "start", description: "Begin", isEphemeral: false)]
                ))
            #expect(try await bot.send(GetCommands(languageCode: "")).commands.map(\.command) == ["start"])

            let botUpdates = bot.updates(types: [
                "updateNewMessage", "updateChatAction", "updateMessageInteractionInfo",
            ])
            let aliceUpdates = alice.updates(types: ["updateMessageIsPinned", "updateChatReadOutbox"])
            let mine = try await alice.sendMessageAndWait(chatID: botChat.id, text: "hello bot")
            var received: Message?
            for await case .newMessage(let new) in botUpdates {
                received = new.message
                break
            }
            let atBot = try #require(received)
            #expect(atBot.chatId == 1001 && atBot.textOrCaption == "hello bot" && !atBot.isOutgoing)

            try await bot.pin(atBot)
            try await bot.markAsRead([atBot])
            for await update in aliceUpdates {
                if case .messageIsPinned(let pinned) = update {
                    #expect(pinned.chatId == botChat.id && pinned.messageId == mine.id && pinned.isPinned)
                }
                if case .chatReadOutbox(let read) = update {
                    #expect(read.chatId == botChat.id && read.lastReadOutboxMessageId == mine.id)
                    break
                }
            }
            #expect(try await alice.getMessage(chatID: botChat.id, messageID: mine.id).isPinned)

            try await alice.sendChatAction(in: botChat.id)
            try await alice.react(to: mine, with: "👍")
            var sawTyping = false
            for await update in botUpdates {
                if case .chatAction(let action) = update, action.chatId == 1001, case .typing = action.action {
                    sawTyping = true
                }
                if case .messageInteractionInfo(let info) = update {
                    #expect(info.messageId == atBot.id)
                    let reaction = info.interactionInfo?.reactions?.reactions.first
                    #expect(reaction?.totalCount == 1 && reaction?.isChosen == false)
                    break
                }
            }
            #expect(sawTyping)

            let deletions = bot.updates(of: UpdateDeleteMessages.self)
            try await alice.delete([mine])
            for await deleted in deletions {
                #expect(deleted.chatId == 1001 && deleted.messageIds == [atBot.id])
                break
            }
            await #expect(throws: TDLibError.self) { _ = try await bot.getMessage(chatID: 1001, messageID: atBot.id) }
        }
    }

    @Test func aButtonPressNobodyAnswersFailsWithTDLibs502OnTheClock() async throws {
        try await withBotAndAlice(clock: .manual()) { simulator, bot, alice in

            // Alice starts the bot; each message reaches Telegram when the clock moves.
            let botChat = try await alice.send(SearchPublicChat(username: "echo_sim_bot"))
            let botIncoming = bot.updates(of: UpdateNewMessage.self)
            let incoming = alice.updates(of: UpdateNewMessage.self)
            _ = try await alice.sendMessage(chatID: botChat.id, text: "/start")
            simulator.clock.advance(by: .seconds(1))
            var start: Message?
            for await new in botIncoming {
                start = new.message
                break
            }
            let chatWithAlice = try #require(start).chatId
            let keyboard = InlineKeyboard { ButtonRow { InlineButton("Go", callbackData: "go") } }
            let sent = Task {
                try await bot.sendMessage(chatID: chatWithAlice, text: "Press", replyMarkup: keyboard.replyMarkup)
            }
            try await simulator.waitForRequests("sendMessage", count: 2)
            simulator.clock.advance(by: .seconds(1))
            _ = try await sent.value
            var pressed: Message?
            for await new in incoming where !new.message.isOutgoing {
                pressed = new.message
                break
            }
            let message = try #require(pressed)
            let press = Task { try await alice.pressButton(in: message, callbackData: "go") }
            try await simulator.waitForRequests("getCallbackQueryAnswer")
            simulator.clock.advance(by: .seconds(15))
            let error = await #expect(throws: TDLibError.self) { try await press.value }
            #expect(error == TDLibError(code: 502, message: "The bot is not responding"))

            let late = await #expect(throws: TDLibError.self) { try await bot.answerCallbackQuery(123) }
            #expect(late?.message == "QUERY_ID_INVALID")
            let notABot = await #expect(throws: TDLibError.self) { try await alice.answerCallbackQuery(123) }
            #expect(notABot?.message == "Only bots can use the method")
        }
    }
}
