import CommandBot
import ConversationUserbot
import EchoBot
import KeyboardBot
import Telegram
import TelegramTesting
import Testing

/// The example programs, each talked to by a simulated user (Ada) in a world of its own.
@Suite(.timeLimit(.minutes(2))) struct EchoBotTests {
    @Test func sendsEachTextBack() async throws {
        try await withTestWorld { world in
            let echo = world.bot("Echo")
            EchoBot.register(on: try await world.app(echo))
            let ada = try await world.user("Ada")

            try await ada.send("hello", to: echo)
            #expect(try await ada.nextMessage(in: echo).textOrCaption == "hello")
        }
    }

    @Test func echoesInAGroupToo() async throws {
        try await withTestWorld { world in
            let echo = world.bot("Echo")
            EchoBot.register(on: try await world.app(echo))
            let ada = try await world.user("Ada")
            let friends = world.group("Friends", members: [ada.account, echo])

            try await ada.send("echo?", to: friends)
            #expect(try await ada.nextMessage(in: friends).textOrCaption == "echo?")
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct CommandBotTests {
    @Test func answersEachCommand() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Calculator")
            CommandBot.register(on: try await world.app(bot))
            let ada = try await world.user("Ada")

            let conversation: KeyValuePairs = [
                "/start": "Hello! Send /help to see what I can do.",
                "/add 2 3 37": "42",
                "/add": "Give me numbers: /add 2 3",
                "/help": "/add 2 3 adds numbers.",
                "what?": "I only know /start, /help and /add.",
                "/start@\(bot.username)": "Hello! Send /help to see what I can do.",
            ]
            for (said, answer) in conversation {
                try await ada.send(said, to: bot)
                let reply = try await ada.nextMessage(in: bot)
                #expect(reply.textOrCaption == answer, "after \(said):\n\(world.transcript)")
            }
        }
    }

    @Test func staysQuietInGroups() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Calculator")
            CommandBot.register(on: try await world.app(bot))
            let ada = try await world.user("Ada")
            let friends = world.group("Friends", members: [ada.account, bot])

            try await ada.send("chatter in a group", to: friends)
            try await ada.send("/help", to: bot)
            #expect(try await ada.nextMessage(in: bot).textOrCaption == "/add 2 3 adds numbers.")
            // The bot handles messages in order: an answer in the group would have come first.
            #expect(ada.unreadMessages.isEmpty, "\(world.transcript)")
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct KeyboardBotTests {
    @Test func aVoteIsAnsweredAndTheQuestionEditedToShowTheChoice() async throws {
        try await withTestWorld { world in
            let bot = world.bot("Voter")
            KeyboardBot.register(on: try await world.app(bot))
            let ada = try await world.user("Ada")

            try await ada.send("/vote", to: bot)
            let question = try await ada.nextMessage(in: bot)
            #expect(question.textOrCaption == "Which language?")
            #expect(question.inlineButtonLabels == [["Swift", "Python"]])

            let answer = try await ada.press(button: "Swift", on: question)
            #expect(answer.text == "Thanks for voting swift")
            #expect(try await ada.nextEdit(in: bot).textOrCaption == "Which language? You chose swift.")
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct ConversationUserbotTests {
    @Test func asksTheNameAndGreetsByIt() async throws {
        try await withTestWorld { world in
            let owner = world.account("Uma")
            ConversationUserbot.register(on: try await world.app(owner))
            let ada = try await world.user("Ada")

            try await ada.send("hi", to: owner)
            #expect(try await ada.nextMessage(in: owner).textOrCaption == "Hi! What is your name?")
            try await ada.send("Dave", to: owner)
            #expect(try await ada.nextMessage(in: owner).textOrCaption == "Nice to meet you, Dave.")
        }
    }
}
