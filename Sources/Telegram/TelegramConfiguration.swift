import Foundation
import TDLib

/// A value that must never reach a log line or an error message: a key, a token, a password.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    ExpressibleByStringLiteral
{
    /// The secret's bytes.
    public let bytes: [UInt8]

    /// A secret given as text (UTF-8).
    public init(_ text: String) { bytes = Array(text.utf8) }
    /// A secret given as bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(stringLiteral value: String) { self.init(value) }

    /// The secret as text, for sending it to TDLib.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
}

/// A proxy for TDLib's connections to Telegram.
public enum TelegramProxy: Sendable, Hashable {
    /// A SOCKS5 proxy, with optional credentials.
    case socks5(server: String, port: Int, username: String = "", password: Secret = "")
    /// An HTTP proxy; `httpOnly` when it cannot tunnel TCP with the CONNECT method.
    case http(server: String, port: Int, username: String = "", password: Secret = "", httpOnly: Bool = false)
    /// A Telegram MTProto proxy with its secret (hexadecimal or base64).
    case mtproto(server: String, port: Int, secret: Secret)

    /// Reads a proxy URL: `socks5://user:pass@host:port`, `http://host:port`, `mtproto://secret@host:port`.
    public init(url: String) throws(TelegramError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty, let port = components.port, (1...65535).contains(port)
        else {
            throw TelegramError(.invalidConfiguration, "a proxy URL looks like socks5://user:pass@host:port")
        }
        let user = components.user ?? ""
        let password = Secret(components.password ?? "")
        switch scheme {
        case "socks5", "socks": self = .socks5(server: host, port: port, username: user, password: password)
        case "http", "https": self = .http(server: host, port: port, username: user, password: password)
        case "mtproto", "tg":
            guard !user.isEmpty else {
                throw TelegramError(
                    .invalidConfiguration, "an MTProto proxy URL needs its secret: mtproto://SECRET@host:port")
            }
            self = .mtproto(server: host, port: port, secret: Secret(user))
        default:
            throw TelegramError(
                .invalidConfiguration, "unsupported proxy scheme \(scheme): use socks5, http or mtproto")
        }
    }
}

/// How the client logs in.
public enum TelegramAccount: Sendable, Hashable, CustomStringConvertible {
    /// A user account, by phone number.
    case phone(String)
    /// A bot, by the token BotFather gave.
    case bot(token: Secret)
    /// A user account, by scanning a QR code from a device where it is logged in.
    case qrCode

    /// Names the account without personal data: a phone number shows only its last two digits (logs
    /// and errors carry this; the whole number stays in the configuration).
    public var description: String {
        switch self {
        case .phone(let phone): "phone …\(String(phone.filter(\.isNumber).suffix(2)))"
        case .bot(let token): "bot \(token.text.prefix { $0 != ":" })"
        case .qrCode: "QR-code login"
        }
    }

