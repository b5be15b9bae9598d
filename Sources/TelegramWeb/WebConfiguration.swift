import Foundation
import TDLibSimulator
import Telegram

/// How `tg-web` runs: where it listens, its limits, and which Telegram it talks to.
public struct WebConfiguration: Sendable {
    /// The Telegram behind the app.
    public enum Backend: Sendable {
        /// Real Telegram through TDLib, with the application's API credentials.
        case telegram(apiID: Int32, apiHash: Secret, useTestDC: Bool, libraryPath: String?)
        /// The built-in simulator, shared by every session of the server.
        case simulator(TDSimulator)
    }

    /// The Telegram behind the app.
    public var backend: Backend
    /// The address the server listens on.
    public var host = "127.0.0.1"
    /// The port the server listens on (0: any free port).
    public var port = 8080
    /// A session's client is closed after this long without a request.
    public var idleTimeout: Duration = .seconds(15 * 60)
    /// The clock that measures how long sessions stay idle and paces their expiry (``idleTimeout``).
    ///
    /// The wall clock by default; a test gives a clock it moves itself, and sees sessions expire
    /// without waiting.
    public var clock: any Clock<Duration> = ContinuousClock()
    /// At most this many sessions have a Telegram client at once.
    public var maxSessions = 500
    /// At most this many login answers (codes, passwords...) per session.
    public var maxAttempts = 20
    /// How long one request waits for TDLib before the page says so.
    public var requestTimeout: Duration = .seconds(15)
    /// Where sessions keep their TDLib folders; each is removed when its session ends.
    public var dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("tg-web").path

    /// Creates a configuration for a backend.
    public init(backend: Backend) {
        self.backend = backend
    }

    /// Reads the environment: `TG_API_ID` and `TG_API_HASH` select real Telegram, else the simulator
    /// (with `TG_SIMULATOR_SCENARIO` when set); `TG_WEB_HOST`, `TG_WEB_PORT`, `TDLIB_PATH`, `TG_TEST_DC`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> WebConfiguration
    {
        var configuration: WebConfiguration
        if let id = environment["TG_API_ID"].flatMap(Int32.init), let hash = environment["TG_API_HASH"], !hash.isEmpty {
            configuration = WebConfiguration(
                backend: .telegram(
                    apiID: id, apiHash: Secret(hash), useTestDC: environment["TG_TEST_DC"] == "1",
                    libraryPath: environment["TDLIB_PATH"]))
        } else {
            let scenario = try environment["TG_SIMULATOR_SCENARIO"].map(SimulatorScenario.init(contentsOf:)) ?? .default
            configuration = WebConfiguration(backend: .simulator(TDSimulator(scenario: scenario)))
        }
        if let host = environment["TG_WEB_HOST"] { configuration.host = host }
        if let port = environment["TG_WEB_PORT"].flatMap(Int.init) { configuration.port = port }
        return configuration
    }

    var simulator: TDSimulator? {
        if case .simulator(let simulator) = backend { return simulator }
        return nil
    }
}
