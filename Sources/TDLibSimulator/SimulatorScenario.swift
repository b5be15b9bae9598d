import Foundation

/// What the simulator's Telegram holds: accounts that can log in, the world they see, scripted events
/// and fault knobs. Read from JSON; every field but `accounts` may be left out.
public struct SimulatorScenario: Codable, Sendable, Hashable {
    /// A user account that logs in with a phone number.
    public struct Account: Codable, Sendable, Hashable {
        /// The phone number, as the user types it (digits, optionally with `+`).
        public var phone: String
        /// The login code sent to the account.
        public var code: String
        /// The account's user identifier.
        public var userID: Int64
        public var firstName: String
        public var lastName: String?
        public var username: String?
        /// The 2FA password; `nil` when the account has none.
        public var password: String?
        public var passwordHint: String?
        public var hasRecoveryEmail: Bool?
        /// When set, the login asks for an email address and a code sent to it.
        public var email: EmailStep?
        /// `false` for a number with no account yet: the login ends with registration.
        public var registered: Bool?

        enum CodingKeys: String, CodingKey {
            case phone, code
            case userID = "userId"
            case firstName, lastName, username, password, passwordHint
            case hasRecoveryEmail, email, registered
        }

        public init(
            phone: String, code: String, userID: Int64, firstName: String, lastName: String? = nil,
            username: String? = nil, password: String? = nil, passwordHint: String? = nil,
            hasRecoveryEmail: Bool? = nil, email: EmailStep? = nil, registered: Bool? = nil
        ) {
            self.phone = phone
            self.code = code
            self.userID = userID
            self.firstName = firstName
            self.lastName = lastName
            self.username = username
            self.password = password
            self.passwordHint = passwordHint
            self.hasRecoveryEmail = hasRecoveryEmail
            self.email = email
            self.registered = registered
        }
    }

    /// The email step of a login.
    public struct EmailStep: Codable, Sendable, Hashable {
        /// The code sent to the email address.
        public var code: String
    }

    /// A bot that logs in with a token.
    public struct Bot: Codable, Sendable, Hashable {
        public var token: String
        public var userID: Int64
        public var firstName: String
        public var username: String

        enum CodingKeys: String, CodingKey {
            case token
            case userID = "userId"
            case firstName, username
        }

        /// Creates a bot in code.
        public init(token: String, userID: Int64, firstName: String, username: String) {
            self.token = token
            self.userID = userID
            self.firstName = firstName
            self.username = username
        }
    }

    /// Another user of the world.
    public struct User: Codable, Sendable, Hashable {
        public var id: Int64
        public var firstName: String
        public var lastName: String?
        public var username: String?
        public var phone: String?
        public var isContact: Bool?

        /// Creates a user in code.
        public init(
            id: Int64, firstName: String, lastName: String? = nil, username: String? = nil, phone: String? = nil,
            isContact: Bool? = nil
        ) {
            self.id = id
            self.firstName = firstName
            self.lastName = lastName
            self.username = username
            self.phone = phone
            self.isContact = isContact
        }
    }

    /// A chat of the world: `private` (with `userId`), `basicGroup`, `supergroup` or `channel`.
    ///
    /// Chats are listed in the order given, first on top, until a message moves one up; `list` is
    /// `main` (when absent) or `archive`; `username` makes a supergroup or channel public.
    /// `membersOnly` makes `memberIds` the whole membership: only they get the group's messages (by
    /// default every logged-in account is a member besides them).
    public struct Chat: Codable, Sendable, Hashable {
        public var id: Int64
        public var kind: String
        public var userID: Int64?
        public var title: String?
        public var memberIDs: [Int64]?
        public var list: String?
        public var username: String?
        public var membersOnly: Bool?

        enum CodingKeys: String, CodingKey {
            case id, kind
            case userID = "userId"
            case title
            case memberIDs = "memberIds"
            case list, username, membersOnly
        }

        /// Creates a chat in code.
        public init(
            id: Int64, kind: String, userID: Int64? = nil, title: String? = nil, memberIDs: [Int64]? = nil,
            list: String? = nil, username: String? = nil, membersOnly: Bool? = nil
        ) {
            self.membersOnly = membersOnly
            self.id = id
            self.kind = kind
            self.userID = userID
            self.title = title
            self.memberIDs = memberIDs
            self.list = list
            self.username = username
        }
    }

