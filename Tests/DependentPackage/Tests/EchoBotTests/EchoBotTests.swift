import EchoBot
import Telegram
import TelegramTesting
import Testing

@Test func theEchoBotSendsEachTextBack() async throws {
    try await withTestWorld { world in
        let echo = world.bot("Echo")
        registerEchoBot(on: try await world.app(echo))
        let ada = try await world.user("Ada")

        for text in ["hello", "how are you?"] {
            try await ada.send(text, to: echo)
            let reply = try await ada.nextMessage(in: echo)
            #expect(reply.textOrCaption == text, "\(world.transcript)")
        }
    }
}
