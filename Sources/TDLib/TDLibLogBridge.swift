import Logging
import Synchronization

/// Sends TDLib's own log messages to swift-log.
///
/// TDLib takes a plain C callback with no context, so the logger lives in a process-wide slot.
enum TDLibLogBridge {
    private static let logger = Mutex<Logger?>(nil)

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
        logger.log(level: level, "\(String(cString: message))")
    }
}
