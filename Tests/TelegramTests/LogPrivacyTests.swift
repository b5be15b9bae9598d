import Logging
import TDLibSimulator
import Telegram
import Testing

@Suite("Telegram: no personal data in logs at info level")
struct LogPrivacyTests {
    /// Runs `login` with a client of the account logging at info level to a capture, and returns what was logged.
    private func infoLog(
        phone: String? = nil, botToken: Secret? = nil, _ login: (Telegram) async throws -> Void
    ) async throws -> String {
        let captured = CapturedLog()
        var logger = Logger(label: "privacy-test", factory: captured.handlerFactory)
        logger.logLevel = .info
        try await withSimulator { simulator in
            var configuration = try simulatedConfiguration(simulator: simulator, phone: phone, botToken: botToken)
            // TDLib's own log too, at its most verbose (real TDLib's; the simulator writes none).
            configuration.tdlibVerbosity = 5
            let tg = try await Telegram(configuration: configuration, logger: logger)
            // On an error, withSimulator's shutdown closes the client.
            try await login(tg)
            await tg.stop()
        }
        return captured.text
    }

    @Test func aUserLoginLogsNoPhoneNumberCodeOrPassword() async throws {
        let text = try await infoLog(phone: "+15550100002") { tg in
            // A wrong code and a wrong password first: the prompter is asked again after each error.
            let prompter = ScriptedPrompter(["98765", "22222", "wrong-password-secret", "correct horse"])
            let state = try await tg.login(blocking: true, prompter: prompter)
            #expect(state == .ready)
            #expect(prompter.asked.withLock { $0.filter { $0.hasPrefix("error:") } }.count == 2)
        }
        #expect(text.contains("Logged in"), "nothing was logged at info level")
        for personal in ["5550100002", "98765", "22222", "wrong-password-secret", "correct horse"] {
            #expect(!text.contains(personal), "the info log contains \(personal)")
        }
    }

    @Test func aBotLoginLogsNoToken() async throws {
        let token = "1000001:SIMULATOR-BOT-TOKEN"
        let text = try await infoLog(botToken: Secret(token)) { tg in
            let state = try await tg.login(blocking: false)
            #expect(state == .ready)
        }
        #expect(text.contains("Logged in"), "nothing was logged at info level")
        #expect(!text.contains("SIMULATOR-BOT-TOKEN"), "the info log contains the bot token")
    }
}