    /// A name for the account's default folder that reveals neither the phone number nor the token.
    var folderName: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let key: [UInt8] =
            switch self {
            case .phone(let phone): Array(("phone:" + phone.filter(\.isNumber)).utf8)
            case .bot(let token): Array("bot:".utf8) + token.bytes
            case .qrCode: Array("qr".utf8)
            }
        for byte in key {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// Everything a ``Telegram`` client is configured with, as python-telegram's `Telegram(...)` takes it.
public struct TelegramConfiguration: Sendable, CustomStringConvertible {
    /// The application's API id from my.telegram.org.
    public var apiID: Int32
    /// The application's API hash from my.telegram.org.
    public var apiHash: Secret
    /// The key that encrypts TDLib's local database; sent to TDLib as bytes (base64 in JSON).
    public var databaseEncryptionKey: Secret
    /// The account: a phone number or a bot token.
    public var account: TelegramAccount
    /// Where TDLib keeps its database (`database/`) and files (`files/`).
    ///
    /// The default is a persistent per-user folder keyed by the account: `$XDG_DATA_HOME/swift-telegram/<key>`
    /// (`~/.local/share/...`) on Linux, `~/Library/Application Support/swift-telegram/<key>` on macOS.
    public var filesDirectory: String?
    /// The libtdjson to load (see `TDLibrary.load(path:)`); ignored when ``library`` is set.
    public var libraryPath: String?
    /// A TDLib backend to use instead of loading one, for example the simulator.
    public var library: (any TDJSONInterface)?
    /// What to do when the TDLib in use is not the release the typed API was generated for: log a warning
    /// naming both (the default), or fail the client's creation with `TDClientError` `versionMismatch`.
    public var tdlibVersionMismatch: TDLibVersionMismatchPolicy = .warn
    public var useTestDC = false
    public var useMessageDatabase = true
    public var useSecretChats = true
    public var deviceModel = "swift-telegram"
    public var applicationVersion = "0.1"
    public var systemVersion = "unknown"
    public var systemLanguageCode = "en"
    /// TDLib's own log level (0 fatal ... 5 verbose), sent to the client's logger; TDLib's info (3) and
    /// above, which carry requests and updates whole, at `debug` and `trace`.
    public var tdlibVerbosity = 2
    /// A proxy, added to TDLib once, before the first login.
    public var proxy: TelegramProxy?
    /// Log in (blocking) as soon as the client is created, like python-telegram's `login=True`.
    public var loginAtStart = false
    /// How many unread updates each subscriber keeps before dropping the oldest.
    public var updateBufferSize = 10_000
    /// How long a login step waits for TDLib's next authorization state.
    public var stepTimeout: Duration = .seconds(60)
    /// How long closing the client as a service (``Telegram/run()``) waits for TDLib to report the session
    /// closed before giving the client up.
    public var closeTimeout: Duration = .seconds(10)
    /// The longest flood wait (`429 Too Many Requests: retry after N`) that a call waits out and retries
    /// by itself, at most three times; a longer one is thrown at once. `.zero` turns retrying off.
    public var floodWaitLimit: Duration = .seconds(10)
    /// How many updates handlers may work on at once. 1 (the default, python-telegram's behaviour): one
    /// at a time, in order. Above 1: the updates of different chats at the same time, those of one chat
    /// (and those of no chat) still one after another in their order; between chats there is no order.
    public var handlerConcurrency = 1
    /// The clock that flood waits are waited on; a test gives one it moves itself, such as the simulator's.
    public var clock: any Clock<Duration> = ContinuousClock()

    /// Creates a configuration for an account given as a ``TelegramAccount``.
    public init(apiID: Int32, apiHash: Secret, databaseEncryptionKey: Secret, account: TelegramAccount) {
        self.apiID = apiID
        self.apiHash = apiHash
        self.databaseEncryptionKey = databaseEncryptionKey
        self.account = account
    }

    /// Creates a configuration; exactly one of `phone` and `botToken` is required.
    public init(
        apiID: Int32, apiHash: Secret, databaseEncryptionKey: Secret, phone: String? = nil, botToken: Secret? = nil
    ) throws(TelegramError) {
        switch (phone, botToken) {
        case (let phone?, nil):
            guard !phone.isEmpty else { throw TelegramError(.invalidConfiguration, "the phone number is empty") }
            account = .phone(phone)
        case (nil, let token?):
            guard !token.bytes.isEmpty else { throw TelegramError(.invalidConfiguration, "the bot token is empty") }
            account = .bot(token: token)
        case (nil, nil):
            throw TelegramError(.invalidConfiguration, "a phone number or a bot token is required")
        case (.some, .some):
            throw TelegramError(.invalidConfiguration, "give a phone number or a bot token, not both")
        }
        self.apiID = apiID
        self.apiHash = apiHash
        self.databaseEncryptionKey = databaseEncryptionKey
    }

    public var description: String {
        "TelegramConfiguration(apiID: \(apiID), account: \(account), filesDirectory: \(resolvedFilesDirectory), testDC: \(useTestDC))"
    }

    /// The files directory in use: the configured one, or the per-account default.
    public var resolvedFilesDirectory: String {
        if let filesDirectory, !filesDirectory.isEmpty { return filesDirectory }
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        #if os(macOS)
            let base = home + "/Library/Application Support"
        #else
            let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        #endif
        return base + "/swift-telegram/" + account.folderName
    }
}
