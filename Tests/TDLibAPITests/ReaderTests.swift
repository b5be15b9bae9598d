import Foundation
import Testing

@testable import TDLibAPI

/// Foundation's parse of `bytes` as a ``TDJSONValue``, or `nil` when Foundation refuses it; every number is a
/// `double`, so compare it with ``TDJSONValue/numbersAsDoubles``.
func foundationValue(_ bytes: [UInt8]) -> TDJSONValue? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else {
        return nil
    }
    return TDJSONValue(foundation: object)
}

extension TDJSONValue {
    init?(foundation object: Any) {
        switch object {
        case is NSNull: self = .null
        case let string as String: self = .string(string)
        case let array as [Any]:
            var values: [TDJSONValue] = []
            for element in array {
                guard let value = TDJSONValue(foundation: element) else { return nil }
                values.append(value)
            }
            self = .array(values)
        case let dictionary as [String: Any]:
            var members: [String: TDJSONValue] = [:]
            for (key, element) in dictionary {
                guard let value = TDJSONValue(foundation: element) else { return nil }
                members[key] = value
            }
            self = .object(members)
        case let number as NSNumber:
            if type(of: object) == Bool.self || String(cString: number.objCType) == "c" {
                self = .bool(number.boolValue)
            } else {
                self = .double(number.doubleValue)
            }
        case let bool as Bool: self = .bool(bool)
        default: return nil
        }
    }

    /// The value with every integer as a `double`, as Foundation's numbers compare.
    var numbersAsDoubles: TDJSONValue {
        switch self {
        case .int(let value): .double(Double(value))
        case .array(let values): .array(values.map(\.numbersAsDoubles))
        case .object(let members): .object(members.mapValues(\.numbersAsDoubles))
        default: self
        }
    }
}

@Suite("JSON reader against Foundation")
struct ReaderTests {
    static let corpus: [String] = [
        #"{}"#, #"[]"#, #" { "a" : [ 1 , -2.5e3 , true , false , null , "x" ] } "#, #""\u00e9\ud83d\ude00\n\/""#,
        #"0"#, #"-0"#, #"1.5"#, #"1E2"#, #"1e-2"#, #"123456789012345678"#, #"-9223372036854775808"#,
        #"0.1"#, #"2.2250738585072014e-308"#, #"1.7976931348623157e308"#, #"[1,[2,[3,[4]]]]"#,
        #"{"a":{"b":{"c":"d"}},"e":[{}]}"#, #"{"dup":1,"dup":2}"#, #""\"\\\b\f\n\r\t""#,
        // Refused by both.
        #"{"#, #"}"#, #"{"a"1}"#, #"{a:1}"#, #"01"#, #"1."#, #".5"#, #"+1"#, #"1e"#,
        #"-"#, #"tru"#, #"nul"#, #"[1 2]"#, #"{"a":1 "b":2}"#, "\"a\tb\"", #""\x""#, #""\u12""#, #"'a'"#,
        #"[1]]"#, #"{"a":1}}"#, "", " ", #""abc"#,
    ]

