import Foundation
import TDLibSimulator
import Telegram

/// The README's non-blocking login, as a web app drives it, with Bob's account of the simulator.
func loginOnTheSimulator() async throws {
    var configuration = try TelegramConfiguration(
        apiID: 12345, apiHash: "your-api-hash", databaseEncryptionKey: "changeme1234", phone: "+15550100002")
    configuration.library = TDSimulator(scenario: .default)
    configuration.filesDirectory = temporaryFolder("simulator")
    defer { try? FileManager.default.removeItem(atPath: configuration.filesDirectory ?? "") }

    let tg = try await Telegram(configuration: configuration)
    let code = "22222"
    let password = "correct horse"

    var state = try await tg.login(blocking: false)

    if case .waitCode = state {
        try await tg.sendCode(code)
        state = try await tg.login(blocking: false)  // continue the login process
    }

    if case .waitPassword = state {
        try await tg.sendPassword(password)
        state = try await tg.login(blocking: false)  // continue the login process
    }

    let me = try await tg.getMe()
    print("simulator: \(state.name), logged in as \(me.firstName)")
    await tg.stop()
}

/// A fresh folder for one client's database and files.
func temporaryFolder(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("hello-telegram-\(name)-\(UUID().uuidString)").path
}
