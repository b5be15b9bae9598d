/// A validating scanner over JSON bytes that reads only what routing needs, without building values.
///
/// It walks the top-level object's keys and skips over every value, checking its syntax on the way.
struct JSONScanner {
    /// What the receive loop needs of one object.
    struct Envelope: Equatable {
        var type: Range<Int>?
        var extra: UInt64?
        var hasExtra = false
        var clientID: Int32?
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private let maximumDepth: Int
    private let checksText: Bool
    private static let maximumDepth = 1000
    /// TDLib's own parser refuses requests nested deeper (an object holding 100 nested arrays is the most),
    /// and its error then carries no `@extra`: the request would never be answered.
    static let maximumRequestDepth = 101

    init(_ bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int = JSONScanner.maximumDepth, checksText: Bool = false) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        self.checksText = checksText
    }

    /// Reads the envelope of one JSON object, or `nil` when the bytes are not exactly one valid JSON object.
    static func envelope(of bytes: UnsafeBufferPointer<UInt8>) -> Envelope? {
        var scanner = JSONScanner(bytes)
        return scanner.readEnvelope()
    }

    /// Like ``envelope(of:)``, for a request about to reach TDLib: also refuses what TDLib's parser would
    /// answer without `@extra` (too deep), or abort the process on (invalid UTF-8, a lone surrogate escape).
    static func requestEnvelope(of bytes: UnsafeBufferPointer<UInt8>) -> Envelope? {
        var scanner = JSONScanner(bytes, maximumDepth: maximumRequestDepth, checksText: true)
        return scanner.readEnvelope()
    }

    /// Whether the bytes are exactly one valid JSON value, with white space around it allowed.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        guard scanner.skipValue(depth: 0) else { return false }
        scanner.skipWhitespace()
        return scanner.index == bytes.count
    }

    private mutating func readEnvelope() -> Envelope? {
        skipWhitespace()
        guard consume(UInt8(ascii: "{")) else { return nil }
        var envelope = Envelope()
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return finish(envelope) }
        while true {
            skipWhitespace()
            guard let key = scanString() else { return nil }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            let valueStart = index
            guard skipValue(depth: 1) else { return nil }
            let value = valueStart..<index
            if key.count > 0, bytes[key.lowerBound] == UInt8(ascii: "@") {
                if matches(key, "@type") {
                    // The last `@type` counts, as in a full parse, even when it is not a string
                    // (found by fuzzing: an earlier string one used to stay).
                    envelope.type =
                        bytes[valueStart] == UInt8(ascii: "\"") ? (value.lowerBound + 1)..<(value.upperBound - 1) : nil
                } else if matches(key, "@extra") {
                    envelope.hasExtra = true
                    envelope.extra = unsignedInteger(value).flatMap { UInt64(exactly: $0) }
                } else if matches(key, "@client_id") {
                    envelope.clientID =
                        unsignedInteger(value).flatMap { Int32(exactly: $0) }
                        ?? negativeInt32(value)
                }
            }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            guard consume(UInt8(ascii: "}")) else { return nil }
            return finish(envelope)
        }
    }

    private mutating func finish(_ envelope: Envelope) -> Envelope? {
        skipWhitespace()
        return index == bytes.count ? envelope : nil
    }

    private func matches(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != pointer[offset] {
            return false
        }
        return true
    }

    /// Every `UInt64` the manager may put in `@extra`, up to 20 digits (found by fuzzing: 19 left
    /// the largest ones unroutable).
    private func unsignedInteger(_ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty, range.count <= 20 else { return nil }
        var result: UInt64 = 0
        for position in range {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (tens, overflowed) = result.multipliedReportingOverflow(by: 10)
            let (sum, carried) = tens.addingReportingOverflow(UInt64(digit))
            guard !overflowed, !carried else { return nil }
            result = sum
        }
        return result
    }

    private func negativeInt32(_ range: Range<Int>) -> Int32? {
        guard range.count > 1, bytes[range.lowerBound] == UInt8(ascii: "-"),
            let magnitude = unsignedInteger((range.lowerBound + 1)..<range.upperBound)
        else { return nil }
        return Int32(exactly: -Int64(clamping: magnitude))
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Skips one string and returns the range of its contents, escapes left as they are.
    private mutating func scanString() -> Range<Int>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start..<(index - 1)
            }
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else { return nil }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard let unit = hexUnit(at: index) else { return nil }
                    index += 6
                    if checksText, (0xD800...0xDFFF).contains(unit) {
                        guard unit < 0xDC00, let low = hexUnit(at: index), (0xDC00...0xDFFF).contains(low) else {
                            return nil
                        }
                        index += 6
                    }
                default:
                    return nil
                }
            } else if byte < 0x20 {
                return nil
            } else if byte >= 0x80, checksText {
                guard let length = utf8SequenceLength(at: index) else { return nil }
                index += length
            } else {
                index += 1
            }
        }
        return nil
    }

    /// The code unit of the `\uXXXX` escape starting at `position`, or `nil` when there is none.
    private func hexUnit(at position: Int) -> UInt16? {
        guard position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
            bytes[position + 1] == UInt8(ascii: "u")
        else { return nil }
        var unit: UInt16 = 0
        for offset in 2..<6 {
            let byte = bytes[position + offset]
            guard byte.isHexDigit else { return nil }
            let digit = byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : (byte | 0x20) - UInt8(ascii: "a") + 10
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// The length of the well-formed UTF-8 sequence at `position` (RFC 3629: shortest form, no
    /// surrogates, at most U+10FFFF), or `nil`.
    private func utf8SequenceLength(at position: Int) -> Int? {
        let lead = bytes[position]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, low) = (3, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, high) = (3, 0x9F)
        case 0xF0: (length, low) = (4, 0x90)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, high) = (4, 0x8F)
        default: return nil
        }
        guard position + length <= bytes.count else { return nil }
        let second = bytes[position + 1]
        guard second >= low, second <= high else { return nil }
        for offset in 2..<length where bytes[position + offset] & 0xC0 != 0x80 { return nil }
        return length
    }

    private mutating func skipValue(depth: Int) -> Bool {
        guard index < bytes.count, depth < maximumDepth else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return scanString() != nil
        case UInt8(ascii: "{"):
            index += 1
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return true }
            while true {
                skipWhitespace()
                guard scanString() != nil else { return false }
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { return false }
                skipWhitespace()
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                return consume(UInt8(ascii: "}"))
            }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return true }
            while true {
                skipWhitespace()
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                return consume(UInt8(ascii: "]"))
            }
        case UInt8(ascii: "t"): return consumeLiteral("true")
        case UInt8(ascii: "f"): return consumeLiteral("false")
        case UInt8(ascii: "n"): return consumeLiteral("null")
        default: return skipNumber()
        }
    }

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func skipNumber() -> Bool {
        _ = consume(UInt8(ascii: "-"))
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard skipDigits() else { return false }
        }
        if consume(UInt8(ascii: ".")) { guard skipDigits() else { return false } }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard skipDigits() else { return false }
        }
        return true
    }

    private mutating func skipDigits() -> Bool {
        let start = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        return index > start
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (self &- UInt8(ascii: "0")) < 10 || (self | 0x20) &- UInt8(ascii: "a") < 6
    }
}
