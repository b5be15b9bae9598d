import Telegram
import Testing

@testable import Telegram

@Suite("The login state machine, alone")
struct LoginMachineTests {
    let code = LoginState.waitCode(
        AuthenticationCodeInfo(phoneNumber: "1", type: .sms(AuthenticationCodeTypeSms(length: 5)), timeout: 0))

    @Test func sendsWhatTheClientKnowsItself() {
        let phone = LoginMachine(account: .phone("+1"), blocking: false)
        #expect(phone.action(for: .waitTdlibParameters) == .sendParameters)
        #expect(phone.action(for: .waitPhoneNumber) == .sendPhoneNumber)
        #expect(LoginMachine(account: .bot(token: "t"), blocking: true).action(for: .waitPhoneNumber) == .sendBotToken)
        #expect(LoginMachine(account: .qrCode, blocking: false).action(for: .waitPhoneNumber) == .requestQRCode)
        #expect(phone.action(for: .ready) == .finished)
    }

    @Test func returnsOrPromptsForWhatOnlyTheUserKnows() {
        let states: [LoginState] = [
            code, .waitEmailAddress, .waitPassword(hint: "h", hasRecoveryEmailAddress: false),
            .waitOtherDeviceConfirmation(link: "tg://login?token=x"),
        ]
        for state in states {
            #expect(LoginMachine(account: .phone("+1"), blocking: false).action(for: state) == .returnToCaller(state))
            #expect(LoginMachine(account: .phone("+1"), blocking: true).action(for: state) == .prompt(state))
            #expect(state.needsUser)
        }
    }

    @Test func failsClearlyWhereItCannotGoOn() {
        let machine = LoginMachine(account: .phone("+1"), blocking: true)
        for state in [LoginState.closed, .loggingOut, .waitPremiumPurchase, .unknown("authorizationStateFuture")] {
            guard case .fail(let reason) = machine.action(for: state) else {
                Issue.record("expected a failure for \(state)")
                continue
            }
            #expect(!reason.isEmpty)
        }
    }
}
