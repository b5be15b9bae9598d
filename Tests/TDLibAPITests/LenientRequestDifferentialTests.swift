import Foundation
import TDLib
import TDLibAPI
import Testing

/// The simulator as a libtdjson-compatible library, loaded from a private copy so that its manager
/// is this suite's alone.
enum SimulatorLibrary {
    static let manager: Result<TDClientManager, any Error> = Result {
        let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let name = "libtdjson-simulator.\(TDLibrary.fileName.hasSuffix("dylib") ? "dylib" : "so")"
        let candidates = [binDirectory, binDirectory.deletingLastPathComponent()].map {
            $0.appendingPathComponent(name)
        }
        guard let original = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw TDClientError(.libraryNotFound, "build the simulator library first (swift build --build-tests)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swift-telegram-lenient-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: original, to: copy)
        return try TDClientManager(library: try TDLibrary.load(path: copy.path))
    }
}

/// What a client answers to a raw request, without the routing keys: the object's JSON with sorted
/// keys, or `error <code>: <message>`. The request skips the core's own check, which wants `@type`
/// to be a name.
func answer(_ client: TDClient, _ json: String) async -> String {
    do {
        let object = try await client.send(trustedJSON: Array(json.utf8), timeout: .seconds(30))
        var fields = try object.jsonObject()
        fields["@extra"] = nil
        fields["@client_id"] = nil
        let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    } catch let error as TDLibError {
        return "error \(error.code): \(error.message)"
    } catch {
        return "failed: \(error)"
    }
}

@Suite("Requests: the simulator answers as real TDLib", .serialized)
struct LenientRequestDifferentialTests {
    /// Requests that test methods answer offline, with the values TDLib reads echoed back.
    static let requests = [
        #"{"@type":"testSquareInt","x":"7"}"#, #"{"@type":"testSquareInt","x":null}"#,
        #"{"@type":"testSquareInt"}"#, #"{"@type":"testSquareInt","x":"\u0037"}"#,
        #"{"@type":"testSquareInt","x":"7.0"}"#, #"{"@type":"testSquareInt","x":7.0}"#,
        #"{"@type":"testSquareInt","x":" 7"}"#, #"{"@type":"testSquareInt","x":"+7"}"#,
        #"{"@type":"testSquareInt","x":"-0"}"#, #"{"@type":"testSquareInt","x":-0}"#,
        #"{"@type":"testSquareInt","x":"2147483648"}"#, #"{"@type":"testSquareInt","x":"abc"}"#,
        #"{"@type":"testSquareInt","x":true}"#, #"{"@type":"testSquareInt","x":[1]}"#,
        #"{"@type":"testSquareInt","x":{}}"#, #"{"@type":"testSquareInt","x":3,"zzz":[1,{"a":null}]}"#,
        #"{"@type":"testCallString","x":5}"#, #"{"@type":"testCallString","x":null}"#,
        #"{"@type":"testCallBytes","x":"QQ"}"#, #"{"@type":"testCallBytes","x":"QR=="}"#,
        #"{"@type":"testCallBytes","x":"-_8="}"#, #"{"@type":"testCallBytes","x":"QUI="}"#,
        #"{"@type":"testCallBytes","x":null}"#, #"{"@type":"testCallBytes","x":5}"#,
        #"{"@type":"testCallVectorInt","x":["1",2,null]}"#, #"{"@type":"testCallVectorInt","x":5}"#,
        #"{"@type":"testCallVectorInt","x":null}"#,
        #"{"@type":"testCallVectorIntObject","x":[{"@type":"foo","value":"3"},{"value":4}]}"#,
        #"{"@type":"testCallVectorIntObject","x":[5]}"#,
        #"{"@type":"testCallVectorString","x":["a",null]}"#,
        #"{"@type":"testCallVectorStringObject","x":[{"@type":5,"value":"b"}]}"#,
    ]

    /// Requests the simulator's envelope (`Request`, read with JSONSerialization before the typed
    /// decoding) does not yet read as TDLib: `@type` as a constructor number, a duplicate `@type`
    /// (TDLib takes the first), a number beyond `Double`'s range.
    static let envelopeRequests = [
        #"{"@type":"testSquareInt","x":1,"@type":"foo"}"#, #"{"@type":"testSquareInt","x":1e400}"#,
    ]
    static let constructorNumbers = [
        #"{"@type":-60135024,"x":"7"}"#, #"{"@type":4234832272,"x":"7"}"#, #"{"@type":-2137277793,"x":[1]}"#,
    ]

