import Foundation
import Telegram
import Testing

@Suite("Telegram: real TDLib, offline")
struct TelegramRealTDLibTests {
    func configuration(phone: String = "+15550100001", key: Secret = "real key", folder: String? = nil) throws
        -> TelegramConfiguration
    {
        var configuration = try TelegramConfiguration(
            apiID: 94575, apiHash: "a3406de8d171bb422bb6ddf3bbd800e2", databaseEncryptionKey: key, phone: phone)
        configuration.useTestDC = true
        configuration.filesDirectory =
            folder
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("telegram-real-\(UUID().uuidString)").path
        configuration.tdlibVerbosity = 1
        // Only a guard against a hang: the tests below decide by the states TDLib reports, never by this.
        configuration.stepTimeout = .seconds(60)
        return configuration
    }

    /// Starts a non-blocking login and returns once TDLib waits for the phone number, which offline it never
    /// gets further than: the login is still waiting for TDLib's answer to the number.
    func loginToThePhoneNumberStep(_ tg: Telegram) async throws -> Task<LoginState, any Error> {
        let login = Task { try await tg.login(blocking: false) }
        try await waitUntil { tg.authorizationState == .waitPhoneNumber }
        return login
    }

    @Test func loginReachesThePhoneNumberStep() async throws {
        let tg = try await Telegram(configuration: try configuration())
        #expect(try await tg.getAuthorizationState() == .waitTdlibParameters)
        // Offline, TDLib takes the parameters, then waits for the network to send the phone number.
        let login = try await loginToThePhoneNumberStep(tg)
        #expect(tg.authorizationState == .waitPhoneNumber)
        await tg.stop()
        // TDLib aborts the phone number request as it closes (500), unless the close is seen first.
        await #expect(throws: (any Error).self) { _ = try await login.value }
    }

    @Test func wrongDatabaseKeyIsTDLibsError401() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("telegram-key-\(UUID().uuidString)")
            .path
        let first = try await Telegram(configuration: try configuration(folder: folder))
        let firstLogin = try await loginToThePhoneNumberStep(first)  // the database exists, with the first key
        await first.stop()
        _ = try? await firstLogin.value
        let second = try await Telegram(configuration: try configuration(key: "another key", folder: folder))
        do {
            _ = try await second.login(blocking: false)
            Issue.record("expected error 401")
        } catch let error as TDLibError {
            #expect(error.code == 401)
            #expect(!error.message.contains("another key"))
        } catch {
            // Recorded, not thrown: the client must stop first, or TDLib can abort the process at exit.
            Issue.record("expected error 401, got \(error)")
        }
        await second.stop()
    }

    @Test func stopEndsRequestsInFlight() async throws {
        let tg = try await Telegram(configuration: try configuration())
        let login = try await loginToThePhoneNumberStep(tg)
        let inFlight = (0..<10).map { _ in Task { try await tg.send(TestNetwork()) } }
        // The ten, and the login's phone number request, which offline TDLib keeps waiting.
        try await waitUntil { tg.client.pendingRequestCount == 11 }
        await tg.stop()
        _ = try? await login.value
        for request in inFlight {
            await #expect(throws: (any Error).self) { _ = try await request.value }
        }
    }

    @Test func hundredClientsEachWithATelegramObject() async throws {
        let clients = try await withThrowingTaskGroup(of: Telegram.self) { group in
            for index in 0..<100 {
                group.addTask {
                    let tg = try await Telegram(configuration: try configuration(phone: "+1555000\(1000 + index)"))
                    #expect(try await tg.send(TestSquareInt(x: Int32(index))).value == Int32(index * index))
                    return tg
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(clients.count == 100)
        await withTaskGroup(of: Void.self) { group in
            for tg in clients { group.addTask { await tg.stop() } }
        }
        #expect(clients.allSatisfy { !$0.client.isOpen })
    }
}
