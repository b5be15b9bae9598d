import Foundation
import TDLibAPI

/// `getJsonValue` and `getJsonString` as TDLib answers them: its own JSON reader (`json_decode` in
/// `tdutils/td/utils/JsonBuilder.cpp`, commit 022d602) with its error messages, numbers read as C++ streams
/// read them, and its JSON writer, which escapes every non-ASCII character and writes numbers with six decimals.
enum TDLibJSON {
    struct Failure: Error { var message: String }

    /// A value as `json_decode` reads it: numbers and strings keep their bytes.
    indirect enum Node {
        case null
        case boolean(Bool)
        case number([UInt8])
        case string([UInt8])
        case array([Node])
        case object([(key: [UInt8], value: Node)])

        /// `get_json_value_object`.
        var jsonValue: JsonValue {
            switch self {
            case .null: .null(JsonValueNull())
            case .boolean(let value): .boolean(JsonValueBoolean(value: value))
            case .number(let text): .number(JsonValueNumber(value: TDLibJSON.streamDouble(text)))
            case .string(let bytes): .string(JsonValueString(value: String(decoding: bytes, as: UTF8.self)))
            case .array(let values): .array(JsonValueArray(values: values.map(\.jsonValue)))
            case .object(let members):
                .object(
                    JsonValueObject(
                        members: members.map {
                            JsonObjectMember(key: String(decoding: $0.key, as: UTF8.self), value: $0.value.jsonValue)
                        }))
            }
        }
    }

    /// `json_decode`: one value, then nothing but spaces.
    static func decode(_ text: [UInt8]) throws(Failure) -> Node {
        var reader = Reader(bytes: text)
        let value = try reader.value(depth: 100)
        reader.skipSpaces()
        guard reader.index == text.count else { throw Failure(message: "Expected string end") }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

        mutating func skipSpaces() {
            while index < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[index]) { index += 1 }
        }

        mutating func skip(_ word: String) -> Bool {
            let word = Array(word.utf8)
            guard bytes[index...].starts(with: word) else { return false }
            index += word.count
            return true
        }

