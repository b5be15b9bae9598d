import Foundation
import Logging
import TelegramWeb

/// `tg-web`: with TG_API_ID and TG_API_HASH it serves real Telegram; otherwise the built-in simulator.
@main
enum TGWeb {
    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel =
                ProcessInfo.processInfo.environment["TG_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
            return handler
        }
        do {
            let app = WebApp(configuration: try WebConfiguration.fromEnvironment())
            try await app.run()
        } catch {
            FileHandle.standardError.write(Data("tg-web: \(error)\n".utf8))
            exit(1)
        }
    }
}
