import Foundation
import Logging
import TDLib
import TDLibSimulator
import Telegram
import Testing

@Suite("The loaded TDLib's version against the generated API's")
struct VersionCheckTests {
    @Test func realTDLibIsTheReleaseTheAPIWasGeneratedFor() throws {
        let manager = try TDClientManager.shared(for: TDLibrary.load(), tdlibLogVerbosity: 1)
        #expect(try manager.tdlibVersion() == .generatedAPI)
        #expect(TDLibVersion.generatedAPI.version == "1.8.66")
        let log = CapturedLog()
        try manager.checkTDLibVersion(onMismatch: .fail, logger: Logger(label: "tests", factory: log.handlerFactory))
        #expect(log.text.isEmpty)
    }

    @Test func anotherReleaseIsAWarningNamingBoth() async throws {
        let library = OtherVersionLibrary(version: "1.8.65")
        let log = CapturedLog()
        var configuration = try simulatedConfiguration(simulator: library.simulator, phone: "+15550100001")
        configuration.library = library
        let tg = try await Telegram(
            configuration: configuration, logger: Logger(label: "tests", factory: log.handlerFactory))
        await tg.stop()
        try await TDClientManager.shared(for: library).shutdown(timeout: .seconds(30))
        let warnings = log.lines.withLock { $0.filter { $0.hasPrefix("warning") && $0.contains("generated for") } }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("TDLib 1.8.65 (commit 022d60202e446ad1287b9fb68e687c8a0760788b)") == true)
        #expect(warnings.first?.contains("generated for TDLib 1.8.66 (commit 022d602") == true)
    }

    @Test func anotherReleaseFailsWhenTheConfigurationSaysSo() async throws {
        let library = OtherVersionLibrary(version: "1.8.67")
        var configuration = try simulatedConfiguration(simulator: library.simulator, phone: "+15550100001")
        configuration.library = library
        configuration.tdlibVersionMismatch = .fail
        let result = await outcome { try await Telegram(configuration: configuration) }
        try await TDClientManager.shared(for: library).shutdown(timeout: .seconds(30))
        guard case .failure(let error as TDClientError) = result else {
            Issue.record("expected TDClientError versionMismatch, got \(result)")
            return
        }
        #expect(error.code == .versionMismatch)
        #expect(error.message.contains("TDLib 1.8.67") && error.message.contains("TDLib 1.8.66"))
    }
}

/// The simulator, answering `getOption("version")` with another release's version, as another libtdjson would.
///
/// `@unchecked Sendable`: `simulator` is Sendable and `versionAnswer` is written once, in `init`, then only read.
final class OtherVersionLibrary: TDJSONInterface, @unchecked Sendable {
    let simulator = TDSimulator(scenario: .default)
    let name: String
    private let versionAnswer: UnsafeMutablePointer<CChar>

    init(version: String) {
        name = "simulator reporting TDLib \(version) \(UUID().uuidString)"
        versionAnswer = strdup(#"{"@type":"optionValueString","value":"\#(version)"}"#)
    }

    deinit { free(versionAnswer) }

    func createClientID() -> Int32 { simulator.createClientID() }
    func send(clientID: Int32, request: UnsafePointer<CChar>) { simulator.send(clientID: clientID, request: request) }
    func receive(timeout: Double) -> UnsafePointer<CChar>? { simulator.receive(timeout: timeout) }
    func setLogMessageCallback(maxVerbosity: Int32, callback: TDLogMessageCallback?) {
        simulator.setLogMessageCallback(maxVerbosity: maxVerbosity, callback: callback)
    }

    func execute(request: UnsafePointer<CChar>) -> UnsafePointer<CChar>? {
        let text = String(cString: request)
        if text.contains(#""getOption""#) && text.contains(#""version""#) { return UnsafePointer(versionAnswer) }
        return simulator.execute(request: request)
    }
}