    /// Whether Foundation accepts `bytes` only because it allows a trailing comma, which RFC 8259 and
    /// this reader do not.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        let significant = bytes.filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        return zip(significant, significant.dropFirst()).contains {
            $0 == UInt8(ascii: ",") && ($1 == UInt8(ascii: "]") || $1 == UInt8(ascii: "}"))
        }
    }

    @Test(
        "Trailing commas, which Foundation accepts, are refused as RFC 8259 says", arguments: [#"[1,]"#, #"{"a":1,}"#])
    func trailingComma(text: String) {
        #expect(foundationValue(Array(text.utf8)) != nil)
        #expect(throws: TDDecodingError.self) { try TDJSONValue(json: text) }
    }

    @Test("Lone surrogates are refused, as Foundation does", arguments: [#""\ud83c""#, #""\udde9""#, #""\ud83cx""#])
    func loneSurrogates(text: String) {
        #expect(foundationValue(Array(text.utf8)) == nil)
        #expect(throws: TDDecodingError.self) { try TDJSONValue(json: text) }
    }

    @Test("The reader accepts and refuses what Foundation does, with the same values")
    func corpusMatchesFoundation() throws {
        for text in Self.corpus {
            let bytes = Array(text.utf8)
            let ours = (try? TDJSONValue(json: bytes))?.numbersAsDoubles
            let theirs = foundationValue(bytes)
            #expect(ours == theirs, "\(text)")
        }
    }

    @Test("Mutated TDLib objects: the reader agrees with Foundation on every one")
    func mutationsMatchFoundation() throws {
        var generator = SplitMix(seed: 42)
        let seeds = try Fixtures.offlineSession().prefix(40) + Fixtures.executeAnswers()
        let alphabet = Array(#"{}[]",:0123456789.eE+-\/ntrufalsx u"#.utf8)
        var agreed = 0
        for seed in seeds where seed.count < 2_000 {
            for _ in 0..<40 {
                var bytes = seed
                for _ in 0..<Int(generator.next() % 3 + 1) {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 3 {
                    case 0: bytes[index] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: index)
                    }
                    if bytes.isEmpty { break }
                }
                let ours = (try? TDJSONValue(json: bytes))?.numbersAsDoubles
                let theirs = foundationValue(bytes)
                if ours == nil && theirs != nil && Self.hasTrailingComma(bytes) { continue }
                #expect(ours == theirs, "\(String(decoding: bytes, as: UTF8.self))")
                if ours == theirs { agreed += 1 }
                // The typed path must never crash either: it may only decode or throw, and round-trip.
                #expect(TDFuzzing.check(bytes), "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(agreed > 1_000)
    }

    @Test("Doubles read exactly as Swift's own parser reads them")
    func doubles() throws {
        var generator = SplitMix(seed: 7)
        var texts = ["0.1", "0.000001", "123.456", "1e22", "1e23", "9007199254740993", "4.35", "55.751244", "-0.0"]
        for _ in 0..<2_000 {
            let value = Double(bitPattern: generator.next())
            if value.isFinite { texts.append("\(value)") }
            texts.append(
                String(Int64(bitPattern: generator.next()) % 10_000_000) + "." + String(generator.next() % 1_000_000))
        }
        for text in texts {
            let read = try TDJSONValue(json: text)
            #expect(read.numbersAsDoubles == .double(try #require(Double(text))), "\(text)")
        }
    }

    @Test("Every Double written reads back as the same Double")
    func doubleRoundTrip() throws {
        var generator = SplitMix(seed: 9)
        for _ in 0..<2_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let json = TDJSONValue.double(value).jsonBytes()
            #expect(try TDJSONValue(json: json) == .double(value))
        }
    }

    @Test("Integers read and write exactly, past a double's 53 bits; other numbers stay doubles")
    func integers() throws {
        let integers: [Int64] = [0, -1, 42, 9_007_199_254_740_993, -1_001_234_567_890_123, .max, .min]
        for integer in integers {
            let read = try TDJSONValue(json: String(integer))
            #expect(read == .int(integer))
            #expect(read.jsonString() == String(integer))
        }
        #expect(try TDJSONValue(json: "9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try TDJSONValue(json: "1.0") == .double(1))
        #expect(try TDJSONValue(json: "1e2") == .double(100))
        #expect(TDJSONValue.double(1).jsonString() == "1.0")
        #expect(throws: TDDecodingError.self) { try TDJSONValue(json: "12-3") }
    }

    @Test("Values written with Swift literals give TDLib's JSON, keys sorted")
    func literals() {
        let request: TDJSONValue = [
            "@type": "sendMessage", "chat_id": -1_001_234_567_890, "flag": true, "ratio": 0.5, "none": nil,
            "list": [1, "two"], "text": "line\n\"quoted\"",
        ]
        #expect(
            request.jsonString()
                == #"{"@type":"sendMessage","chat_id":-1001234567890,"flag":true,"list":[1,"two"],"none":null,"#
                + #""ratio":0.5,"text":"line\n\"quoted\""}"#)
        #expect(TDJSONValue.double(.nan).jsonString() == "null")
    }
}

/// A small deterministic random generator.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
