import Foundation
import Logging
import TDLib

// Starts one real TDLib client, takes it to authorizationStateWaitPhoneNumber, prints TDLib's
// version, and closes it.

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .info
    return handler
}
let logger = Logger(label: "tdlib-demo")

do {
    let library = try TDLibrary.load(logger: logger)
    let manager = try TDClientManager(library: library, logger: logger)
    let client = try manager.createClient()
    let databaseDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("tdlib-demo-\(ProcessInfo.processInfo.processIdentifier)").path
    defer { try? FileManager.default.removeItem(atPath: databaseDirectory) }

    let version = try await client.send(json: #"{"@type":"getOption","name":"version"}"#, timeout: .seconds(10))
    print("TDLib answered getOption(version): \(version)")
    _ = try await client.send(
        json: """
            {"@type":"setTdlibParameters","use_test_dc":true,"database_directory":"\(databaseDirectory)",
             "use_message_database":false,"api_id":94575,"api_hash":"a3406de8d171bb422bb6ddf3bbd800e2",
             "system_language_code":"en","device_model":"swift-telegram demo","application_version":"0.1"}
            """, timeout: .seconds(10))
    for await update in client.updates where update.hasType("updateAuthorizationState") {
        print("Authorization state: \(update)")
        if update.string.contains("authorizationStateWaitPhoneNumber") { break }
    }
    try await manager.shutdown(timeout: .seconds(10))
    print("Closed cleanly.")
} catch {
    print("tdlib-demo failed: \(error)")
    exit(1)
}
