import Foundation
import Logging
import TDLib
import TDLibSimulator
import Telegram
import Testing

/// Answers a blocking login from a script, recording what it was asked.
final class ScriptedPrompter: TelegramPrompter {
    private let answers: Locked<[String]>
    let asked = Locked<[String]>([])

    init(_ answers: [String]) { self.answers = Locked(answers) }

    private func next(_ question: String) throws -> String {
        asked.withLock { $0.append(question) }
        return try answers.withLock { answers in
            guard !answers.isEmpty else { throw TelegramError(.noInput, "the script has no answer for \(question)") }
            return answers.removeFirst()
        }
    }

    func code(_ info: AuthenticationCodeInfo) async throws -> String { try next("code") }
    func password(hint: String) async throws -> String { try next("password:\(hint)") }
    func emailAddress() async throws -> String { try next("email") }
    func emailCode(_ info: EmailAddressAuthenticationCodeInfo) async throws -> String { try next("emailCode") }
    func registration(termsOfService: TermsOfService) async throws -> (firstName: String, lastName: String) {
        (try next("firstName"), try next("lastName"))
    }
    func showQRLink(_ link: String) async { asked.withLock { $0.append("qr:\(link)") } }
    func show(error: TDLibError) async { asked.withLock { $0.append("error:\(error.message)") } }
}

/// Keeps every log line, to look for secrets in them.
final class CapturedLog: Sendable {
    let lines = Locked<[String]>([])

    var handlerFactory: @Sendable (String) -> any LogHandler {
        { [self] label in CapturingHandler(log: self, label: label) }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        let label: String
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            log.lines.withLock {
                $0.append("\(event.level) \(label) \(event.message) \(merged) \(event.error.map { "\($0)" } ?? "")")
            }
        }
    }
}

/// A configuration for the simulator's accounts, in a fresh folder.
func simulatedConfiguration(
    simulator: TDSimulator, phone: String? = nil, botToken: Secret? = nil, filesDirectory: String? = nil
) throws -> TelegramConfiguration {
    var configuration = try TelegramConfiguration(
        apiID: 94575, apiHash: "simulated-api-hash", databaseEncryptionKey: "database key 1234", phone: phone,
        botToken: botToken)
    configuration.library = simulator
    configuration.filesDirectory =
        filesDirectory
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("telegram-tests-\(UUID().uuidString)").path
    // Generous: a loaded CI machine, or a sanitizer, can slow a step by seconds; a hang still fails.
    configuration.stepTimeout = .seconds(30)
    return configuration
}

/// Runs `body` with a simulator whose manager is shut down afterwards.
func withSimulator(
    _ scenario: SimulatorScenario = .default, clock: SimulatorClock = .realTime(),
    _ body: (TDSimulator) async throws -> Void
) async throws {
    let simulator = TDSimulator(scenario: scenario, clock: clock)
    do {
        try await body(simulator)
    } catch {
        try? await TDClientManager.shared(for: simulator).shutdown(timeout: .seconds(30))
        throw error
    }
    try await TDClientManager.shared(for: simulator).shutdown(timeout: .seconds(30))
}

/// The login states that `states` (a `updates(types: ["updateAuthorizationState"])` stream, taken before
/// the action that leads there) reports, up to and including `last`; all of them if the stream ends first.
func loginStates(_ states: AsyncStream<Update>, through last: LoginState) async -> [LoginState] {
    var seen: [LoginState] = []
    for await update in states {
        guard case .authorizationState(let change) = update else { continue }
        seen.append(LoginState(change.authorizationState))
        if seen.last == last { break }
    }
    return seen
}

func expectTDLibError(
    _ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected TDLib error \(message)", sourceLocation: sourceLocation)
    } catch let error as TDLibError {
        #expect(error.message == message, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected TDLib error \(message), got \(error)", sourceLocation: sourceLocation)
    }
}

func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
