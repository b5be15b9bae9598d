import Foundation
import Testing

@testable import TDLibAPI

/// Decodes `json` as a request, the way the simulator reads what a client sends.
func request<T: TDDecodable>(_ json: String, as type: T.Type = T.self) throws -> T {
    try TDMissingFields.$current.withValue(.useTDLibDefaults) { try T(json: json) }
}

/// TDLib's refusal of a request, as ``request(_:as:)`` throws it.
func refusal(_ message: String) -> TDDecodingError { .request(message: message) }

@Suite("Requests read as TDLib reads them")
struct LenientRequestTests {
    @Test(
        "An int32 is a number or a string of digits; null is 0",
        arguments: [
            (#""7""#, 7), ("7", 7), ("null", 0), (#""\u0037""#, 7), (#""-2147483648""#, -2_147_483_648),
        ])
    func int32(value: String, expected: Int32) throws {
        #expect(try request(#"{"@type":"testSquareInt","x":\#(value)}"#, as: TestSquareInt.self).x == expected)
    }

    @Test(
        "An integer must be written as TDLib prints it",
        arguments: [
            "7.0", #""7.0""#, #"" 7""#, #""+7""#, "+7", #""-0""#, "-0", #""07""#, "07", #""2147483648""#,
            #""abc""#, "1e400", ".5",
        ])
    func integerRefusals(value: String) throws {
        let text = value.hasPrefix("\"") ? String(value.dropFirst().dropLast()) : value
        #expect(throws: refusal("Can't parse as an integer string \"\(text)\"")) {
            try request(#"{"@type":"testSquareInt","x":\#(value)}"#, as: TestSquareInt.self)
        }
    }

    @Test("Other JSON types are named in TDLib's words")
    func integerTypeErrors() throws {
        for (value, found) in [("true", "Boolean"), ("[1]", "Array"), ("{}", "Object")] {
            #expect(throws: refusal("Expected Number, but receive \(found)")) {
                try request(#"{"@type":"testSquareInt","x":\#(value)}"#, as: TestSquareInt.self)
            }
            #expect(throws: refusal("Expected String or Number, but receive \(found)")) {
                try request(
                    #"{"@type":"getCallbackQueryMessage","chat_id":\#(value)}"#, as: GetCallbackQueryMessage.self)
            }
        }
    }

    @Test("int53 and int64 take numbers and strings, null and missing as 0")
    func int64() throws {
        let message = try request(
            #"{"@type":"getCallbackQueryMessage","chat_id":"-100123","message_id":null,"callback_query_id":9223372036854775807}"#,
            as: GetCallbackQueryMessage.self)
        #expect(message == GetCallbackQueryMessage(chatId: -100_123, messageId: 0, callbackQueryId: .max))
        #expect(throws: refusal(#"Can't parse as an integer string "9223372036854775808""#)) {
            try request(
                #"{"@type":"getCallbackQueryMessage","chat_id":"9223372036854775808"}"#,
                as: GetCallbackQueryMessage.self)
        }
    }

