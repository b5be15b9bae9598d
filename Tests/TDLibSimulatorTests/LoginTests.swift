import Foundation
import Testing

@testable import TDLibAPIClient
@testable import TDLibSimulator

@Suite("Simulator: login paths")
struct LoginTests {
    @Test func phoneThenCodeThenReady() async throws {
        try await withSimulator { telegram in
            let (client, log) = try await telegram.client()
            guard case .waitPhoneNumber = try await log.nextAuthorizationState() else {
                Issue.record("expected waitPhoneNumber")
                return
            }
            _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "+1 555 010 0001"))
            guard case .waitCode(let wait) = try await log.nextAuthorizationState() else {
                Issue.record("expected waitCode")
                return
            }
            #expect(wait.codeInfo.phoneNumber == "15550100001")
            #expect(wait.codeInfo.timeout == 60)
            guard case .telegramMessage(let type) = wait.codeInfo.type else {
                Issue.record("expected a code sent by Telegram message")
                return
            }
            #expect(type.length == 5)

            await expectTDLibError(400, "PHONE_CODE_INVALID") {
                _ = try await client.send(CheckAuthenticationCode(code: "99999"))
            }
            _ = try await client.send(CheckAuthenticationCode(code: "11111"))
            guard case .ready = try await log.nextAuthorizationState() else {
                Issue.record("expected ready")
                return
            }
            let me = try await client.send(GetMe())
            #expect(me.id == 1001)
            #expect(me.firstName == "Alice")
            #expect(me.usernames?.activeUsernames == ["alice_sim"])
            let myID = try await client.send(GetOption(name: "my_id"))
            #expect(myID == .integer(OptionValueInteger(value: 1001)))
        }
    }

    @Test func codeThenPasswordWithHint() async throws {
        try await withSimulator { telegram in
            let (client, log) = try await telegram.client()
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "+15550100002"))
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(CheckAuthenticationCode(code: "22222"))
            guard case .waitPassword(let wait) = try await log.nextAuthorizationState() else {
                Issue.record("expected waitPassword")
                return
            }
            #expect(wait.passwordHint == "a horse")
            #expect(wait.hasRecoveryEmailAddress)
            await expectTDLibError(400, "PASSWORD_HASH_INVALID") {
                _ = try await client.send(CheckAuthenticationPassword(password: "wrong"))
            }
            _ = try await client.send(CheckAuthenticationPassword(password: "correct horse"))
            guard case .ready = try await log.nextAuthorizationState() else {
                Issue.record("expected ready")
                return
            }
        }
    }

    @Test func emailAddressThenEmailCode() async throws {
        try await withSimulator { telegram in
            let (client, log) = try await telegram.client()
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "+15550100003"))
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(CheckAuthenticationCode(code: "33333"))
            guard case .waitEmailAddress = try await log.nextAuthorizationState() else {
                Issue.record("expected waitEmailAddress")
                return
            }
            await expectTDLibError(400, "EMAIL_INVALID") {
                _ = try await client.send(SetAuthenticationEmailAddress(emailAddress: "not-an-address"))
            }
            _ = try await client.send(SetAuthenticationEmailAddress(emailAddress: "carol@example.com"))
            guard case .waitEmailCode(let wait) = try await log.nextAuthorizationState() else {
                Issue.record("expected waitEmailCode")
                return
            }
            #expect(wait.codeInfo.emailAddressPattern == "c***@example.com")
            await expectTDLibError(400, "EMAIL_CODE_INVALID") {
                _ = try await client.send(
                    CheckAuthenticationEmailCode(code: .code(EmailAddressAuthenticationCode(code: "1"))))
            }
            _ = try await client.send(
                CheckAuthenticationEmailCode(code: .code(EmailAddressAuthenticationCode(code: "44444"))))
            guard case .ready = try await log.nextAuthorizationState() else {
                Issue.record("expected ready")
                return
            }
        }
    }

    @Test func unknownNumberRegisters() async throws {
        try await withSimulator { telegram in
            let (client, log) = try await telegram.client()
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "+15550100004"))
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(CheckAuthenticationCode(code: "55555"))
            guard case .waitRegistration(let wait) = try await log.nextAuthorizationState() else {
                Issue.record("expected waitRegistration")
                return
            }
            #expect(!wait.termsOfService.text.text.isEmpty)
            await expectTDLibError(400, "FIRSTNAME_INVALID") {
                _ = try await client.send(RegisterUser(firstName: "  ", lastName: "", disableNotification: false))
            }
            _ = try await client.send(
                RegisterUser(firstName: "<b>Zed</b>", lastName: "New", disableNotification: false))
            guard case .ready = try await log.nextAuthorizationState() else {
                Issue.record("expected ready")
                return
            }
            let me = try await client.send(GetMe())
            #expect(me.firstName == "<b>Zed</b>")
            #expect(me.lastName == "New")
        }
    }

    @Test func botToken() async throws {
        try await withSimulator { telegram in
            let (client, log) = try await telegram.client()
            _ = try await log.nextAuthorizationState()
            await expectTDLibError(401, "ACCESS_TOKEN_INVALID") {
                _ = try await client.send(CheckAuthenticationBotToken(token: "1:wrong"))
            }
            _ = try await client.send(CheckAuthenticationBotToken(token: "1000001:SIMULATOR-BOT-TOKEN"))
            guard case .ready = try await log.nextAuthorizationState() else {
                Issue.record("expected ready")
                return
            }
            let me = try await client.send(GetMe())
            guard case .bot = me.type else {
                Issue.record("expected a bot user")
                return
            }
        }
    }

    @Test func qrCodeConfirmedByTheScenario() async throws {
        let clock = SimulatorClock.manual()
        try await withSimulator(clock: clock) { telegram in
            let (client, log) = try await telegram.client()
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(RequestQrCodeAuthentication(otherUserIds: []))
            guard case .waitOtherDeviceConfirmation(let wait) = try await log.nextAuthorizationState() else {
                Issue.record("expected waitOtherDeviceConfirmation")
                return
            }
            #expect(wait.link.hasPrefix("tg://login?token="))
            // The default scenario's other device confirms after 1 s.
            clock.advance(by: .milliseconds(999))
            guard case .waitOtherDeviceConfirmation = try await client.send(GetAuthorizationState()) else {
                Issue.record("expected the login to wait for the other device until 1 s has passed")
                return
            }
            clock.advance(by: .milliseconds(1))
            guard case .ready = try await log.nextAuthorizationState() else {
                Issue.record("expected ready")
                return
            }
            #expect(try await client.send(GetMe()).id == 1001)
        }
    }

    @Test func tooManyWrongCodesAndExpiredCodes() async throws {
        try await withSimulator { telegram in
            let (client, log) = try await telegram.client()
            _ = try await log.nextAuthorizationState()
            await expectTDLibError(400, "PHONE_NUMBER_INVALID") {
                _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "12ab"))
            }
            _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "+15550100001"))
            await expectTDLibError(400, "PHONE_CODE_EXPIRED") {
                _ = try await client.send(CheckAuthenticationCode(code: "00000"))
            }
            for _ in 0..<5 {
                await expectTDLibError(400, "PHONE_CODE_INVALID") {
                    _ = try await client.send(CheckAuthenticationCode(code: "1"))
                }
            }
            await expectTDLibError(429, "Too Many Requests: retry after 30") {
                _ = try await client.send(CheckAuthenticationCode(code: "11111"))
            }
            let error = try await {
                do {
                    _ = try await client.send(CheckAuthenticationCode(code: "11111"))
                    return TDLibError(code: 0, message: "")
                } catch let error as TDLibError { return error }
            }()
            #expect(error.retryAfterSeconds == 30)
        }
    }

    @Test func requestsInTheWrongStateAreRefusedAsTDLibDoes() async throws {
        try await withSimulator { telegram in
            let (client, log) = try await telegram.client()
            _ = try await log.nextAuthorizationState()
            await expectTDLibError(400, "Call to checkAuthenticationCode unexpected") {
                _ = try await client.send(CheckAuthenticationCode(code: "1"))
            }
            await expectTDLibError(401, "Unauthorized") { _ = try await client.send(GetMe()) }
            await expectTDLibError(400, "Unexpected setTdlibParameters") {
                _ = try await client.send(json: #"{"@type":"setTdlibParameters","database_directory":"x"}"#)
            }
            // Not a function of TDLib 1.8.66: TDLib's JSON reader refuses it in any state.
            await expectTDLibError(
                400, "Failed to parse JSON object as TDLib request: Unknown class \"getStarGiftsCatalog\""
            ) {
                _ = try await client.send(json: #"{"@type":"getStarGiftsCatalog"}"#)
            }
            // Before login, TDLib refuses what needs an account, whether the simulator offers it or not...
            await expectTDLibError(401, "Unauthorized") {
                _ = try await client.send(json: #"{"@type":"getStarWithdrawalUrl"}"#)
            }
            // ... and a function that runs before login but that the simulator does not offer says so.
            await expectTDLibError(400, "The simulator does not support the method getCountries") {
                _ = try await client.send(json: #"{"@type":"getCountries"}"#)
            }
            _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "+15550100001"))
            await expectTDLibError(400, "Call to checkAuthenticationPassword unexpected") {
                _ = try await client.send(CheckAuthenticationPassword(password: "x"))
            }
        }
    }

    @Test func sessionPersistsAndTheKeyIsChecked() async throws {
        let directory = try SimulatedTelegram.temporaryDirectory()
        try await withSimulator { telegram in
            let key = Array("secret key".utf8)
            let (client, log) = try await telegram.client(directory: directory, key: key)
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "+15550100001"))
            _ = try await client.send(CheckAuthenticationCode(code: "11111"))
            try await client.close()

            await expectTDLibError(401, "Wrong database encryption key") {
                _ = try await telegram.client(directory: directory, key: Array("other".utf8))
            }
            let (again, againLog) = try await telegram.client(directory: directory, key: key)
            guard case .ready = try await againLog.nextAuthorizationState() else {
                Issue.record("expected ready straight from the saved session")
                return
            }
            #expect(try await again.send(GetMe()).id == 1001)
            let contents = try String(contentsOfFile: directory + "/" + SessionFile.fileName, encoding: .utf8)
            #expect(!contents.contains("secret key"))

            _ = try await again.send(LogOut())
            guard case .loggingOut = try await againLog.nextAuthorizationState(),
                case .closed = try await againLog.nextAuthorizationState()
            else {
                Issue.record("expected loggingOut then closed")
                return
            }
            let (third, thirdLog) = try await telegram.client(directory: directory, key: key)
            guard case .waitPhoneNumber = try await thirdLog.nextAuthorizationState() else {
                Issue.record("expected a new login after logOut")
                return
            }
            try await third.close()
        }
    }

    @Test func sessionRevokedFromAnotherDevice() async throws {
        var scenario = SimulatorScenario.default
        scenario.events = [SimulatorScenario.Event(type: "revokeSession", after: 0.2)]
        try await withSimulator(scenario) { telegram in
            let (client, log) = try await telegram.client()
            _ = try await log.nextAuthorizationState()
            _ = try await client.send(CheckAuthenticationBotToken(token: "1000001:SIMULATOR-BOT-TOKEN"))
            guard case .ready = try await log.nextAuthorizationState(),
                case .loggingOut = try await log.nextAuthorizationState(),
                case .closed = try await log.nextAuthorizationState()
            else {
                Issue.record("expected ready, then loggingOut and closed")
                return
            }
            try await log.waitUntilFinished()
            #expect(!client.isOpen)
        }
    }
}
