import Foundation
import Testing

@testable import TDLibAPIClient
@testable import TDLibSimulator

/// Every update a client receives, kept for the test to look through.
///
/// Waiting is driven by arriving updates; the timeout only ends a wait that would hang.
actor UpdateLog {
    private(set) var updates: [Update] = []
    private(set) var rawTypes: [String] = []
    private var cursor = 0
    private var waiter: CheckedContinuation<Void, Never>?
    /// Whether the client's update stream has ended (it closed).
    private(set) var isFinished = false

    func append(_ update: Update, type: String) {
        updates.append(update)
        rawTypes.append(type)
        wake()
    }

    func finish() {
        isFinished = true
        wake()
    }

    /// Waits until the client's update stream has ended.
    func waitUntilFinished(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !isFinished {
            guard ContinuousClock.now < deadline else { throw HarnessError.timedOut }
            await waitForChange(until: deadline)
        }
    }

    private func wake() {
        waiter?.resume()
        waiter = nil
    }

    /// Waits for the next update, after the ones already taken, that `matches` accepts.
    func next<T>(timeout: Duration = .seconds(60), _ matches: (Update) -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            while cursor < updates.count {
                defer { cursor += 1 }
                if let value = matches(updates[cursor]) { return value }
            }
            guard ContinuousClock.now < deadline else { throw HarnessError.timedOut }
            await waitForChange(until: deadline)
        }
    }

    /// Returns when an update arrives, the stream ends, or `deadline` passes (which only ends a hang).
    private func waitForChange(until deadline: ContinuousClock.Instant) async {
        let alarm = Task { [weak self] in
            try await Task.sleep(until: deadline)  // only a hang gets here
            await self?.wake()
        }
        await withCheckedContinuation { waiter = $0 }
        alarm.cancel()
    }

    func nextAuthorizationState(timeout: Duration = .seconds(60)) async throws -> AuthorizationState {
        try await next(timeout: timeout) {
            if case .authorizationState(let update) = $0 { return update.authorizationState }
            return nil
        }
    }
}

enum HarnessError: Error { case timedOut, unexpectedFirstState }

/// A simulator with its own client manager, shut down at the end of each test.
struct SimulatedTelegram {
    let simulator: TDSimulator
    let manager: TDClientManager

    init(_ scenario: SimulatorScenario = .default, clock: SimulatorClock = .realTime()) throws {
        simulator = TDSimulator(scenario: scenario, clock: clock)
        manager = try TDClientManager(library: simulator)
    }

    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simulator-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// A client whose updates are logged, with its TDLib parameters set.
    func client(
        directory: String? = nil, key: [UInt8] = [], filesDirectory: String = "", useFileDatabase: Bool = false
    ) async throws -> (TDClient, UpdateLog) {
        let client = try manager.createClient()
        let log = UpdateLog()
        Task {
            for await object in client.updates {
                let update = try Update(json: object.bytes)
                await log.append(update, type: object.type)
            }
            await log.finish()
        }
        _ = try await client.send(
            SetTdlibParameters(
                useTestDc: true, databaseDirectory: try directory ?? Self.temporaryDirectory(),
                filesDirectory: filesDirectory, databaseEncryptionKey: key, useFileDatabase: useFileDatabase,
                useChatInfoDatabase: false,
                useMessageDatabase: false, useSecretChats: false, apiId: 94575, apiHash: "simulated",
                systemLanguageCode: "en", deviceModel: "tests", systemVersion: "", applicationVersion: "1"),
            timeout: .seconds(60))
        guard case .waitTdlibParameters = try await log.nextAuthorizationState() else {
            throw HarnessError.unexpectedFirstState
        }
        return (client, log)
    }

    func shutdown() async throws {
        try await manager.shutdown(timeout: .seconds(30))
    }
}

/// Runs `body` with a fresh simulator, and always shuts it down.
func withSimulator(
    _ scenario: SimulatorScenario = .default, clock: SimulatorClock = .realTime(),
    _ body: (SimulatedTelegram) async throws -> Void
) async throws {
    let telegram = try SimulatedTelegram(scenario, clock: clock)
    do {
        try await body(telegram)
    } catch {
        try? await telegram.shutdown()
        throw error
    }
    try await telegram.shutdown()
}

func expectTDLibError(
    _ code: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected TDLib error \(code) \(message), got success", sourceLocation: sourceLocation)
    } catch let error as TDLibError {
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected TDLib error \(code) \(message), got \(error)", sourceLocation: sourceLocation)
    }
}
