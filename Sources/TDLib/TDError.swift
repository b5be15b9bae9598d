/// TDLib said no: an error answered by TDLib itself (`{"@type":"error"}`), with TDLib's code and message kept.
///
/// Every layer throws this one type for TDLib's refusals (the raw and typed clients, `Telegram`'s calls,
/// waits and sequences), so one `catch let error as TDLibError` handles them all. A client that is closed
/// or a wait that timed out is a ``TDClientError`` instead.
public struct TDLibError: Error, Sendable, Hashable, CustomStringConvertible {
    /// TDLib's error code: an HTTP-like status (400, 401, 404, 429, 500...).
    public var code: Int
    /// TDLib's error message, for example `PHONE_CODE_INVALID`.
    public var message: String
    /// What to do about it, when this package knows better than TDLib's message: for TDLib's 400
    /// "Chat not found", how to make the chat known. Never a secret.
    ///
    /// Not compared: two errors with the same code and message are equal.
    public var hint: String?

    /// Creates an error with TDLib's code and message, and advice on what to do if any.
    public init(code: Int, message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    /// The number of seconds to wait, for a `429 Too Many Requests: retry after N` error.
    public var retryAfterSeconds: Int? {
        guard code == 429, let range = message.range(of: "retry after ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }

    public var description: String {
        guard let hint else { return "TDLib error \(code): \(message)" }
        return "TDLib error \(code): \(message) (\(hint))"
    }

    public static func == (left: TDLibError, right: TDLibError) -> Bool {
        left.code == right.code && left.message == right.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}

/// A failure on this side of TDLib: loading the library, a closed client, a timeout, bad input.
///
/// Compare ``code`` to the static members of ``TDClientError/Code``; new codes may be added. A closed
/// client (``Code/clientClosed``) and a wait that timed out (``Code/timedOut``) are always this type,
/// whichever layer reports them: the raw and typed clients, `Telegram`'s calls, waits and sequences after
/// `stop()`, and the test worlds of `TelegramTesting`. So one pattern catches each:
///
/// ```swift
/// do {
///     try await telegram.sendMessageAndWait(chatID: chatID, text: "Hi")
/// } catch let error as TDLibError {
///     print("TDLib said no: \(error.code) \(error.message)")
/// } catch let error as TDClientError where error.code == .clientClosed {
///     print("the client is closed")
/// } catch let error as TDClientError where error.code == .timedOut {
///     print("timed out")
/// }
/// ```
public struct TDClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of local failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// No candidate library could be loaded.
        public static let libraryNotFound = Code("libraryNotFound")
        /// The library loaded but lacks a required C symbol.
        public static let missingSymbol = Code("missingSymbol")
        /// The loaded TDLib is not the release the typed API was generated for, and that was asked to fail.
        public static let versionMismatch = Code("versionMismatch")
        /// Another ``TDClientManager`` already runs the receive loop of this library.
        public static let libraryInUse = Code("libraryInUse")
        /// The client is closed or stopped, or closed while the request or wait was pending.
        public static let clientClosed = Code("clientClosed")
        /// What was awaited (an answer, a login state, a sent message, a test world's event) did not come
        /// within its timeout.
        public static let timedOut = Code("timedOut")
        /// The waiting task was cancelled.
        public static let cancelled = Code("cancelled")
        /// TDLib's answer could not be decoded.
        public static let undecodable = Code("undecodable")
        /// The request is not a JSON object TDLib can take.
        public static let invalidRequest = Code("invalidRequest")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation; never contains request contents or secrets.
    public var message: String
    /// The error that caused this one, when another error did.
    public var underlying: (any Error)?

    /// Creates a local error, with the error that caused it if any.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code): \(message)" }
}
