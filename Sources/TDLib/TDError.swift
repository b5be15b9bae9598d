/// An error answered by TDLib itself (`{"@type":"error"}`), with TDLib's code and message kept.
public struct TDLibError: Error, Sendable, Hashable, CustomStringConvertible {
    /// TDLib's error code: an HTTP-like status (400, 401, 404, 429, 500...).
    public var code: Int
    /// TDLib's error message, for example `PHONE_CODE_INVALID`.
    public var message: String

    /// Creates an error with TDLib's code and message.
    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// The number of seconds to wait, for a `429 Too Many Requests: retry after N` error.
    public var retryAfterSeconds: Int? {
        guard code == 429, let range = message.range(of: "retry after ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }

    public var description: String { "TDLib error \(code): \(message)" }
}

/// A failure on this side of TDLib: loading the library, a closed client, a timeout, bad input.
///
/// Compare ``code`` to the static members of ``TDClientError/Code``; new codes may be added.
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
        /// The client is closed, or closed while the request waited.
        public static let clientClosed = Code("clientClosed")
        /// No answer came within the request's timeout.
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
    /// A human-readable explanation; never contains request contents.
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
