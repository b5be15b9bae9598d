import Foundation
import TDLibAPI

/// Everything the simulator knows, behind its one lock.
struct SimulatorState {
    var world: SimulatorWorld
    var sessions: [Int32: ClientSession] = [:]
    var lastClientID: Int32 = 0
    var callCounts: [String: Int] = [:]
    var lastProxyID: Int32 = 0
    var lastQRToken = 0
    /// The users whose file uploads complete at once, without timers (``TDSimulator/completeUploadsAtOnce(of:)``).
    var instantUploaders: Set<Int64> = []
    var lastSendingID: Int32 = 0
    /// Messages without a file on their way to Telegram, by their temporary identifier: deleting one
    /// stops its delivery, as TDLib's `delete_message` of a yet-unsent message does.
    var inFlightSends: [Int64: (record: SimulatorWorld.MessageRecord, sendingID: Int32)] = [:]
    /// Button presses waiting for the bot's answer, by callback query id.
    var callbackQueries: [Int64: PendingCallbackQuery] = [:]
    var lastCallbackQueryID: Int64 = 0
    /// The commands each bot set (setCommands), by the bot's user id.
    var botCommands: [Int64: [BotCommand]] = [:]
    /// The methods whose requests wait for `release`, and the requests that wait.
    var heldMethods: Set<String> = []
    var held: [HeldRequest] = []
    private var lastNewUserID: Int64 = 900_000
    /// The accounts that can log in: the scenario's, then those added while running (``TDSimulator/addAccount(_:)``).
    var accounts: [SimulatorScenario.Account]
    /// The bots that can log in, the same way.
    var bots: [SimulatorScenario.Bot]

    init(scenario: SimulatorScenario) {
        world = SimulatorWorld(scenario: scenario)
        accounts = scenario.accounts
        bots = scenario.bots ?? []
    }

    /// The methods that need a logged-in account.
    static let worldMethods = Set<String>([
        "getMe", "getUser", "getUserFullInfo", "getChats", "loadChats", "getChat", "getChatHistory", "getMessage",
        "sendMessage", "sendMessageAlbum", "deleteMessages", "importContacts", "getSupergroupFullInfo",
        "createBasicGroupChat",
        "getWebPageInstantView", "downloadFile", "cancelDownloadFile", "getFile", "searchPublicChat",
        "getSupergroupMembers", "searchChatMessages",
    ]).union(TDSimulator.accountMethods).union(TDSimulator.messageActionMethods)
        .union(TDSimulator.forwardingMethods).union(TDSimulator.membershipMethods)

    mutating func newUserID() -> Int64 {
        lastNewUserID += 1
        return lastNewUserID
    }

    func user(_ id: Int64) throws -> SimulatorWorld.UserRecord {
        guard let user = world.users[id] else { throw SimulatedError(code: 404, message: "User not found") }
        return user
    }

    func chat(_ id: Int64) throws -> SimulatorWorld.ChatRecord {
        guard let chat = world.chats[id] else { throw SimulatedError(code: 400, message: "Chat not found") }
        return chat
    }
}

extension SimulatorWorld {
    mutating func addAccountUser(_ account: SimulatorScenario.Account, firstName: String, lastName: String) {
        users[account.userID] = UserRecord(
            id: account.userID, firstName: firstName, lastName: lastName, username: account.username,
            phone: Self.digits(account.phone), isContact: false, isBot: false)
    }
}

extension SimulatorWorld.ChatKind {
    var supergroupID: Int64? {
        if case .supergroup(let id, _) = self { return id }
        return nil
    }

    var isChannel: Bool {
        if case .supergroup(_, true) = self { return true }
        return false
    }

    var privateUserID: Int64? {
        if case .privateChat(let userID) = self { return userID }
        return nil
    }
}

/// Where a login stands, for the account it is for.
struct LoginProgress {
    var account: SimulatorScenario.Account
    var failedCodeAttempts = 0
    var resent = false
    var codeChecked = false
    var emailPattern: String?
    var emailChecked = false
    var passwordChecked = false
    var registered = false
}

/// How much of a chat list a client has loaded: chats at or above `boundary`, or all once complete.
struct LoadedChatList {
    var boundary: SimulatorWorld.ChatListKey?
    /// Set when a server page came back empty: `loadChats` then answers 404.
    var isComplete = false

    func contains(_ key: SimulatorWorld.ChatListKey) -> Bool {
        isComplete || boundary.map { key >= $0 } ?? false
    }
}