    /// A message already in a chat when the scenario starts.
    public struct Message: Codable, Sendable, Hashable {
        public var chatID: Int64
        public var senderID: Int64
        public var text: String
        public var date: Int32?
        /// A file the message carries (a photo, document...); `text` is then its caption.
        public var file: MessageFile?

        enum CodingKeys: String, CodingKey {
            case chatID = "chatId"
            case senderID = "senderId"
            case text, date, file
        }

        /// Creates a message in code.
        public init(chatID: Int64, senderID: Int64, text: String, date: Int32? = nil, file: MessageFile? = nil) {
            self.chatID = chatID
            self.senderID = senderID
            self.text = text
            self.date = date
            self.file = file
        }
    }

    /// Something that happens by itself, counted from the moment a client is ready.
    ///
    /// `type` is `incomingMessage` (`chatId`, `senderId`, `text`), `reply` (when the user sends
    /// `whenText` to a chat, its other member answers `text`), `connectionState` (`state`: `ready`,
    /// `connecting`, `waitingForNetwork`, `updating`, `connectingToProxy`), `revokeSession` (the session
    /// is ended from another device), or `qrConfirm` (another device accepts the QR login).
    public struct Event: Codable, Sendable, Hashable {
        public var type: String
        public var after: Double?
        public var chatID: Int64?
        public var senderID: Int64?
        public var text: String?
        public var whenText: String?
        public var state: String?

        enum CodingKeys: String, CodingKey {
            case type, after
            case chatID = "chatId"
            case senderID = "senderId"
            case text, whenText, state
        }

        /// Creates an event; see the type's documentation for which fields each `type` uses.
        public init(
            type: String, after: Double? = nil, chatID: Int64? = nil, senderID: Int64? = nil, text: String? = nil,
            whenText: String? = nil, state: String? = nil
        ) {
            self.type = type
            self.after = after
            self.chatID = chatID
            self.senderID = senderID
            self.text = text
            self.whenText = whenText
            self.state = state
        }
    }

    /// Faults to inject.
    public struct Faults: Codable, Sendable, Hashable {
        /// Every answer and update comes this much later.
        public var latencyMilliseconds: Int?
        /// Calls that fail.
        public var errors: [ScheduledError]?
        /// Once a client is ready, this many `updateOption` updates a second, for load tests.
        public var updatesPerSecond: Int?

        /// Creates fault knobs.
        public init(latencyMilliseconds: Int? = nil, errors: [ScheduledError]? = nil, updatesPerSecond: Int? = nil) {
            self.latencyMilliseconds = latencyMilliseconds
            self.errors = errors
            self.updatesPerSecond = updatesPerSecond
        }
    }

    /// The `call`-th call (from 1) of `method` fails with `code` and `message`; every call when `call` is absent.
    public struct ScheduledError: Codable, Sendable, Hashable {
        public var method: String
        public var call: Int?
        public var code: Int
        public var message: String

        /// Creates a scheduled error.
        public init(method: String, call: Int? = nil, code: Int, message: String) {
            self.method = method
            self.call = call
            self.code = code
            self.message = message
        }
    }

    public var accounts: [Account]
    public var bots: [Bot]?
    public var users: [User]?
    public var chats: [Chat]?
    public var messages: [Message]?
    public var events: [Event]?
    public var faults: Faults?
    /// Transfer speeds and Telegram's file size limits; Telegram's own values when absent.
    public var files: FileSettings?
    /// The account that a QR login logs into when confirmed; the first account when absent.
    public var qrAccountPhone: String?
    /// The login code of a phone number not listed in `accounts`: it registers as a new user.
    public var newUserCode: String?
    /// A login code that is always reported as expired (`PHONE_CODE_EXPIRED`); "00000" when absent.
    public var expiredCode: String?
    /// Wrong codes allowed before `429 Too Many Requests: retry after N`.
    public var maxCodeAttempts: Int?
    /// The N of that error.
    public var floodWaitSeconds: Int?
    /// How long TDLib takes to close a client after `close` (authorizationStateClosing, then Closed):
    /// 20 ms when absent, or none when the simulator runs on a manual clock.
    public var closingMilliseconds: Int?
    /// How much of a chat list or history TDLib holds and loads at a time; TDLib's values when absent.
    public var paging: Paging?
    /// How long Telegram's servers take; realistic values when absent.
    public var network: Network?

