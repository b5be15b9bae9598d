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
        let level: Logger.Level =
            switch verbosity {
            case 0: .critical
            case 1: .error
            case 2: .warning
            case 3: .info
            case 4: .debug
            default: .trace
            }
        var text = String(cString: message)
        for secret in TDLibLogBridge.secrets.withLock({ $0 }) where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
        }
        logger.log(level: level, "\(text)")
    }
}
