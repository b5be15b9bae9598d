import Foundation
import TDLibAPI
import Testing

/// The committed seeds of `make fuzz` and the inputs fuzzing found, through the decoder check.
@Suite("Decoder fuzzing")
struct FuzzCorpusTests {
    @Test("Every seed of Fuzz/corpus/decoder passes TDFuzzing.check")
    func corpusReplays() throws {
        let corpus = Fixtures.packageRoot.appendingPathComponent("Fuzz/corpus/decoder")
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        #expect(names.count > 100)
        for name in names {
            let bytes = Array(try Data(contentsOf: corpus.appendingPathComponent(name)))
            #expect(TDFuzzing.check(bytes), "Fuzz/corpus/decoder/\(name)")
        }
    }

    @Test(
        "A number beyond Double's range is refused, as Foundation does, not read as an infinity (found by fuzzing)",
        arguments: ["1e400", "-1e400", "[1e400]", #"{"a":9788e635}"#, "1" + String(repeating: "0", count: 400)])
    func outOfRangeNumbers(_ text: String) {
        #expect(throws: TDDecodingError.self) { try TDJSONValue(json: text) }
        #expect(foundationValue(Array(text.utf8)) == nil)
        #expect(TDFuzzing.check(Array(text.utf8)))
    }

    @Test("The fuzzer's input: an update whose color is 9788e635")
    func fuzzedUpdate() throws {
        let text = """
            {"@type":"updateGroupCallMessageLevelpaid_reactorss","levels":[{"@type":"groupCallMessageLevel",\
            "min_star_count":0,"pin_duration":0,"max_text_length":30,"max_custom_emoji_count":0,\
            "first_color":9788e635,"second_color":9788635,"background_color":4786075}],"@client_id":1}
            """
        #expect(TDFuzzing.check(Array(text.utf8)))
        #expect(throws: TDDecodingError.self) {
            try JsonValueNumber(json: #"{"@type":"jsonValueNumber","value":1e400}"#)
        }
        #expect(try JsonValueNumber(json: #"{"@type":"jsonValueNumber","value":1e308}"#).value == 1e308)
    }
}
