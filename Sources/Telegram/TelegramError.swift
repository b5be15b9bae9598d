import TDLib

/// A failure of the ``Telegram`` client itself; TDLib's own errors stay `TDLibError`.
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
        /// The client was stopped, or TDLib closed the session.
        public static let stopped = Code("stopped")
        /// TDLib did not report the next authorization state in time.
        public static let timedOut = Code("timedOut")
        /// A blocking login needed an answer and got none (end of input).
        public static let noInput = Code("noInput")
        /// A local file cannot be sent: missing, a directory, empty or unreadable.
        public static let invalidFile = Code("invalidFile")
        /// Another conversation already runs in the chat.
        public static let conversationInProgress = Code("conversationInProgress")
        /// TDLib does not know the chat (its 400 "Chat not found"), kept in ``TelegramError/tdlibError``.
        public static let chatNotFound = Code("chatNotFound")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation; never contains a secret.
    public var message: String
    /// TDLib's own error, with its code and message, when TDLib's answer caused this one.
    public var tdlibError: TDLibError?
    /// The error that caused this one, when another error (a file system error, say) did.
    ///
    /// Not compared: two errors with the same code, message and TDLib error are equal.
    public var underlying: (any Error)?

    /// Creates an error, with what caused it if anything.
    public init(_ code: Code, _ message: String, tdlibError: TDLibError? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.tdlibError = tdlibError
        self.underlying = underlying
    }

    public var description: String { "\(code): \(message)" }

    public static func == (left: TelegramError, right: TelegramError) -> Bool {
        left.code == right.code && left.message == right.message && left.tdlibError == right.tdlibError
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(tdlibError)
    }
}
