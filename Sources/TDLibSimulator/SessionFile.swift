import Foundation

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
        func restore(
            _ scenario: SimulatorScenario, accounts: [SimulatorScenario.Account]
        ) -> (AuthorizationStep, LoginProgress)? {
            guard let step = Self.steps[step] else { return nil }
            let digits = SimulatorWorld.digits(phone)
            let account =
                accounts.first { SimulatorWorld.digits($0.phone) == digits }
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
