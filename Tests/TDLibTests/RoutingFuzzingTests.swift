import Foundation
import Testing

@testable import TDLib

/// The committed seeds of `make fuzz` and the inputs fuzzing found, through the routing check.
@Suite("Routing fuzzing")
struct RoutingFuzzingTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/routing")

    func envelope(_ text: String) -> JSONScanner.Envelope? {
        Array(text.utf8).withUnsafeBufferPointer(JSONScanner.envelope(of:))
    }

    @Test("Every seed of Fuzz/corpus/routing passes the check")
    func corpusReplays() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(names.count > 100)
        for name in names {
            let bytes = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            #expect(TDRoutingFuzzing.check(bytes), "Fuzz/corpus/routing/\(name)")
        }
    }

    @Test("An @extra of 20 digits, up to UInt64.max, is read (fuzzing found 19 digits was the limit)")
    func twentyDigitExtra() throws {
        #expect(envelope(#"{"@type":"ok","@extra":18446744073709551615}"#)?.extra == UInt64.max)
        #expect(envelope(#"{"@type":"ok","@extra":10000000000000000000}"#)?.extra == 10_000_000_000_000_000_000)
        let tooLarge = try #require(envelope(#"{"@type":"ok","@extra":18446744073709551616}"#))
        #expect(tooLarge.hasExtra && tooLarge.extra == nil)
        let tagged = TDClientManager.request(Array(#"{"@type":"ok"}"#.utf8), extra: .max).dropLast()
        #expect(Array(tagged).withUnsafeBufferPointer(JSONScanner.envelope(of:))?.extra == .max)
        #expect(TDRoutingFuzzing.check(Array("{\"@type\":\"ok\",\"@client_id\":1}\n".utf8)))
    }

    @Test("The last @type counts, even when it is not a string (found by fuzzing)")
    func lastTypeCounts() {
        #expect(envelope(#"{"@type":"\n","@type":4}"#)?.type == nil)
        #expect(envelope(#"{"@type":4,"@type":"ok"}"#)?.type == 20..<22)
        #expect(TDRoutingFuzzing.check(Array(#"{"@type":"\n","@type":4}"#.utf8)))
    }

    @Test(
        "Inputs only Foundation accepts or only the scanner accepts, by design, pass the check",
        arguments: [
            [0x00, 0x35],  // Foundation reads bytes with NULs as UTF-16.
            Array("\u{FEFF}{}".utf8), Array(#"{"a":[1,]}"#.utf8),
            Array(#"{"a":"\ud800"}"#.utf8), Array(#"{"a":1e400}"#.utf8), [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D],
            Array(#"{"@\u0074ype":"x","@type":"y"}"#.utf8),
        ])
    func designedDifferences(_ bytes: [UInt8]) {
        #expect(TDRoutingFuzzing.check(bytes))
    }
}
