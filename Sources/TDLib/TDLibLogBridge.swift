import Foundation
import Logging

/// Sends TDLib's own log messages to swift-log.
///
/// TDLib takes a plain C callback with no context, so the logger lives in a process-wide slot.
package enum TDLibLogBridge {
    private static let logger = Locked<Logger?>(nil)
    private static let secrets = Locked<Set<String>>([])

    /// Hides `secret` wherever it appears in TDLib's log messages from now on.
    package static func redact(_ secret: String) {
        guard secret.count >= 4 else { return }
        _ = secrets.withLock { $0.insert(secret) }
    }

    static func install(logger newLogger: Logger) {
        var tdlibLogger = newLogger
        tdlibLogger[metadataKey: "source"] = "tdlib"
        logger.withLock { $0 = tdlibLogger }
    }

    static let callback: TDLogMessageCallback = { verbosity, message in
        guard let message, let logger = TDLibLogBridge.logger.withLock({ $0 }) else { return }
        logger.log(
            level: TDLibLogBridge.level(ofVerbosity: verbosity),
            "\(TDLibLogBridge.redacted(String(cString: message)))")
    }

    /// The swift-log level of a TDLib message of `verbosity`.
    static func level(ofVerbosity verbosity: Int32) -> Logger.Level {
        switch verbosity {
        case 0: .critical
        case 1: .error
        case 2: .warning
        // TDLib's info level logs every request, answer and update whole (phone numbers, names, message
        // text): personal data, which stays below swift-log's info level.
        case 3: .debug
        default: .trace
        }
    }

    /// `text` with every secret given to ``redact(_:)`` hidden.
    static func redacted(_ text: String) -> String {
        var text = text
        for secret in secrets.withLock({ $0 }) where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return text
    }
}
