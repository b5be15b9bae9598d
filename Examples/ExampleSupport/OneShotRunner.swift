import Foundation
import Logging
import TDLibSimulator
import Telegram

/// Where a one-shot example runs, and how it answers login questions there.
public struct ExampleEnvironment: Sendable {
    /// The configuration of the account.
    public var configuration: TelegramConfiguration
    /// The terminal on Telegram; on the simulator, the simulated login code and the terminal for the rest.
    public var prompter: any TelegramPrompter
    /// Whether the example runs on the built-in simulator.
    public var isSimulated: Bool

    /// On Telegram when `TG_API_ID` and `TG_API_HASH` are set (with `TG_BOT_TOKEN` for a bot, `TG_PHONE`
    /// for a user), otherwise on a new simulator (its scenario from `TDLIB_SIMULATOR_SCENARIO`, or the
    /// default one), as ``ExampleRunner/run(as:_:)`` does.
    public static func current(for account: ExampleRunner.Account) throws -> ExampleEnvironment {
        let environment = ProcessInfo.processInfo.environment
        if let apiID = environment["TG_API_ID"].flatMap(Int32.init), let apiHash = environment["TG_API_HASH"] {
            let configuration = try TelegramConfiguration(
                apiID: apiID, apiHash: Secret(apiHash),
                databaseEncryptionKey: Secret(environment["TG_DATABASE_KEY"] ?? "example"),
                phone: account == .user ? environment["TG_PHONE"] : nil,
                botToken: account == .bot ? environment["TG_BOT_TOKEN"].map { Secret($0) } : nil)
            return ExampleEnvironment(configuration: configuration, prompter: TerminalPrompter(), isSimulated: false)
        }
        let scenario = try environment[SimulatorScenario.environmentVariable].map {
            try SimulatorScenario(contentsOf: $0)
        }
        let configuration = try ExampleRunner.simulatorConfiguration(
            TDSimulator(scenario: scenario ?? .default), account: account)
        return ExampleEnvironment(configuration: configuration, prompter: SimulatorCodePrompter(), isSimulated: true)
    }
}

extension ExampleRunner {
    /// Runs a program that does one thing and ends: logs in (unless `login` is false, for a program that
    /// logs in itself), runs `body`, then stops the client.
    public static func runOnce(
        as account: Account, login: Bool = true,
        _ body: @escaping @Sendable (Telegram, ExampleEnvironment) async throws -> Void
    ) async throws {
        let logger = Logger(label: "example")
        let environment = try ExampleEnvironment.current(for: account)
        if environment.isSimulated { logger.info("No TG_API_ID and TG_API_HASH: running on the built-in simulator") }
        try await withTelegram(environment.configuration, logger: logger) { tg in
            if login { _ = try await tg.login(blocking: true, prompter: environment.prompter) }
            try await body(tg, environment)
        }
    }

    /// The command line's arguments after the program's name, as Python's `argparse` positional ones.
    public static var arguments: [String] { Array(CommandLine.arguments.dropFirst()) }

    /// Asks `question` on the terminal, as Python's `input()`, and returns the answer without surrounding
    /// spaces; waits without holding a thread of Swift's pool.
    public static func ask(_ question: String) async throws -> String {
        try await TerminalPrompter().ask(question)
    }

    /// The value after `--name` on the command line, if any.
    public static func option(_ name: String) -> String? {
        let arguments = self.arguments
        guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
}
