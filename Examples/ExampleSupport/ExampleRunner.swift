import Foundation
import Logging
import TDLibSimulator
import Telegram

/// Runs an example program until Ctrl-C or SIGTERM: on Telegram when `TG_API_ID` and `TG_API_HASH` are
/// set (with `TG_BOT_TOKEN` for a bot, `TG_PHONE` for a user), otherwise on the built-in simulator, as
/// its bot or as its user Alice (scenario from `TDLIB_SIMULATOR_SCENARIO`, or the default one).
public enum ExampleRunner {
    /// Who the example logs in as.
    public enum Account: Sendable {
        /// A bot.
        case bot
        /// A user account (a userbot).
        case user
    }

    /// Logs in, lets `setUp` add the example's handlers, then waits for SIGINT or SIGTERM and stops.
    public static func run(
        as account: Account, _ setUp: @escaping @Sendable (Telegram) async throws -> Void
    ) async throws {
        let logger = Logger(label: "example")
        let environment = ProcessInfo.processInfo.environment
        let configuration: TelegramConfiguration
        var prompter: any TelegramPrompter = TerminalPrompter()
        if let apiID = environment["TG_API_ID"].flatMap(Int32.init), let apiHash = environment["TG_API_HASH"] {
            let key = Secret(environment["TG_DATABASE_KEY"] ?? "example")
            configuration = try TelegramConfiguration(
                apiID: apiID, apiHash: Secret(apiHash), databaseEncryptionKey: key,
                phone: account == .user ? environment["TG_PHONE"] : nil,
                botToken: account == .bot ? environment["TG_BOT_TOKEN"].map { Secret($0) } : nil)
        } else {
            let scenario = try environment[SimulatorScenario.environmentVariable].map {
                try SimulatorScenario(contentsOf: $0)
            }
            configuration = try simulatorConfiguration(
                TDSimulator(scenario: scenario ?? .default), account: account)
            prompter = SimulatorCodePrompter()
            logger.info("No TG_API_ID and TG_API_HASH: running on the built-in simulator")
        }
        try await withTelegram(configuration, logger: logger) { tg in
            _ = try await tg.login(blocking: true, prompter: prompter)
            try await setUp(tg)
            await tg.idle()
        }
    }

    /// A configuration that logs in to `simulator` as its bot or as Alice, in a fresh folder.
    public static func simulatorConfiguration(_ simulator: TDSimulator, account: Account) throws
        -> TelegramConfiguration
    {
        var configuration = try TelegramConfiguration(
            apiID: 94575, apiHash: "simulator", databaseEncryptionKey: "simulator",
            phone: account == .user ? "+15550100001" : nil,
            botToken: account == .bot ? "1000001:SIMULATOR-BOT-TOKEN" : nil)
        configuration.library = simulator
        configuration.filesDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-telegram-example-\(UUID().uuidString)").path
        return configuration
    }
}

/// Answers the simulator's login code for Alice (11111) and leaves every other question to the terminal.
struct SimulatorCodePrompter: TelegramPrompter {
    private let terminal = TerminalPrompter()

    func code(_ info: AuthenticationCodeInfo) async throws -> String { "11111" }
    func password(hint: String) async throws -> String { try await terminal.password(hint: hint) }
    func emailAddress() async throws -> String { try await terminal.emailAddress() }
    func emailCode(_ info: EmailAddressAuthenticationCodeInfo) async throws -> String {
        try await terminal.emailCode(info)
    }
    func registration(termsOfService: TermsOfService) async throws -> (firstName: String, lastName: String) {
        try await terminal.registration(termsOfService: termsOfService)
    }
    func showQRLink(_ link: String) async { await terminal.showQRLink(link) }
    func show(error: TDLibError) async { await terminal.show(error: error) }
}
