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
    var lastSendingID: Int32 = 0
    /// The methods whose requests wait for `release`, and the requests that wait.
    var heldMethods: Set<String> = []
    var held: [HeldRequest] = []
    private var lastNewUserID: Int64 = 900_000

    init(scenario: SimulatorScenario) {
        world = SimulatorWorld(scenario: scenario)
    }

    /// The methods that need a logged-in account.
    static let worldMethods: Set<String> = [
        "getMe", "getUser", "getUserFullInfo", "getChats", "loadChats", "getChat", "getChatHistory", "getMessage",
        "sendMessage", "deleteMessages", "importContacts", "getSupergroupFullInfo", "createBasicGroupChat",
        "getWebPageInstantView", "downloadFile", "cancelDownloadFile", "getFile",
    ]

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

/// The objects one request or event produces for one client, in order.
struct Outbox {
    let clientID: Int32
    /// The request's `@extra`, as raw JSON.
    var extra: [UInt8]?
    var items: [[UInt8]] = []
    /// Whether the last item is the client's `authorizationStateClosed`.
    var closesClient = false
    /// `false` for the answers of `td_execute`, which belong to no client.
    var addsClientID = true

    init(clientID: Int32) {
        self.clientID = clientID
    }

    mutating func answer(_ object: some TDEncodable) {
        items.append(finish(object.jsonBytes(), extra: extra))
        closesClient = false
    }

    mutating func error(_ code: Int, _ message: String) {
        answer(TDError(code: Int32(clamping: code), message: message))
    }

    /// A request TDLib could not read: a ``SimulatedError`` carries TDLib's whole message already.
    mutating func parseError(_ error: any Error) {
        if let error = error as? SimulatedError {
            self.error(error.code, error.message)
        } else {
            self.error(400, "Failed to parse JSON object as TDLib request: \(error)")
        }
    }

    mutating func update(_ update: Update) {
        items.append(finish(update.jsonBytes(), extra: nil))
        closesClient = false
    }

    mutating func setState(_ step: AuthorizationStep, session: inout ClientSession) {
        session.auth = step
        update(.authorizationState(UpdateAuthorizationState(authorizationState: session.authorizationState)))
        closesClient = step == .closed
    }

    /// Adds `@extra` and `@client_id` before the object's closing brace.
    private func finish(_ json: [UInt8], extra: [UInt8]?) -> [UInt8] {
        var bytes = json
        guard bytes.last == UInt8(ascii: "}") else { return bytes }
        bytes.removeLast()
        let isEmpty = bytes.count <= 1
        if let extra {
            bytes.append(contentsOf: (isEmpty ? "" : ",").utf8)
            bytes.append(contentsOf: #""@extra":"#.utf8)
            bytes.append(contentsOf: extra)
        }
        guard addsClientID else {
            bytes.append(UInt8(ascii: "}"))
            return bytes
        }
        bytes.append(contentsOf: ((isEmpty && extra == nil) ? "" : ",").utf8)
        bytes.append(contentsOf: #""@client_id":\#(clientID)}"#.utf8)
        return bytes
    }
}

/// A request as it came: its `@type`, its raw `@extra`, and its bytes for typed decoding.
struct Request {
    let type: String
    let extra: [UInt8]?
    let bytes: [UInt8]
    private let fields: [String: Any]

    init(_ bytes: [UInt8]) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw SimulatedError(code: 400, message: "Failed to parse JSON object as TDLib request: not an object")
        }
        switch object["@type"] {
        case let name as String:
            self.type = name
        case let number as NSNumber:
            // TDLib takes a function's TL constructor number in place of its name, read as 32 bits.
            let constructor = Int32(truncatingIfNeeded: number.int64Value)
            guard let name = TDRegistry.functionType(constructor: constructor) else {
                let hex = String(UInt32(bitPattern: constructor), radix: 16)
                throw SimulatedError(
                    code: 400,
                    message: "Failed to parse JSON object as TDLib request: Unknown constructor 0x"
                        + String(repeating: "0", count: 8 - hex.count) + hex)
            }
            self.type = name.description
        default:
            throw SimulatedError(
                code: 400, message: "Failed to parse JSON object as TDLib request: Can't find field \"@type\"")
        }
        self.bytes = bytes
        self.fields = object
        if let extra = object["@extra"] {
            self.extra = (try? JSONSerialization.data(withJSONObject: extra, options: [.fragmentsAllowed]))
                .map(Array.init)
        } else {
            self.extra = nil
        }
    }

    func string(_ key: String) -> String? { fields[key] as? String }

    /// Whether the request gives `key` a value other than `null`.
    func has(_ key: String) -> Bool { fields[key].map { !($0 is NSNull) } ?? false }

