import Foundation
import Logging
import TDLibSimulator
import Telegram
import Testing

@Suite("Telegram: login against the simulator")
struct TelegramLoginTests {
    /// python-telegram's documentation page on non-blocking login, line by line.
    @Test func theDocumentedNonBlockingExample() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100002"))
            let code = "22222"
            let password = "correct horse"

            var state = try await tg.login(blocking: false)

            if case .waitCode = state {
                try await tg.sendCode(code)
                state = try await tg.login(blocking: false)
            }

            if case .waitPassword = state {
                try await tg.sendPassword(password)
                state = try await tg.login(blocking: false)
            }

            #expect(state == .ready)
            #expect(tg.authorizationState == .ready)
            #expect(try await tg.getMe().firstName == "Bob")
            await tg.stop()
        }
    }

    @Test func statesCarryTheirData() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100002"))
            guard case .waitCode(let info) = try await tg.login(blocking: false) else {
                Issue.record("expected WAIT_CODE")
                return
            }
            #expect(info.phoneNumber == "15550100002")
            #expect(info.timeout == 60)
            #expect(info.nextType != nil)
            guard case .waitCode(let resent) = try await tg.resendCode() else {
                Issue.record("expected WAIT_CODE after resending")
                return
            }
            guard case .sms = resent.type else {
                Issue.record("expected the resent code by SMS")
                return
            }
            guard case .waitPassword(let hint, let hasRecovery) = try await tg.sendCode("22222") else {
                Issue.record("expected WAIT_PASSWORD")
                return
            }
            #expect(hint == "a horse")
            #expect(hasRecovery)
            await tg.stop()
        }
    }

    @Test func wrongCodeThenRightCodeKeepsTheState() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            _ = try await tg.login(blocking: false)
            await expectTDLibError("PHONE_CODE_INVALID") { try await tg.sendCode("99999") }
            guard case .waitCode = tg.authorizationState else {
                Issue.record("a wrong code must leave the state at WAIT_CODE")
                return
            }
            let error = await #expect(throws: TelegramError.self) { try await tg.sendPassword("x") }
            #expect(error?.code == .unexpectedState)
            #expect(try await tg.sendCode("11111") == .ready)
            await tg.stop()
        }
    }

    @Test func floodWaitAfterTooManyCodes() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            _ = try await tg.login(blocking: false)
            for _ in 0..<5 { await expectTDLibError("PHONE_CODE_INVALID") { try await tg.sendCode("1") } }
            do {
                try await tg.sendCode("11111")
                Issue.record("expected a flood wait")
            } catch let error as TDLibError {
                #expect(error.code == 429)
                #expect(error.retryAfterSeconds == 30)
            }
            await tg.stop()
        }
    }

    @Test func emailThenRegistrationAndBlockingPrompts() async throws {
        try await withSimulator { simulator in
            let carol = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100003"))
            #expect(try await carol.login(blocking: false) != .ready)
            #expect(try await carol.sendCode("33333") == .waitEmailAddress)
            guard case .waitEmailCode(let info) = try await carol.sendEmailAddress("carol@example.com") else {
                Issue.record("expected WAIT_EMAIL_CODE")
                return
            }
            #expect(info.emailAddressPattern == "c***@example.com")
            await expectTDLibError("EMAIL_CODE_INVALID") { try await carol.sendEmailCode("00001") }
            #expect(try await carol.sendEmailCode("44444") == .ready)
            await carol.stop()

            // Blocking: the prompter answers a wrong code first, then the right one, then the names.
            let prompter = ScriptedPrompter(["00001", "55555", "Nova", "Newcomer"])
            let newcomer = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100004"))
            #expect(try await newcomer.login(blocking: true, prompter: prompter) == .ready)
            #expect(
                prompter.asked.withLock { $0 } == ["code", "error:PHONE_CODE_INVALID", "code", "firstName", "lastName"])
            #expect(try await newcomer.getMe().firstName == "Nova")
            await newcomer.stop()
        }
    }

    @Test func blockingPasswordPrompt() async throws {
        try await withSimulator { simulator in
            let prompter = ScriptedPrompter(["22222", "wrong", "correct horse"])
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100002"))
            #expect(try await tg.login(prompter: prompter) == .ready)
            #expect(
                prompter.asked.withLock { $0 } == [
                    "code", "password:a horse", "error:PASSWORD_HASH_INVALID", "password:a horse",
                ])
            await tg.stop()
        }
    }

    /// The closed state comes right before the update stream ends: logOut must see it as success, every time.
    @Test func logOutEndsClosedAndTheNextClientStartsOver() async throws {
        try await withSimulator { simulator in
            let folders = (0..<100).map { _ in
                FileManager.default.temporaryDirectory.appendingPathComponent("telegram-logout-\(UUID().uuidString)")
                    .path
            }
            let token: Secret = "1000001:SIMULATOR-BOT-TOKEN"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for folder in folders {
                    group.addTask {
                        let bot = try await Telegram(
                            configuration: try simulatedConfiguration(
                                simulator: simulator, botToken: token, filesDirectory: folder))
                        #expect(try await bot.login(blocking: false) == .ready)
                        try await bot.logOut()
                        #expect(bot.authorizationState == .closed)
                        await bot.stop()
                    }
                }
                try await group.waitForAll()
            }
            let again = try await Telegram(
                configuration: try simulatedConfiguration(
                    simulator: simulator, phone: "+15550100001", filesDirectory: folders[0]))
            guard case .waitCode = try await again.login(blocking: false) else {
                Issue.record("a logged-out session must ask for a code again")
                await again.stop()
                return
            }
            await again.stop()
        }
    }

    @Test func botTokenAndQRCode() async throws {
        let clock = SimulatorClock.manual()
        try await withSimulator(clock: clock) { simulator in
            let bot = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN")
            )
            #expect(try await bot.login(blocking: false) == .ready)
            await bot.stop()

            let wrong = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, botToken: "1:nope"))
            await expectTDLibError("ACCESS_TOKEN_INVALID") { _ = try await wrong.login(blocking: false) }
            await wrong.stop()

            let qr = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            let link = try await qr.requestQRCodeLogin()
            #expect(link.hasPrefix("tg://login?token="))
            guard case .waitOtherDeviceConfirmation = qr.authorizationState else {
                Issue.record("expected WAIT_OTHER_DEVICE_CONFIRMATION, got \(qr.authorizationState)")
                await qr.stop()
                return
            }
            let states = qr.updates(types: ["updateAuthorizationState"])
            clock.advance(by: .seconds(1))  // the default scenario's other device confirms after 1 s
            #expect(await loginStates(states, through: .ready).last == .ready)
            #expect(qr.authorizationState == .ready)
            await qr.stop()
        }
    }

    @Test func savedSessionRestartsReadyAndRevocationShows() async throws {
        var scenario = SimulatorScenario.default
        scenario.events = [SimulatorScenario.Event(type: "revokeSession", after: 2)]
        let clock = SimulatorClock.manual()
        try await withSimulator(scenario, clock: clock) { simulator in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("telegram-\(UUID().uuidString)")
                .path
            let first = try await Telegram(
                configuration: try simulatedConfiguration(
                    simulator: simulator, phone: "+15550100001", filesDirectory: folder))
            _ = try await first.login(blocking: false)
            #expect(try await first.sendCode("11111") == .ready)
            await first.stop()

            let again = try await Telegram(
                configuration: try simulatedConfiguration(
                    simulator: simulator, phone: "+15550100001", filesDirectory: folder))
            #expect(try await again.login(blocking: false) == .ready)
            // The scenario revokes the session from another device, 2 s after it is ready; the first
            // client's revocation does nothing, as that client has stopped.
            let states = again.updates(types: ["updateAuthorizationState"])
            clock.advance(by: .seconds(2))
            #expect(await loginStates(states, through: .closed) == [.loggingOut, .closed])
            #expect(again.authorizationState == .closed)
            await again.stop()
            let attributes = try FileManager.default.attributesOfItem(atPath: folder)
            #expect((attributes[.posixPermissions] as? Int) == 0o700)
        }
    }

    @Test func concurrentLoginCallsAreRefusedNotDeadlocked() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            simulator.hold("setAuthenticationPhoneNumber")
            async let first = outcome { try await tg.login(blocking: false) }
            try await simulator.waitForRequests("setAuthenticationPhoneNumber")  // the first login is under way
            let second = await outcome { try await tg.login(blocking: false) }
            simulator.release("setAuthenticationPhoneNumber")
            guard case .failure(let error as TelegramError) = second else {
                Issue.record("expected the second login to be refused, got \(second)")
                return
            }
            #expect(error.code == .loginInProgress)
            guard case .success(.waitCode) = await first else {
                Issue.record("expected the first login to reach WAIT_CODE")
                return
            }
            await tg.stop()
        }
    }

    @Test func configurationNeedsOneAccount() throws {
        #expect(throws: TelegramError.self) {
            try TelegramConfiguration(apiID: 1, apiHash: "h", databaseEncryptionKey: "k")
        }
        #expect(throws: TelegramError.self) {
            try TelegramConfiguration(apiID: 1, apiHash: "h", databaseEncryptionKey: "k", phone: "+1", botToken: "t")
        }
        let configuration = try TelegramConfiguration(
            apiID: 1, apiHash: "hash-secret", databaseEncryptionKey: "key-secret", botToken: "123:token-secret")
        #expect(!configuration.description.contains("secret"))
        #expect(configuration.resolvedFilesDirectory.contains("/swift-telegram/"))
        #expect(!configuration.resolvedFilesDirectory.contains("123"))
        #expect(throws: TelegramError.self) { try TelegramProxy(url: "socks5://nohost") }
        #expect(
            try TelegramProxy(url: "socks5://user:pass@127.0.0.1:1080")
                == .socks5(server: "127.0.0.1", port: 1080, username: "user", password: "pass"))
    }

    @Test func noSecretInTheLogsOfAFullLogin() async throws {
        let captured = CapturedLog()
        var logger = Logger(label: "secrets-test", factory: captured.handlerFactory)
        logger.logLevel = .trace
        try await withSimulator { simulator in
            var configuration = try simulatedConfiguration(simulator: simulator, phone: "+15550100002")
            configuration.tdlibVerbosity = 5
            configuration.proxy = .socks5(
                server: "127.0.0.1", port: 1080, username: "proxyuser", password: "proxy-pass-secret")
            let tg = try await Telegram(configuration: configuration, logger: logger)
            _ = try await tg.login(blocking: false)
            await expectTDLibError("PHONE_CODE_INVALID") { try await tg.sendCode("98765") }
            try await tg.sendCode("22222")
            await expectTDLibError("PASSWORD_HASH_INVALID") { try await tg.sendPassword("wrong-password-secret") }
            try await tg.sendPassword("correct horse")
            await tg.stop()
        }
        let text = captured.text
        #expect(!text.isEmpty)
        for secret in [
            "database key 1234", "ZGF0YWJhc2Uga2V5IDEyMzQ=", "22222", "98765", "correct horse", "wrong-password-secret",
            "simulated-api-hash", "proxy-pass-secret",
        ] {
            #expect(!text.contains(secret), "the log contains \(secret)")
        }
        // Personal data stays out of the lines above debug level (the client's own and TDLib's).
        let aboveDebug = captured.lines.withLock { $0 }.filter { !$0.hasPrefix("trace") && !$0.hasPrefix("debug") }
        #expect(!aboveDebug.isEmpty)
        #expect(!aboveDebug.contains { $0.contains("5550100002") }, "a line above debug names the phone number")
    }
}
