import Foundation
import Logging
import TDLib
import TDLibAPIClient
import Testing

/// A manager of real TDLib for these tests only.
///
/// The core allows one manager per library in a process, and the core's own tests (run in the same
/// process) hold the project-local one; so these tests load a private copy of the same file, which
/// the dynamic loader treats as a separate library with its own receive loop.
enum TypedTDLib {
    static let manager: Result<TDClientManager, any Error> = Result {
        let original = try TDLibrary.load()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swift-telegram-api-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent(TDLibrary.fileName)
        try FileManager.default.copyItem(
            at: URL(fileURLWithPath: original.path).resolvingSymlinksInPath(), to: copy)
        let library = try TDLibrary.load(path: copy.path)
        return try TDClientManager(library: library, logger: Logger(label: "api-tests"), tdlibLogVerbosity: 0)
    }

    static func requireManager() throws -> TDClientManager {
        switch manager {
        case .success(let manager): return manager
        case .failure(let error):
            Issue.record("real TDLib is needed (run `make tdlib`): \(error)")
            throw error
        }
    }

    static func parameters() throws -> SetTdlibParameters {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swift-telegram-api-tests-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return SetTdlibParameters(
            useTestDc: true, databaseDirectory: directory.path, filesDirectory: "", databaseEncryptionKey: [],
            useFileDatabase: false, useChatInfoDatabase: false, useMessageDatabase: false, useSecretChats: false,
            apiId: 94575, apiHash: "a3406de8d171bb422bb6ddf3bbd800e2", systemLanguageCode: "en",
            deviceModel: "tests", systemVersion: "", applicationVersion: "1")
    }
}

@Suite("Typed calls against real TDLib", .serialized)
struct RealTDLibTests {
    @Test("parseTextEntities through td_execute returns a typed FormattedText")
    func execute() throws {
        let manager = try TypedTDLib.requireManager()
        let text = try manager.execute(
            ParseTextEntities(text: "*bold* and _it_", parseMode: .markdown(TextParseModeMarkdown(version: 2))))
        #expect(text.text == "bold and it")
        #expect(text.entities.map(\.type) == [.bold(TextEntityTypeBold()), .italic(TextEntityTypeItalic())])
        #expect(throws: TDLibError.self) { try manager.execute(GetOption(name: "")) }
    }

    @Test("Typed requests, updates and raw JSON on one client")
    func client() async throws {
        let manager = try TypedTDLib.requireManager()
        let client = try manager.createClient()
        let updates = Task {
            var seen: [Update] = []
            for try await update in client.typedUpdates {
                seen.append(update)
                if case .authorizationState(let state) = update, case .waitPhoneNumber = state.authorizationState {
                    break
                }
            }
            return seen
        }
        let version = try await client.send(GetOption(name: "version"), timeout: .seconds(30))
        #expect(version == .string(OptionValueString(value: "1.8.66")))
        _ = try await client.send(TypedTDLib.parameters(), timeout: .seconds(30))

        let strings = [TestString(value: "a"), TestString(value: "é \"😀\"")]
        let vectorStringObject = try await client.send(TestCallVectorStringObject(x: strings))
        #expect(vectorStringObject.value == strings)
        let ints = [TestInt(value: 1), TestInt(value: -2), TestInt(value: .max)]
        #expect(try await client.send(TestCallVectorIntObject(x: ints)).value == ints)
        #expect(try await client.send(TestCallVectorString(x: ["x", "", "y"])).value == ["x", "", "y"])
        #expect(try await client.send(TestCallVectorInt(x: [1, .min, .max])).value == [1, .min, .max])
        #expect(try await client.send(TestCallString(x: "line\nline")).value == "line\nline")
        #expect(try await client.send(TestCallBytes(x: [0, 1, 2, 254, 255])).value == [0, 1, 2, 254, 255])
        #expect(try await client.send(TestSquareInt(x: 12)).value == 144)
        #expect(try await client.send(TestCallEmpty()) == Ok())
        await #expect(throws: TDLibError(code: 404, message: "nf")) {
            try await client.send(TestReturnError(error: TDErrorObject(code: 404, message: "nf")))
        }

        // The raw path on the same client.
        let raw = try await client.send(json: #"{"@type":"testSquareInt","x":3}"#)
        #expect(try raw.decode(as: TestInt.self).value == 9)
        #expect(try TestInt(raw).value == 9)

        let seen = try await updates.value
        #expect(seen.contains { if case .option = $0 { true } else { false } })
        #expect(!seen.contains { if case .unknown = $0 { true } else { false } })
        try await client.close()
    }
}
