import ArgumentParser
import Foundation
import TDLibSimulator
import Telegram

/// How `tg` reaches Telegram: flags first, then environment variables. Secrets (the bot token and the
/// database key) come only from the environment or a prompt.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("api-id"), help: "The API id from my.telegram.org (env TG_API_ID).")
    var apiID: Int32?

    @Option(name: .customLong("api-hash"), help: "The API hash from my.telegram.org (env TG_API_HASH).")
    var apiHash: String?

    @Option(help: "The account's phone number (env TG_PHONE).")
    var phone: String?

    @Flag(help: "Log in as a bot; the token comes from TG_BOT_TOKEN or a prompt.")
    var bot = false

    @Option(help: "Where TDLib keeps the session (env TG_FILES_DIRECTORY); a per-account folder by default.")
    var filesDirectory: String?

    @Flag(help: "Use Telegram's test data centers.")
    var testDC = false

    @Option(
        help:
            "A proxy URL: socks5://user:pass@host:port, http://host:port or mtproto://secret@host:port (env TG_PROXY).")
    var proxy: String?

    @Option(help: "The libtdjson to load (env TDLIB_PATH).")
    var tdlibPath: String?

    @Flag(help: "Run against the built-in TDLib simulator instead of Telegram (env TG_SIMULATOR=1).")
    var simulator = false

    @Option(help: "A simulator scenario file (JSON); implies --simulator (env TG_SIMULATOR_SCENARIO).")
    var scenario: String?

    @Option(help: "TDLib's log level, 0 to 5, written to standard error.")
    var verbosity = 0

    @Flag(help: "Machine-readable output: JSON.")
    var json = false

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    var usesSimulator: Bool {
        simulator || scenario != nil || environment["TG_SIMULATOR_SCENARIO"] != nil
            || ["1", "true", "yes"].contains(environment["TG_SIMULATOR"]?.lowercased() ?? "")
    }

    /// The configuration these options describe; asks for the secrets it still needs.
    func configuration() async throws -> TelegramConfiguration {
        let simulated = usesSimulator
        guard let apiID = apiID ?? environment["TG_API_ID"].flatMap(Int32.init) ?? (simulated ? 94575 : nil),
            let apiHash = apiHash ?? environment["TG_API_HASH"] ?? (simulated ? "simulator" : nil)
        else {
            throw ValidationError(
                "Telegram API credentials are needed: set TG_API_ID and TG_API_HASH (from my.telegram.org), or use --simulator"
            )
        }
        let key: Secret
        if let fromEnvironment = environment["TG_DATABASE_KEY"] {
            key = Secret(fromEnvironment)
        } else {
            key = simulated ? "simulator" : Secret(try await Prompt.secret("Database encryption key: "))
        }
        var botToken: Secret?
        var phone = phone ?? environment["TG_PHONE"]
        if bot || environment["TG_BOT_TOKEN"] != nil {
            if let token = environment["TG_BOT_TOKEN"] {
                botToken = Secret(token)
            } else {
                botToken = Secret(try await Prompt.secret("Bot token: "))
            }
            phone = nil
        } else if phone == nil {
            phone = simulated ? "+15550100001" : try await Prompt.line("Phone number: ")
        }
        var configuration = try TelegramConfiguration(
            apiID: apiID, apiHash: Secret(apiHash), databaseEncryptionKey: key, phone: phone, botToken: botToken)
        configuration.useTestDC = testDC
        configuration.tdlibVerbosity = verbosity
        configuration.libraryPath = tdlibPath
        configuration.deviceModel = "tg (swift-telegram)"
        if let proxy = proxy ?? environment["TG_PROXY"] { configuration.proxy = try TelegramProxy(url: proxy) }
        if let folder = filesDirectory ?? environment["TG_FILES_DIRECTORY"] {
            configuration.filesDirectory = folder
        } else if simulated {
            // Simulator sessions never share a folder with real TDLib databases.
            configuration.filesDirectory = configuration.resolvedFilesDirectory + "-simulator"
        }
        if simulated {
            let path = scenario ?? environment["TG_SIMULATOR_SCENARIO"]
            configuration.library = TDSimulator(scenario: try path.map(SimulatorScenario.init(contentsOf:)) ?? .default)
        }
        return configuration
    }
}

/// Questions on the terminal, for the secrets the environment does not give.
enum Prompt {
    static func line(_ prompt: String) async throws -> String {
        try await TerminalPrompter().ask(prompt)
    }

    static func secret(_ prompt: String) async throws -> String {
        try await TerminalPrompter().ask(prompt, echo: false)
    }
}