    /// The raw `@extra` of a request Foundation could not parse: a number or a string after the key.
    static func extra(scannedFrom bytes: [UInt8]) -> [UInt8]? {
        let key = Array(#""@extra""#.utf8)
        guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: key) }) else { return nil }
        var index = start + key.count
        func skipSpaces() { while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 } }
        skipSpaces()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        skipSpaces()
        let valueStart = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard index < bytes.count else { return nil }
            return Array(bytes[valueStart...index])
        }
        while index < bytes.count, "-+.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
        return index > valueStart ? Array(bytes[valueStart..<index]) : nil
    }

    func decode<F: TDDecodable>(_ type: F.Type) throws -> F {
        do {
            // TDLib reads a missing scalar, string or array field of a request as its default.
            return try TDMissingFields.$current.withValue(.useTDLibDefaults) { try F(json: bytes) }
        } catch let error as TDDecodingError {
            throw SimulatedError(code: 400, message: "Failed to parse JSON object as TDLib request: \(error)")
        }
    }
}

/// What a database directory holds for the simulator: a digest of the encryption key and the session.
struct SessionFile: Codable {
    var keyDigest: UInt64
    var userID: Int64?
    var isBot: Bool?
    /// A login under way: TDLib keeps it in its database, so a restarted client resumes at the same step.
    var login: SavedLogin?

    /// Where a login stood; never the code or password themselves.
    struct SavedLogin: Codable {
        var step: String
        var phone: String
        var userID: Int64
        var failedCodeAttempts: Int
        var resent: Bool
        var codeChecked: Bool
        var emailPattern: String?
        var emailChecked: Bool
        var passwordChecked: Bool

        static let steps: [String: AuthorizationStep] = [
            "waitCode": .waitCode, "waitEmailAddress": .waitEmailAddress, "waitEmailCode": .waitEmailCode,
            "waitPassword": .waitPassword, "waitRegistration": .waitRegistration,
        ]

        init?(_ session: ClientSession) {
            guard let login = session.login, let step = Self.steps.first(where: { $0.value == session.auth })?.key
            else { return nil }
            self.step = step
            phone = login.account.phone
            userID = login.account.userID
            failedCodeAttempts = login.failedCodeAttempts
            resent = login.resent
            codeChecked = login.codeChecked
            emailPattern = login.emailPattern
            emailChecked = login.emailChecked
            passwordChecked = login.passwordChecked
        }

        /// The step and progress again, with the account found in `scenario` (a new user when not listed).
        func restore(_ scenario: SimulatorScenario) -> (AuthorizationStep, LoginProgress)? {
            guard let step = Self.steps[step] else { return nil }
            let digits = SimulatorWorld.digits(phone)
            let account =
                scenario.accounts.first { SimulatorWorld.digits($0.phone) == digits }
                ?? SimulatorScenario.Account(
                    phone: phone, code: scenario.newUserCode ?? "12345", userID: userID, firstName: "",
                    registered: false)
            var progress = LoginProgress(account: account)
            progress.failedCodeAttempts = failedCodeAttempts
            progress.resent = resent
            progress.codeChecked = codeChecked
            progress.emailPattern = emailPattern
            progress.emailChecked = emailChecked
            progress.passwordChecked = passwordChecked
            return (step, progress)
        }
    }

    static let fileName = "td_simulator_session.json"

    /// FNV-1a of the key: enough to tell keys apart, without storing the key.
    static func digest(_ key: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func read(in directory: String) -> SessionFile? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(SessionFile.self, from: data)
    }

    static func write(_ file: SessionFile?, in directory: String) -> Bool {
        guard let file, let data = try? JSONEncoder().encode(file) else { return false }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try data.write(to: URL(fileURLWithPath: directory + "/" + fileName), options: .atomic)
            return true
        } catch {
            return false
        }
    }

    static func remove(in directory: String) {
        try? FileManager.default.removeItem(atPath: directory + "/" + fileName)
    }
}

/// `td_execute`'s answers, each valid until the same thread's next call.
///
/// `@unchecked Sendable`: the dictionary is only touched with `lock` held; each buffer is only read
/// by the thread it belongs to.
final class ExecuteResults: @unchecked Sendable {
    private let lock = NSLock()
    private var buffers: [UInt: UnsafeMutablePointer<CChar>] = [:]

    func store(_ bytes: [UInt8]) -> UnsafePointer<CChar> {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { buffer[index] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
        let thread = UInt(bitPattern: Int(bitPattern: pthread_self()))
        lock.lock()
        buffers[thread]?.deallocate()
        buffers[thread] = buffer
        lock.unlock()
        return UnsafePointer(buffer)
    }
}