    /// Under a sanitizer the library needs the sanitizer's runtime exported by the process, which a test
    /// bundle does not do; `make sanitizers` sets SWIFT_TELEGRAM_SANITIZER (`make differential` covers it).
    @Test(
        "Numbers as strings, nulls, bools as numbers, unknown fields and wrong types",
        .disabled(
            if: ProcessInfo.processInfo.environment["SWIFT_TELEGRAM_SANITIZER"] != nil,
            "a sanitized libtdjson-simulator cannot be loaded into a test process"))
    func sameAnswers() async throws {
        let real = try TypedTDLib.requireManager().createClient(updateBuffering: .discard)
        let simulated = try SimulatorLibrary.manager.get().createClient(updateBuffering: .discard)
        for json in Self.requests + Self.constructorNumbers {
            let expected = await answer(real, json)
            #expect(await answer(simulated, json) == expected, "\(json)")
        }
        await withKnownIssue(
            "the simulator's Request envelope reads requests with JSONSerialization: the last of two @type keys, no 1e400",
            isIntermittent: true
        ) {
            for json in Self.envelopeRequests {
                let expected = await answer(real, json)
                #expect(await answer(simulated, json) == expected, "\(json)")
            }
        }
        try await real.close(timeout: .seconds(30))
        try await simulated.close(timeout: .seconds(30))
    }

    @Test("Doubles, Bools as numbers and constructor numbers inside a request, against td_execute")
    func executeAnswers() throws {
        let manager = try TypedTDLib.requireManager()
        let values = ["7", "+5", "1e400", "-1e400", "1.5.3", "1e", ".", "00012", "1-2", "1E+2", "null", #""7""#]
        for value in values {
            let json = #"{"@type":"getJsonString","json_value":{"@type":"jsonValueNumber","value":\#(value)}}"#
            #expect(
                describe({ try manager.execute(trustedJSON: Array(json.utf8)) })
                    == describe({ try typedGetJsonString(json) }), "\(value)")
        }
        let others = [
            #"{"@type":663458849,"json_value":{"@type":-1010822033,"value":2}}"#,
            #"{"@type":"getJsonString","json_value":{"@type":"jsonValueBoolean","value":"1"}}"#,
            #"{"@type":"getJsonString","json_value":{"@type":"jsonValueBoolean","value":"true"}}"#,
            #"{"@type":"getJsonString","json_value":{"@type":"jsonValueNumberx","value":1}}"#,
            #"{"@type":"getJsonString","json_value":{"@type":-1,"value":1}}"#,
            #"{"@type":"getJsonString","json_value":{"value":1}}"#,
            #"{"@type":"getJsonString","json_value":5}"#,
            #"{"@type":"getJsonString","json_value":{"@type":"jsonValueArray","values":[{"@type":"jsonValueNull"}]}}"#,
        ]
        for json in others {
            #expect(
                describe({ try manager.execute(trustedJSON: Array(json.utf8)) })
                    == describe({ try typedGetJsonString(json) }), "\(json)")
        }
    }

    /// What TDLib's getJsonString answers, computed from the request as the simulator decodes it.
    private func typedGetJsonString(_ json: String) throws -> TDJSONObject {
        let decoded: GetJsonString
        do {
            decoded = try request(json)
        } catch let error as TDDecodingError {
            throw TDLibError(code: 400, message: "Failed to parse JSON object as TDLib request: \(error)")
        }
        let text = Text(text: Self.jsonString(decoded.jsonValue))
        return try TDJSONObject(bytes: text.jsonBytes())
    }

    /// TDLib's JSON text of a JsonValue: numbers with six decimals, as it prints doubles.
    private static func jsonString(_ value: JsonValue) -> String {
        switch value {
        case .null: "null"
        case .boolean(let value): value.value ? "true" : "false"
        case .number(let value): String(format: "%f", value.value)
        case .string(let value): "\"\(value.value)\""
        case .array(let value): "[" + value.values.map(jsonString).joined(separator: ",") + "]"
        default: "?"
        }
    }

    private func describe(_ body: () throws -> TDJSONObject) -> String {
        do {
            return try body().string
        } catch let error as TDLibError {
            return "error \(error.code): \(error.message)"
        } catch {
            return "failed: \(error)"
        }
    }
}