/// TDLib's authorization states, as the simulator walks them.
enum AuthorizationStep: Equatable {
    case waitTdlibParameters, waitPhoneNumber, waitCode, waitEmailAddress, waitEmailCode, waitPassword
    case waitRegistration, waitOtherDeviceConfirmation, ready, loggingOut, closing, closed
}

/// One client's session.
struct ClientSession {
    var auth = AuthorizationStep.waitTdlibParameters
    var started = false
    var databaseDirectory: String?
    var userID: Int64?
    var isBot = false
    var login: LoginProgress?
    var qrLink: String?
    var knownChats: Set<Int64> = []
    var knownUsers: Set<Int64> = []
    /// The basic groups and supergroups the client has had an update for.
    var knownGroups: Set<Int64> = []
    /// How far the client has loaded each chat list (TDLib's last dialog date per list).
    var chatLists: [SimulatorWorld.ChatListID: LoadedChatList] = [:]
    /// Per chat, the oldest message the client holds; it holds every message from there to the newest.
    var historyFloor: [Int64: Int64] = [:]
    /// Bumped whenever the session ends, so that timers of an old session do nothing.
    var generation = 0
    var legacyOutput: OutputQueue?
    /// The options the client set with `setOption`.
    var options: [String: OptionValue] = [:]
    /// Pre-authentication requests sent before `setTdlibParameters`, which TDLib runs after it.
    var waitingForParameters: [[UInt8]] = []
    /// Set once td_receive has returned the client's authorizationStateClosed: TDLib's client manager
    /// then aborts every request without reading it.
    var isReleased = false

    /// Whether the session is not closing or closed: the states in which a request can be held.
    var isOpen: Bool {
        ![.loggingOut, .closing, .closed].contains(auth)
    }

    /// The TDLib object of the current authorization state.
    var authorizationState: AuthorizationState {
        switch auth {
        case .waitTdlibParameters: return .waitTdlibParameters(.init())
        case .waitPhoneNumber: return .waitPhoneNumber(.init())
        case .waitCode:
            let length = Int32(login?.account.code.count ?? 5)
            let info = AuthenticationCodeInfo(
                phoneNumber: login.map { SimulatorWorld.digits($0.account.phone) } ?? "",
                type: login?.resent == true
                    ? .sms(AuthenticationCodeTypeSms(length: length))
                    : .telegramMessage(AuthenticationCodeTypeTelegramMessage(length: length)),
                nextType: login?.resent == true ? nil : .sms(AuthenticationCodeTypeSms(length: length)),
                timeout: login?.resent == true ? 0 : 60)
            return .waitCode(AuthorizationStateWaitCode(codeInfo: info))
        case .waitEmailAddress:
            return .waitEmailAddress(AuthorizationStateWaitEmailAddress(allowAppleId: false, allowGoogleId: false))
        case .waitEmailCode:
            return .waitEmailCode(
                AuthorizationStateWaitEmailCode(
                    allowAppleId: false, allowGoogleId: false,
                    codeInfo: EmailAddressAuthenticationCodeInfo(
                        emailAddressPattern: login?.emailPattern ?? "",
                        length: Int32(login?.account.email?.code.count ?? 5))))
        case .waitPassword:
            let account = login?.account
            return .waitPassword(
                AuthorizationStateWaitPassword(
                    passwordHint: account?.passwordHint ?? "",
                    hasRecoveryEmailAddress: account?.hasRecoveryEmail ?? false,
                    hasPassportData: false,
                    recoveryEmailAddressPattern: account?.hasRecoveryEmail == true ? "r***@example.com" : ""))
        case .waitRegistration:
            return .waitRegistration(
                AuthorizationStateWaitRegistration(
                    termsOfService: TermsOfService(
                        text: FormattedText(
                            text: "These are the simulator's terms of service: nothing here is real.", entities: []),
                        minUserAge: 0, showPopup: false)))
        case .waitOtherDeviceConfirmation:
            return .waitOtherDeviceConfirmation(AuthorizationStateWaitOtherDeviceConfirmation(link: qrLink ?? ""))
        case .ready: return .ready(.init())
        case .loggingOut: return .loggingOut(.init())
        case .closing: return .closing(.init())
        case .closed: return .closed(.init())
        }
    }
}

extension AuthorizationStep {
    /// Only for `getAuthorizationState` before a session exists; sessions use `authorizationState`.
    var object: AuthorizationState {
        var session = ClientSession()
        session.auth = self
        return session.authorizationState
    }
}

/// A Telegram error the simulator answers with.
struct SimulatedError: Error {
    var code: Int
    var message: String

    static func unexpected(_ method: String) -> SimulatedError {
        SimulatedError(code: 400, message: "Call to \(method) unexpected")
    }
}
