import Foundation
import Logging
import Testing

@testable import TDLib

/// The one manager of the project-local libtdjson that every test in this process shares.
enum RealTDLib {
    static let manager: Result<TDClientManager, TDClientError> = Result {
        () throws(TDClientError) -> TDClientManager in
        let library = try TDLibrary.load()
        return try TDClientManager.shared(for: library, logger: Logger(label: "tests"), tdlibLogVerbosity: 1)
    }

    static func requireManager() throws -> TDClientManager {
        switch manager {
        case .success(let manager): return manager
        case .failure(let error):
            Issue.record("real TDLib is needed (run `make tdlib`): \(error)")
            throw error
        }
    }

    /// A fresh, empty folder for one client's database.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swift-telegram-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func parameters(directory: String, key: String = "") -> String {
        let encodedKey = Data(key.utf8).base64EncodedString()
        return """
            {"@type":"setTdlibParameters","use_test_dc":true,"database_directory":"\(directory)",
             "database_encryption_key":"\(encodedKey)","use_message_database":false,
             "api_id":94575,"api_hash":"a3406de8d171bb422bb6ddf3bbd800e2","system_language_code":"en",
             "device_model":"tests","application_version":"1"}
            """
    }

    /// A client taken to authorizationStateWaitPhoneNumber, with an update reader that stays with it.
    static func clientAtPhoneNumber(
        _ manager: TDClientManager, directory: String? = nil, key: String = ""
    ) async throws -> TDClient {
        let client = try manager.createClient()
        let directory = try directory ?? temporaryDirectory()
        _ = try await client.send(json: parameters(directory: directory, key: key), timeout: .seconds(30))
        try await waitForAuthorizationState(client, "authorizationStateWaitPhoneNumber")
        return client
    }

    static func waitForAuthorizationState(_ client: TDClient, _ state: String) async throws {
        for await update in client.updates
        where update.hasType("updateAuthorizationState") && update.string.contains("\"\(state)\"") {
            return
        }
        Issue.record("client \(client.id) closed before reaching \(state)")
    }
}

/// Polls `condition`, which the code under test makes true by itself, until it holds.
///
/// The timeout only ends a hang (and records it); it is far beyond any time the condition takes.
func waitUntil(
    timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("the condition did not hold within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(5))  // how often to look again; the condition decides
    }
}
