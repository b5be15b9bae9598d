import TDLibAPI

/// Where a client's login stands: TDLib's authorization state, with what the user needs to answer it.
public enum LoginState: Sendable, Hashable {
    /// TDLib has not reported a state yet, or waits for its parameters (the client sends them itself).
    case waitTdlibParameters
    /// TDLib waits for the phone number or bot token (the client sends it itself).
    case waitPhoneNumber
    /// A login code was sent: its type, length, next type and timeout are in the info.
    case waitCode(AuthenticationCodeInfo)
    /// Telegram asks for an email address to send a code to.
    case waitEmailAddress
    /// A code was sent to the email address matching the pattern in the info.
    case waitEmailCode(EmailAddressAuthenticationCodeInfo)
    /// The account has a 2FA password: its hint and whether a recovery email exists.
    case waitPassword(hint: String, hasRecoveryEmailAddress: Bool)
    /// The number has no account yet: register with names, after the terms of service.
    case waitRegistration(termsOfService: TermsOfService)
    /// A QR-code login waits for another device to scan this `tg://login` link.
    case waitOtherDeviceConfirmation(link: String)
    /// Telegram requires a Premium purchase before this login; this client cannot complete it.
    case waitPremiumPurchase
    /// Logged in.
    case ready
    case loggingOut
    case closing
    case closed
    /// A state this version does not know, with its `@type`.
    case unknown(String)

    /// The state of TDLib's `AuthorizationState` object.
    public init(_ state: AuthorizationState) {
        switch state {
        case .waitTdlibParameters: self = .waitTdlibParameters
        case .waitPhoneNumber: self = .waitPhoneNumber
        case .waitCode(let wait): self = .waitCode(wait.codeInfo)
        case .waitEmailAddress: self = .waitEmailAddress
        case .waitEmailCode(let wait): self = .waitEmailCode(wait.codeInfo)
        case .waitPassword(let wait):
            self = .waitPassword(hint: wait.passwordHint, hasRecoveryEmailAddress: wait.hasRecoveryEmailAddress)
        case .waitRegistration(let wait): self = .waitRegistration(termsOfService: wait.termsOfService)
        case .waitOtherDeviceConfirmation(let wait): self = .waitOtherDeviceConfirmation(link: wait.link)
        case .waitPremiumPurchase: self = .waitPremiumPurchase
        case .ready: self = .ready
        case .loggingOut: self = .loggingOut
        case .closing: self = .closing
        case .closed: self = .closed
        case .unknown(let object): self = .unknown(object.type)
        }
    }

    /// Whether the login waits for the user: a code, an email, a password, names or a QR scan.
    public var needsUser: Bool {
        switch self {
        case .waitCode, .waitEmailAddress, .waitEmailCode, .waitPassword, .waitRegistration,
            .waitOtherDeviceConfirmation:
            true
        default:
            false
        }
    }

    /// A short name, python-telegram's `AuthorizationState` value without the prefix: `WAIT_CODE`...
    public var name: String {
        switch self {
        case .waitTdlibParameters: "WAIT_TDLIB_PARAMETERS"
        case .waitPhoneNumber: "WAIT_PHONE_NUMBER"
        case .waitCode: "WAIT_CODE"
        case .waitEmailAddress: "WAIT_EMAIL_ADDRESS"
        case .waitEmailCode: "WAIT_EMAIL_CODE"
        case .waitPassword: "WAIT_PASSWORD"
        case .waitRegistration: "WAIT_REGISTRATION"
        case .waitOtherDeviceConfirmation: "WAIT_OTHER_DEVICE_CONFIRMATION"
        case .waitPremiumPurchase: "WAIT_PREMIUM_PURCHASE"
        case .ready: "READY"
        case .loggingOut: "LOGGING_OUT"
        case .closing: "CLOSING"
        case .closed: "CLOSED"
        case .unknown(let type): "UNKNOWN(\(type))"
        }
    }

    /// The session ends or has ended (`LOGGING_OUT`, `CLOSING`, `CLOSED`): TDLib closes the client, so a
    /// login call on it fails as every call on a closed client does, with `TDClientError` `clientClosed`.
    var endsSession: Bool {
        switch self {
        case .loggingOut, .closing, .closed: true
        default: false
        }
    }
}

/// The login's decisions, apart from any I/O: given the state, what the client does next.
///
/// A value type tested on its own; ``Telegram/login(blocking:)`` performs its actions.
struct LoginMachine: Sendable {
    enum Action: Equatable {
        /// Send `setTdlibParameters`.
        case sendParameters
        /// Send the phone number.
        case sendPhoneNumber
        /// Send the bot token.
        case sendBotToken
        /// Ask for a QR-code login link.
        case requestQRCode
        /// Ask the user (blocking mode) for what the state needs.
        case prompt(LoginState)
        /// Return the state to the caller (non-blocking mode).
        case returnToCaller(LoginState)
        /// Logged in.
        case finished
        /// The login cannot go on from here.
        case fail(String)
    }

    let account: TelegramAccount
    let blocking: Bool

    func action(for state: LoginState) -> Action {
        switch state {
        case .waitTdlibParameters: return .sendParameters
        case .waitPhoneNumber:
            switch account {
            case .phone: return .sendPhoneNumber
            case .bot: return .sendBotToken
            case .qrCode: return .requestQRCode
            }
        case .ready: return .finished
        case .waitPremiumPurchase:
            return .fail("Telegram requires a Premium purchase to log in this account; complete it in an official app")
        case .loggingOut, .closing, .closed:
            return .fail("the session is \(state.name.lowercased()); create a new client to log in again")
        case .unknown(let type):
            return .fail("TDLib reported an authorization state this client does not know: \(type)")
        case .waitCode, .waitEmailAddress, .waitEmailCode, .waitPassword, .waitRegistration,
            .waitOtherDeviceConfirmation:
            return blocking ? .prompt(state) : .returnToCaller(state)
        }
    }
}
