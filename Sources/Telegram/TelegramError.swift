import TDLib

/// A failure of the ``Telegram`` client itself: a bad configuration, a login call out of turn, a file that
/// cannot be sent.
///
/// The other failures have one type at every layer: TDLib's refusals are `TDLibError` (with TDLib's code and
/// message), and a stopped client or a wait that timed out is `TDClientError` with code `clientClosed` or
/// `timedOut`. See <doc:HandlingErrors>.
public struct TelegramError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The configuration is incomplete or contradictory.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// Another login call on the same client is still running.
        public static let loginInProgress = Code("loginInProgress")
        /// The call needs an authorization state the client is not in.
        public static let unexpectedState = Code("unexpectedState")
        /// A blocking login needed an answer and got none (end of input).
        public static let noInput = Code("noInput")
        /// A local file cannot be sent: missing, a directory, empty or unreadable.
        public static let invalidFile = Code("invalidFile")
        /// Another conversation already runs in the chat.
        public static let conversationInProgress = Code("conversationInProgress")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation; never contains a secret.
    public var message: String
    /// The error that caused this one, when another error (a file system error, say) did.
    ///
    /// Not compared: two errors with the same code and message are equal.
    public var underlying: (any Error)?

    /// Creates an error, with what caused it if anything.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code): \(message)" }

    public static func == (left: TelegramError, right: TelegramError) -> Bool {
        left.code == right.code && left.message == right.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