    /// Reads a scenario from JSON.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(SimulatorScenario.self, from: json)
    }

    /// Reads a scenario from a JSON file.
    public init(contentsOf path: String) throws {
        try self.init(json: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The environment variable that names a scenario file for the simulator library.
    public static let environmentVariable = "TDLIB_SIMULATOR_SCENARIO"

    /// The built-in scenario that `make demo`, the tests and the documentation use.
    public static var `default`: SimulatorScenario {
        // The literal is fixed and checked by the tests, so decoding it cannot fail at run time.
        (try? SimulatorScenario(json: Data(defaultJSON.utf8))) ?? SimulatorScenario(accounts: [])
    }

    /// Creates a scenario in code.
    public init(accounts: [Account], bots: [Bot]? = nil) {
        self.accounts = accounts
        self.bots = bots
    }

    /// The built-in scenario as JSON.
    public static let defaultJSON = """
        {
          "accounts": [
            {"phone": "+15550100001", "code": "11111", "userId": 1001, "firstName": "Alice", "lastName": "Simulated",
             "username": "alice_sim"},
            {"phone": "+15550100002", "code": "22222", "userId": 1002, "firstName": "Bob", "lastName": "Secure",
             "username": "bob_sim", "password": "correct horse", "passwordHint": "a horse", "hasRecoveryEmail": true},
            {"phone": "+15550100003", "code": "33333", "userId": 1003, "firstName": "Carol", "lastName": "Mail",
             "email": {"code": "44444"}},
            {"phone": "+15550100004", "code": "55555", "userId": 1004, "firstName": "", "registered": false}
          ],
          "bots": [
            {"token": "1000001:SIMULATOR-BOT-TOKEN", "userId": 1000001, "firstName": "Echo", "username": "echo_sim_bot"}
          ],
          "users": [
            {"id": 2001, "firstName": "Dave", "lastName": "Friend", "username": "dave_sim", "phone": "+15550102001",
             "isContact": true},
            {"id": 2002, "firstName": "Erin", "lastName": "Colleague", "username": "erin_sim", "phone": "+15550102002"}
          ],
          "chats": [
            {"id": 2001, "kind": "private", "userId": 2001},
            {"id": 2002, "kind": "private", "userId": 2002},
            {"id": -3001, "kind": "basicGroup", "title": "Weekend plans", "memberIds": [2001, 2002]},
            {"id": -1000000004001, "kind": "supergroup", "title": "Swift on Linux", "memberIds": [2001, 2002]},
            {"id": -1000000004002, "kind": "channel", "title": "Simulator news", "memberIds": []}
          ],
          "messages": [
            {"chatId": 2001, "senderId": 2001, "text": "Hi! Are we still on for Saturday?", "date": 1767225600},
            {"chatId": 2002, "senderId": 2002, "text": "The build is green again.", "date": 1767229200},
            {"chatId": -3001, "senderId": 2002, "text": "Hiking or the lake?", "date": 1767232800},
            {"chatId": -3001, "senderId": 2001, "text": "The lake, if it is sunny.", "date": 1767236400},
            {"chatId": -1000000004001, "senderId": 2001, "text": "Swift 6.3 builds this package in one go.",
             "date": 1767240000},
            {"chatId": -1000000004002, "senderId": 2002, "text": "Welcome to the simulator's news channel.",
             "date": 1767243600},
            {"chatId": -1000000004002, "senderId": 2002, "text": "The new logo", "date": 1767247200,
             "file": {"kind": "photo", "size": 262144, "width": 1280, "height": 720, "fileName": "logo.jpg"}},
            {"chatId": -1000000004002, "senderId": 2002, "text": "The release notes", "date": 1767250800,
             "file": {"kind": "document", "size": 1048576, "fileName": "release-notes.pdf",
                      "mimeType": "application/pdf"}}
          ],
          "events": [
            {"type": "reply", "whenText": "ping", "text": "pong"},
            {"type": "incomingMessage", "after": 2, "chatId": 2001, "senderId": 2001, "text": "ping"},
            {"type": "qrConfirm", "after": 1}
          ],
          "newUserCode": "12345",
          "maxCodeAttempts": 5,
          "floodWaitSeconds": 30
        }
        """
}