        mutating func value(depth: Int) throws(Failure) -> Node {
            if depth < 0 { throw Failure(message: "Too big object depth") }
            skipSpaces()
            switch peek {
            case UInt8(ascii: "f"):
                guard skip("false") else { throw Failure(message: "Token starts with 'f' -- false expected") }
                return .boolean(false)
            case UInt8(ascii: "t"):
                guard skip("true") else { throw Failure(message: "Token starts with 't' -- true expected") }
                return .boolean(true)
            case UInt8(ascii: "n"):
                guard skip("null") else { throw Failure(message: "Token starts with 'n' -- null expected") }
                return .null
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "["):
                index += 1
                skipSpaces()
                var values: [Node] = []
                if skip("]") { return .array(values) }
                while true {
                    if index == bytes.count { throw Failure(message: "Unexpected string end") }
                    values.append(try value(depth: depth - 1))
                    skipSpaces()
                    if skip("]") { break }
                    if skip(",") {
                        skipSpaces()
                        continue
                    }
                    if index == bytes.count { throw Failure(message: "Unexpected string end") }
                    throw Failure(message: "Unexpected symbol while parsing JSON Array")
                }
                return .array(values)
            case UInt8(ascii: "{"):
                index += 1
                skipSpaces()
                var members: [(key: [UInt8], value: Node)] = []
                if skip("}") { return .object(members) }
                while true {
                    if index == bytes.count { throw Failure(message: "Unexpected string end") }
                    let key = try string()
                    skipSpaces()
                    guard skip(":") else { throw Failure(message: "':' expected") }
                    members.append((key, try value(depth: depth - 1)))
                    skipSpaces()
                    if skip("}") { break }
                    if skip(",") {
                        skipSpaces()
                        continue
                    }
                    if index == bytes.count { throw Failure(message: "Unexpected string end") }
                    throw Failure(message: "Unexpected symbol while parsing JSON Object")
                }
                return .object(members)
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index < bytes.count, "-+.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
                return .number(Array(bytes[start..<index]))
            case 0:
                throw Failure(message: "Unexpected string end")
            case let next:
                if next > 0 && next < 127 {
                    throw Failure(message: "Unexpected symbol '" + String(UnicodeScalar(next)) + "'")
                }
                throw Failure(message: "Unexpected symbol")
            }
        }

        /// `json_string_decode`: a quoted string with its escapes; lone surrogates stay as TDLib encodes them.
        mutating func string() throws(Failure) -> [UInt8] {
            guard skip("\"") else { throw Failure(message: "Opening '\"' expected") }
            var result: [UInt8] = []
            while true {
                guard index < bytes.count else { throw Failure(message: "Closing '\"' not found") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return result
                }
                guard byte == UInt8(ascii: "\\") else {
                    result.append(byte)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { throw Failure(message: "Closing '\"' not found") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count else { throw Failure(message: "\\u has less than 4 symbols") }
                    var code = try hex4()
                    if code > 0xD7FF && code < 0xE000, index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        if low > 0xD7FF && low < 0xE000 {
                            code = (((code & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000
                        } else {
                            index -= 6
                        }
                    }
                    result += TextBytes.utf8(of: code)
                default: result.append(escaped)
                }
            }
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                guard TextBytes.isHexDigit(byte) else { throw Failure(message: "Invalid \\u -- not hex digit") }
                value = value * 16 + TextBytes.hexValue(byte)
                index += 1
            }
            return value
        }
    }

    /// `to_double`: what `std::istream >> double` reads from the start of the text (0 when it reads nothing),
    /// then rounded to the six decimals TDLib writes the number with.
    static func streamDouble(_ text: [UInt8]) -> Double {
        var index = 0
        var accepted: [UInt8] = []
        func take(_ allowed: (UInt8) -> Bool) -> Bool {
            guard index < text.count, allowed(text[index]) else { return false }
            accepted.append(text[index])
            index += 1
            return true
        }
        _ = take { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        var digits = false
        while take(TextBytes.isDigit) { digits = true }
        if take({ $0 == UInt8(ascii: ".") }) { while take(TextBytes.isDigit) { digits = true } }
        if digits, take({ $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            _ = take { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
            var exponentDigits = false
            while take(TextBytes.isDigit) { exponentDigits = true }
            if !exponentDigits { return 0 }
        }
        guard digits, let value = Double(String(decoding: accepted, as: UTF8.self)) else { return 0 }
        if value.isInfinite { return value < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude }
        return sixDecimals(value)
    }

    /// The number as TDLib writes it (`std::fixed` with six decimals), read back.
    static func sixDecimals(_ value: Double) -> Double {
        guard value.isFinite else { return value }
        return Double(String(format: "%.6f", value)) ?? value
    }

    /// `get_json_string` of a `JsonValue` given as the request's raw JSON (`null` elements included), with
    /// TDLib's reading of its scalars: a boolean from a number or numeric string, a double only from a number.
    static func encode(_ value: Any?, into out: inout [UInt8]) throws(Failure) {
        guard let object = value as? [String: Any] else {
            out += Array("null".utf8)
            return
        }
        switch object["@type"] as? String {
        case "jsonValueBoolean":
            let flag: Bool
            switch object["value"] {
            case let number as NSNumber: flag = number.boolValue
            case let text as String: flag = (Int64(text) ?? 0) != 0
            default: flag = false
            }
            out += Array((flag ? "true" : "false").utf8)
        case "jsonValueNumber":
            if object["value"] is String {
                throw Failure(
                    message: "Failed to parse JSON object as TDLib request: Expected Number, but receive String")
            }
            out += Array(String(format: "%.6f", (object["value"] as? NSNumber)?.doubleValue ?? 0).utf8)
        case "jsonValueString": encodeString(object["value"] as? String ?? "", into: &out)
        case "jsonValueArray":
            out.append(UInt8(ascii: "["))
            for (position, element) in (object["values"] as? [Any] ?? []).enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                try encode(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case "jsonValueObject":
            out.append(UInt8(ascii: "{"))
            var first = true
            for case let member as [String: Any] in object["members"] as? [Any] ?? [] {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                encodeString(member["key"] as? String ?? "", into: &out)
                out.append(UInt8(ascii: ":"))
                try encode(member["value"], into: &out)
            }
            out.append(UInt8(ascii: "}"))
        default: out += Array("null".utf8)
        }
    }

    /// `JsonString`: quotes, backslash escapes, and `\u` escapes for control and non-ASCII characters.
    static func encodeString(_ text: String, into out: inout [UInt8]) {
        func unit(_ value: UInt32) {
            out += Array("\\u".utf8) + Array(String(format: "%04x", value).utf8)
        }
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += Array("\\\"".utf8)
            case "\\": out += Array("\\\\".utf8)
            case "\u{08}": out += Array("\\b".utf8)
            case "\u{0C}": out += Array("\\f".utf8)
            case "\n": out += Array("\\n".utf8)
            case "\r": out += Array("\\r".utf8)
            case "\t": out += Array("\\t".utf8)
            default:
                let value = scalar.value
                if value < 0x20 || (value >= 0x80 && value < 0x10000) {
                    unit(value)
                } else if value >= 0x10000 {
                    unit(0xD7C0 + (value >> 10))
                    unit(0xDC00 + (value & 0x3FF))
                } else {
                    out.append(UInt8(value))
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