    @Test("Strict reading of TDLib's output is unchanged")
    func strictStaysStrict() throws {
        for json in [
            #"{"@type":"testSquareInt","x":"7"}"#, #"{"@type":"testSquareInt","x":null}"#,
            #"{"@type":"testSquareInt","x":true}"#, #"{"@type":-60135024,"x":7}"#,
            #"{"@type":"testSquareInt","x":1,"@type":"foo"}"#,
        ] {
            #expect(throws: TDDecodingError.self) { try TestSquareInt(json: json) }
        }
        #expect(try TestSquareInt(json: #"{"@type":"testSquareInt","x":-0}"#).x == 0)
        #expect(throws: TDDecodingError.self) { try JsonValueBoolean(json: #"{"@type":"jsonValueBoolean","value":1}"#) }
        #expect(throws: TDDecodingError.self) {
            try JsonValueNumber(json: #"{"@type":"jsonValueNumber","value":1e400}"#)
        }
        #expect(throws: TDDecodingError.self) { try TestString(json: #"{"@type":"testString","value":null}"#) }
        #expect(try TestBytes(json: #"{"@type":"testBytes","value":"QQ"}"#).value == [0x41])
        #expect(throws: TDDecodingError.self) { try TestVectorInt(json: #"{"@type":"testVectorInt","value":null}"#) }
        let unknown = try JsonValue(json: #"{"@type":"jsonValueNumberx","value":1}"#)
        #expect(
            unknown
                == .unknown(
                    TDUnknownObject(
                        type: "jsonValueNumberx", json: Array(#"{"@type":"jsonValueNumberx","value":1}"#.utf8))))
    }

    @Test("A Bool is true, false, or an integer: true unless 0")
    func bools() throws {
        for (value, expected) in [
            ("true", true), ("1", true), (#""1""#, true), ("2", true), ("0", false), ("null", false),
        ] {
            let decoded = try request(#"{"@type":"jsonValueBoolean","value":\#(value)}"#, as: JsonValueBoolean.self)
            #expect(decoded.value == expected, "\(value)")
        }
        for (value, found) in [(#""true""#, "String"), ("1.5", "Number"), ("[]", "Array")] {
            #expect(throws: refusal("Expected Boolean, but receive \(found)")) {
                try request(#"{"@type":"jsonValueBoolean","value":\#(value)}"#, as: JsonValueBoolean.self)
            }
        }
    }

    @Test("A double is any number TDLib's parser takes, read as a C++ stream reads it")
    func doubles() throws {
        let cases: [(String, Double)] = [
            ("7", 7), ("+5", 5), ("1e400", .greatestFiniteMagnitude), ("-1e400", -.greatestFiniteMagnitude),
            ("1.5.3", 1.5), ("1e", 0), ("1e+", 0), (".", 0), ("-", 0), ("00012", 12), ("1-2", 1), ("1E+2", 100),
            ("null", 0), (".5", 0.5),
        ]
        for (value, expected) in cases {
            let decoded = try request(#"{"@type":"jsonValueNumber","value":\#(value)}"#, as: JsonValueNumber.self)
            #expect(decoded.value == expected, "\(value)")
        }
        #expect(throws: refusal("Expected Number, but receive String")) {
            try request(#"{"@type":"jsonValueNumber","value":"7"}"#, as: JsonValueNumber.self)
        }
    }

    @Test("Strings: null is empty, unknown escapes stand for their character, other types are refused")
    func strings() throws {
        #expect(try request(#"{"@type":"testCallString","x":null}"#, as: TestCallString.self).x == "")
        #expect(try request(#"{"@type":"testCallString","x":"a\xb\/"}"#, as: TestCallString.self).x == "axb/")
        #expect(throws: refusal("Expected String, but receive Number")) {
            try request(#"{"@type":"testCallString","x":5}"#, as: TestCallString.self)
        }
    }

    @Test("Bytes: padded standard base64 only, with TDLib's messages")
    func bytes() throws {
        #expect(try request(#"{"@type":"testCallBytes","x":"QQ=="}"#, as: TestCallBytes.self).x == [0x41])
        #expect(try request(#"{"@type":"testCallBytes","x":null}"#, as: TestCallBytes.self).x == [])
        for (value, message) in [
            (#""QQ""#, "Wrong padding length"), (#""QR==""#, "Wrong padding in the string"),
            (#""-_8=""#, "Wrong character in the string"), (#""Q===""#, "Wrong string padding"),
            ("5", "Expected String, but receive Number"),
        ] {
            #expect(throws: refusal(message)) {
                try request(#"{"@type":"testCallBytes","x":\#(value)}"#, as: TestCallBytes.self)
            }
        }
    }

    @Test("Arrays: null is empty, elements follow their type's rules")
    func arrays() throws {
        #expect(
            try request(#"{"@type":"testCallVectorInt","x":["1",2,null]}"#, as: TestCallVectorInt.self).x == [1, 2, 0])
        #expect(try request(#"{"@type":"testCallVectorInt","x":null}"#, as: TestCallVectorInt.self).x == [])
        #expect(throws: refusal("Expected Array, but receive Number")) {
            try request(#"{"@type":"testCallVectorInt","x":5}"#, as: TestCallVectorInt.self)
        }
    }

    @Test("The @type of an object with one possible constructor is not read")
    func concreteObjects() throws {
        let json = #"{"@type":"testCallVectorIntObject","x":[{"@type":"foo","value":"3"},{"value":4},{"@type":5}]}"#
        #expect(try request(json, as: TestCallVectorIntObject.self).x.map(\.value) == [3, 4, 0])
        #expect(throws: TDDecodingError.self) { try TestCallVectorIntObject(json: json) }
        #expect(throws: refusal("Expected Object, but receive Number")) {
            try request(#"{"@type":"testCallVectorIntObject","x":[5]}"#, as: TestCallVectorIntObject.self)
        }
    }

    @Test("@type as a constructor number, for the request and for objects of an abstract class")
    func constructorNumbers() throws {
        #expect(TestSquareInt.tdConstructor == -60_135_024)
        for type in ["-60135024", "4234832272", "-60135024.9"] {
            #expect(try request(#"{"@type":\#(type),"x":"7"}"#, as: TestSquareInt.self).x == 7)
        }
        #expect(try request(#"{"x":5,"@type":-60135024}"#, as: TestSquareInt.self).x == 5)
        #expect(throws: refusal("Unknown constructor 0xddbd2c09")) {
            try request(#"{"@type":-574804983}"#, as: TestSquareInt.self)
        }
        #expect(throws: refusal("Expected String or Integer, but receive Boolean")) {
            try request(#"{"@type":true}"#, as: TestSquareInt.self)
        }
        let number = try request(
            #"{"@type":663458849,"json_value":{"@type":-1010822033,"value":2}}"#, as: GetJsonString.self)
        #expect(number.jsonValue == .number(JsonValueNumber(value: 2)))
        let function = try TDMissingFields.$current.withValue(.useTDLibDefaults) {
            try TDRegistry.function(json: Array(#"{"@type":-60135024,"x":3}"#.utf8))
        }
        #expect(function as? TestSquareInt == TestSquareInt(x: 3))
    }

    @Test("An abstract class's @type: TDLib's errors for unknown names and numbers and a missing @type")
    func abstractErrors() throws {
        let cases = [
            (#"{"@type":-1,"value":1}"#, "Unknown constructor 0xffffffff"),
            (#"{"@type":-60135024,"value":1}"#, "Unknown constructor 0xfc6a6990"),
            (#"{"@type":"jsonValueNumberx","value":1}"#, #"Unknown class "jsonValueNumberx""#),
            (#"{"@type":"testInt","value":1}"#, #"Unknown class "testInt""#),
            (#"{"value":null}"#, #"Can't find field "@type""#),
            (#"{"@type":null}"#, "Expected String or Integer, but receive Null"),
            ("5", "Expected Object, but receive Number"),
        ]
        for (value, message) in cases {
            #expect(throws: refusal(message), "\(value)") {
                try request(#"{"@type":"getJsonString","json_value":\#(value)}"#, as: GetJsonString.self)
            }
        }
    }

    @Test("Unknown fields are ignored, whatever TDLib's parser takes in them; only the first @type counts")
    func unknownFields() throws {
        let json = #"{"@type":"testSquareInt","x":3,"zzz":[1,{"a":null}],"w":+5,"v":"\x","u":.5e}"#
        #expect(try request(json, as: TestSquareInt.self).x == 3)
        #expect(try TestSquareInt(json: #"{"@type":"testSquareInt","x":3,"zzz":[1,{"a":null}]}"#).x == 3)
        #expect(try request(#"{"@type":"testSquareInt","x":1,"@type":"foo"}"#, as: TestSquareInt.self).x == 1)
    }

    @Test("Every constructor number is the one TDLib uses: CRC-32 of the normalized schema line")
    func constructorNumbersOfTheSchema() {
        #expect(TestCallVectorInt.tdConstructor == -2_137_277_793)
        #expect(TestInt.tdConstructor == -574_804_983)
        #expect(GetJsonString.tdConstructor == 663_458_849)
        #expect(TDRegistry.functionType(constructor: GetJsonString.tdConstructor)?.description == "getJsonString")
        #expect(TDRegistry.objectType(constructor: TestInt.tdConstructor)?.description == "testInt")
        #expect(TDRegistry.objectType(constructor: GetJsonString.tdConstructor) == nil)
    }
}
