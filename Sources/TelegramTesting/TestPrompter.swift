import TDLibAPI
import Telegram

/// Answers the login's questions with the account's code and password.
struct TestPrompter: TelegramPrompter {
    var code = ""
    var password: String?
    var confirmQRLink: @Sendable (String) -> Void = { _ in }

    func code(_ info: AuthenticationCodeInfo) async throws -> String { code }
    func password(hint: String) async throws -> String {
        guard let password else {
            throw TestWorldError(description: "the login asks for a password the test did not give")
        }
        return password
    }
    func emailAddress() async throws -> String {
        throw TestWorldError(description: "the login asks for an email address")
    }
    func emailCode(_ info: EmailAddressAuthenticationCodeInfo) async throws -> String {
        throw TestWorldError(description: "the login asks for an email code")
    }
    func registration(termsOfService: TermsOfService) async throws -> (firstName: String, lastName: String) {
        throw TestWorldError(description: "the login asks to register a new account")
    }
    func showQRLink(_ link: String) async { confirmQRLink(link) }
    func show(error: TDLibError) async {}
}
