import Foundation
import Telegram

/// Real TDLib, found by `TDLibrary.load()` in this package's `.tdlib/` (`swift package install-tdlib`):
/// offline, it takes the parameters and then waits for the network to send the phone number.
func reachThePhoneNumberStep() async throws {
    var configuration = try TelegramConfiguration(
        apiID: 94575, apiHash: "a3406de8d171bb422bb6ddf3bbd800e2", databaseEncryptionKey: "changeme1234",
        phone: "+15550100001")
    configuration.useTestDC = true
    configuration.tdlibVerbosity = 1
    configuration.tdlibVersionMismatch = .fail
    configuration.filesDirectory = temporaryFolder("tdlib")
    defer { try? FileManager.default.removeItem(atPath: configuration.filesDirectory ?? "") }

    let tg = try await Telegram(configuration: configuration)
    let states = tg.updates(types: ["updateAuthorizationState"])
    let login = Task { try await tg.login(blocking: false) }
    var reached = false
    for await update in states {
        guard case .authorizationState(let change) = update else { continue }
        let state = LoginState(change.authorizationState)
        print("tdlib: \(state.name)")
        if state == .waitPhoneNumber {
            reached = true
            break
        }
    }
    await tg.stop()  // closes the TDLib client before the process exits
    _ = await login.result
    guard reached else { throw TelegramError(.unexpectedState, "the client closed before the phone number step") }
}
