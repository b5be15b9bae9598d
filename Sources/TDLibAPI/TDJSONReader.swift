/// A strict, allocation-light JSON pull reader over UTF-8 bytes, the decoder behind every
/// generated type.
///
/// The reader walks the bytes once. Object keys are hashed while they are scanned so that
/// generated decoders find a field with one integer `switch` and one byte comparison; values are
/// read straight into Swift values. Bytes past the end read as `0`, which no JSON value accepts,
/// so every check against the end is also a syntax check.
///
/// A reader borrows memory it does not own: create it only through ``TDDecodable/init(json:)-([UInt8])``
/// or ``withReader(_:_:)``, which keep the bytes alive while it runs.
public struct TDJSONReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// The offset of the next byte to read.
    public internal(set) var position: Int = 0
    /// How many objects and arrays enclose the current position.
    var depth = 0
    /// The deepest nesting of objects and arrays accepted; deeper input is refused, not recursed into.
    public static let maximumDepth = 128

    private var keyStart = 0
    private var keyCount = 0
    private var keyIsEscaped = false
    private var typeStart = 0
    private var typeCount = 0
    private var typeIsEscaped = false
    private var scratchKey: [UInt8] = []
    private var scratchType: [UInt8] = []
    /// Whether ``readTypeOfObject()`` consumed the object's `{` and its `@type`.
    private(set) var typeWasConsumed = false
    private var depthBeforeType = 0

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Runs `body` with a reader over `bytes`, then checks that nothing but whitespace follows.
    public static func withReader<R>(
        _ bytes: [UInt8], _ body: (inout TDJSONReader) throws -> R
    ) throws -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                throw TDDecodingError.syntax(offset: 0, expected: "a JSON value")
            }
            var reader = TDJSONReader(base: base, count: buffer.count)
            let value = try body(&reader)
            reader.skipWhitespace()
            guard reader.position == reader.count else {
                throw TDDecodingError.syntax(offset: reader.position, expected: "the end of the input")
            }
            return value
        }
    }

    // MARK: Bytes

    @inline(__always)
    func byte(_ offset: Int) -> UInt8 {
        offset < count ? base[offset] : 0
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while true {
            let c = byte(position)
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            position += 1
        }
    }

    private func syntaxError(_ expected: String) -> TDDecodingError {
        .syntax(offset: position, expected: expected)
    }

    private mutating func enter() throws {
        depth += 1
        if depth > Self.maximumDepth { throw TDDecodingError.tooDeep(offset: position) }
    }

    // MARK: Objects

    /// Passes an object's `{` and, when its first key is `@type`, checks that key's value against
    /// `type` (or, in a request, its constructor number). Returns whether the object's first key is
    /// still to be read.
    @inline(never)
    mutating func readObjectStart(expecting type: StaticString, constructor: Int32) throws -> Bool {
        skipWhitespace()
        guard byte(position) == UInt8(ascii: "{") else {
            throw requestObjectError(original: TDDecodingError.typeMismatch(offset: position, expected: "an object"))
        }
        position += 1
        try enter()
        skipWhitespace()
        // Fast path: `"@type":` comes first, as TDLib always writes it.
        if byte(position) == UInt8(ascii: "\""), byte(position + 1) == UInt8(ascii: "@"),
            byte(position + 2) == UInt8(ascii: "t"), byte(position + 3) == UInt8(ascii: "y"),
            byte(position + 4) == UInt8(ascii: "p"), byte(position + 5) == UInt8(ascii: "e"),
            byte(position + 6) == UInt8(ascii: "\"")
        {
            position += 7
            skipWhitespace()
            guard byte(position) == UInt8(ascii: ":") else { throw syntaxError("':'") }
            position += 1
            try checkType(type, constructor)
            return false
        }
        return true
    }

    /// Reads the next key of the current object and returns its hash, or `nil` after the object's `}`.
    ///
    /// - Parameter first: `true` before the object's first key; the reader sets it to `false`.
    @inline(never)
    mutating func nextKey(_ first: inout Bool) throws -> UInt64? {
        skipWhitespace()
        var c = byte(position)
        if c == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return nil
        }
        if first {
            first = false
        } else {
            guard c == UInt8(ascii: ",") else { throw syntaxError("',' or '}'") }
            position += 1
            skipWhitespace()
            c = byte(position)
        }
        guard c == UInt8(ascii: "\"") else { throw syntaxError("a key") }
        position += 1
        let start = position
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var escaped = false
        while true {
            let b = byte(position)
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") || b < 0x20 {
                position = start - 1
                scratchKey = try readEscapedStringBytes()
                hash = Self.hash(scratchKey)
                escaped = true
                break
            }
            hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3
            position += 1
        }
        if escaped {
            keyIsEscaped = true
        } else {
            keyIsEscaped = false
            keyStart = start
            keyCount = position - start
            position += 1
        }
        skipWhitespace()
        guard byte(position) == UInt8(ascii: ":") else { throw syntaxError("':'") }
        position += 1
        return hash
    }

    @inline(__always)
    private func buffer(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + start, count: end - start)
    }

    @inline(__always)
    private func bytesEqual(_ start: Int, _ length: Int, _ text: StaticString) -> Bool {
        guard text.utf8CodeUnitCount == length else { return false }
        let other = text.utf8Start
        var index = 0
        while index < length {
            if base[start + index] != other[index] { return false }
            index += 1
        }
        return true
    }

    private static func equal(_ bytes: [UInt8], _ text: StaticString) -> Bool {
        guard text.utf8CodeUnitCount == bytes.count else { return false }
        return text.withUTF8Buffer { $0.elementsEqual(bytes) }
    }

    /// Whether the key just read is exactly `key`.
    ///
    /// `mutating` though it changes nothing: the generated decoders that call it are not optimized, and
    /// there a non-mutating call on their `inout` reader copies the reader, with its buffers' reference counts.
    @inline(__always)
    mutating func keyIs(_ key: StaticString) -> Bool {
        keyIsEscaped ? Self.equal(scratchKey, key) : bytesEqual(keyStart, keyCount, key)
    }

    /// Reads a string value and throws unless it is `type`; in a request, as TDLib reads `@type`
    /// (see ``checkRequestType(_:_:from:original:)``).
    @inline(never)
    mutating func checkType(_ type: StaticString, _ constructor: Int32) throws {
        skipWhitespace()
        let valueStart = position
        guard byte(position) == UInt8(ascii: "\"") else {
            let original = TDDecodingError.typeMismatch(offset: position, expected: "a string")
            return try checkRequestType(type, constructor, from: valueStart, original: original)
        }
        let start = position + 1
        try skipString()
        let end = position - 1
        let matches: Bool
        if buffer(start, end).contains(UInt8(ascii: "\\")) {
            position = start - 1
            matches = Self.equal(try readEscapedStringBytes(), type)
        } else {
            matches = bytesEqual(start, end - start, type)
        }
        guard matches else {
            let original = TDDecodingError.wrongType(
                expected: type.description, found: String(decoding: buffer(start, end), as: UTF8.self))
            return try checkRequestType(type, constructor, from: valueStart, original: original)
        }
    }

    /// Reads the `@type` of the object at the current position and returns its hash.
    ///
    /// When `@type` is the first key (as TDLib writes it), the reader stays after it, inside the
    /// object; otherwise it finds `@type` further on and comes back to the object's start
    /// (``typeWasConsumed`` tells which), so that the generated decoders read the rest or the whole.
    @inline(never)
    mutating func readTypeOfObject() throws -> UInt64 {
        skipWhitespace()
        guard byte(position) == UInt8(ascii: "{") else {
            throw requestObjectError(original: TDDecodingError.typeMismatch(offset: position, expected: "an object"))
        }
        let start = position
        depthBeforeType = depth
        position += 1
        try enter()
        var first = true
        var firstKey = true
        while let hash = try nextKey(&first) {
            if hash == Self.typeKeyHash, keyIs("@type") {
                skipWhitespace()
                if byte(position) != UInt8(ascii: "\"") {
                    let original = TDDecodingError.typeMismatch(offset: position, expected: "a string for @type")
                    let name = try readRequestTypeNumber(original: original)
                    scratchType = name.withUTF8Buffer { Array($0) }
                    typeIsEscaped = true
                } else {
                    let valueStart = position + 1
                    try skipString()
                    if buffer(valueStart, (position - 1)).contains(UInt8(ascii: "\\")) {
                        position = valueStart - 1
                        scratchType = try readEscapedStringBytes()
                        typeIsEscaped = true
                    } else {
                        typeIsEscaped = false
                        typeStart = valueStart
                        typeCount = position - 1 - valueStart
                    }
                }
                if firstKey {
                    typeWasConsumed = true
                } else {
                    typeWasConsumed = false
                    position = start
                    depth = depthBeforeType
                }
                return typeIsEscaped
                    ? Self.hash(scratchType) : Self.hash(start: typeStart, count: typeCount, base: base)
            }
            firstKey = false
            try skipValue()
        }
        position = start
        throw Self.missingTypeInRequest(
            original: TDDecodingError.missingField(field: "@type", type: "an object of an abstract class"))
    }

    /// Whether the `@type` found by ``readTypeOfObject()`` is exactly `type`.
    @inline(__always)
    func typeIs(_ type: StaticString) -> Bool {
        typeIsEscaped ? Self.equal(scratchType, type) : bytesEqual(typeStart, typeCount, type)
    }

    /// Goes back to `start` and keeps the whole object there as an unknown object.
    @inline(never)
    mutating func readUnknownObject(from start: Int) throws -> TDUnknownObject {
        let type =
            typeIsEscaped
            ? String(decoding: scratchType, as: UTF8.self)
            : String(decoding: buffer(typeStart, (typeStart + typeCount)), as: UTF8.self)
        position = start
        depth = depthBeforeType
        skipWhitespace()
        let objectStart = position
        // Inside a request, TDLib refuses an unknown @type; at the top, TDRegistry still answers nil.
        if depth > 0, let refusal = unknownTypeInRequest(objectStart: objectStart, name: type) { throw refusal }
        try skipValue()
        return TDUnknownObject(
            type: type, json: Array(UnsafeBufferPointer(start: base + objectStart, count: position - objectStart)))
    }

    static let typeKeyHash = hash(Array("@type".utf8))

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return hash
    }

    private static func hash(start: Int, count: Int, base: UnsafePointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in start..<(start + count) { hash = (hash ^ UInt64(base[index])) &* 0x100_0000_01b3 }
        return hash
    }

    // MARK: Values

    /// Reads `null` and returns `true`, or returns `false` and reads nothing.
    mutating func readNull() -> Bool {
        skipWhitespace()
        if byte(position) == UInt8(ascii: "n"), byte(position + 1) == UInt8(ascii: "u"),
            byte(position + 2) == UInt8(ascii: "l"), byte(position + 3) == UInt8(ascii: "l")
        {
            position += 4
            return true
        }
        return false
    }

    /// Reads an object, or `nil` for `null`.
    mutating func readObject<T: TDDecodable>() throws -> T? {
        if readNull() { return nil }
        return try T(from: &self)
    }

    /// Reads `true` or `false`; in a request, also what ``readRequestBool(from:original:)`` takes.
    @inline(never)
    mutating func readBool() throws -> Bool {
        skipWhitespace()
        let start = position
        let c = byte(position)
        if c == UInt8(ascii: "t"), byte(position + 1) == UInt8(ascii: "r"), byte(position + 2) == UInt8(ascii: "u"),
            byte(position + 3) == UInt8(ascii: "e")
        {
            position += 4
            return true
        }
        if c == UInt8(ascii: "f"), byte(position + 1) == UInt8(ascii: "a"), byte(position + 2) == UInt8(ascii: "l"),
            byte(position + 3) == UInt8(ascii: "s"), byte(position + 4) == UInt8(ascii: "e")
        {
            position += 5
            return false
        }
        let original = TDDecodingError.typeMismatch(offset: position, expected: "true or false")
        return try readRequestBool(from: start, original: original)
    }

    /// Reads a JSON integer (no fraction, no exponent) that fits in 64 bits.
    private mutating func readInteger() throws -> Int64 {
        let start = position
        var negative = false
        if byte(position) == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let digitsStart = position
        var magnitude: UInt64 = 0
        while true {
            let digit = byte(position) &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 {
                throw TDDecodingError.typeMismatch(offset: start, expected: "a 64-bit integer")
            }
            magnitude = sum
            position += 1
        }
        let digitCount = position - digitsStart
        guard digitCount > 0 else { throw TDDecodingError.typeMismatch(offset: start, expected: "an integer") }
        if digitCount > 1 && byte(digitsStart) == UInt8(ascii: "0") { throw syntaxError("no leading zero") }
        let next = byte(position)
        if next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw TDDecodingError.typeMismatch(offset: start, expected: "an integer")
        }
        if negative {
            if magnitude == 0, Self.readsRequests { throw Self.integerRefusal(Array("-0".utf8)) }
            guard magnitude <= UInt64(Int64.max) + 1 else {
                throw TDDecodingError.typeMismatch(offset: start, expected: "a 64-bit integer")
            }
            return Int64(truncatingIfNeeded: 0 &- magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else {
            throw TDDecodingError.typeMismatch(offset: start, expected: "a 64-bit integer")
        }
        return Int64(magnitude)
    }

    /// Reads an integer written as a number or, as TDLib writes int64, as a string of digits.
    private mutating func readIntegerOrString() throws -> Int64 {
        skipWhitespace()
        let start = position
        do {
            if byte(position) == UInt8(ascii: "\"") {
                position += 1
                let value = try readInteger()
                guard byte(position) == UInt8(ascii: "\"") else { throw syntaxError("'\"' after the digits") }
                position += 1
                return value
            }
            return try readInteger()
        } catch {
            return try readRequestInteger(bits: 64, from: start, original: error)
        }
    }

    /// Reads a TDLib `int32`; in a request, also what ``readRequestInteger(bits:from:original:)`` takes.
    @inline(never)
    mutating func readInt32() throws -> Int32 {
        skipWhitespace()
        let start = position
        do {
            let value = try readInteger()
            guard let result = Int32(exactly: value) else {
                throw TDDecodingError.typeMismatch(offset: start, expected: "a 32-bit integer")
            }
            return result
        } catch {
            return Int32(truncatingIfNeeded: try readRequestInteger(bits: 32, from: start, original: error))
        }
    }

    /// Reads a TDLib `int53`: a JSON number (a string of digits is accepted too).
    @inline(never)
    mutating func readInt53() throws -> Int64 {
        try readIntegerOrString()
    }

    /// Reads a TDLib `int64`: a string of digits, as TDLib writes it (a number is accepted too).
    @inline(never)
    mutating func readInt64() throws -> Int64 {
        try readIntegerOrString()
    }

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// Reads a number as a `Double`, exactly as a correctly rounded parser would; in a request,
    /// also what ``readRequestDouble(from:original:)`` takes.
    @inline(never)
    mutating func readDouble() throws -> Double {
        skipWhitespace()
        let start = position
        do {
            let value = try readNumber()
            // `+-.`, a digit or an exponent right after a number: TDLib reads them as part of it.
            let next = byte(position)
            if next < 64 ? (0x03FF_6800_0000_0000 as UInt64) >> next & 1 != 0 : next | 0x20 == UInt8(ascii: "e") {
                throw syntaxError("the end of the number")
            }
            return value
        } catch {
            return try readRequestDouble(from: start, original: error)
        }
    }

    @inline(__always)
    private mutating func readNumber() throws -> Double {
        let start = position
        var negative = false
        if byte(position) == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        let integerStart = position
        while true {
            let digit = byte(position) &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                if mantissa > 0 { significantDigits += 1 }
            } else {
                exponent += 1
                significantDigits += 1
            }
            position += 1
        }
        let integerDigits = position - integerStart
        guard integerDigits > 0 else { throw TDDecodingError.typeMismatch(offset: start, expected: "a number") }
        if integerDigits > 1 && byte(integerStart) == UInt8(ascii: "0") { throw syntaxError("no leading zero") }
        if byte(position) == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            while true {
                let digit = byte(position) &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    exponent -= 1
                    if mantissa > 0 { significantDigits += 1 }
                } else {
                    significantDigits += 1
                }
                position += 1
            }
            guard position > fractionStart else { throw syntaxError("a digit after '.'") }
        }
        var explicitExponent = 0
        if byte(position) == UInt8(ascii: "e") || byte(position) == UInt8(ascii: "E") {
            position += 1
            var exponentNegative = false
            if byte(position) == UInt8(ascii: "-") || byte(position) == UInt8(ascii: "+") {
                exponentNegative = byte(position) == UInt8(ascii: "-")
                position += 1
            }
            let exponentStart = position
            while true {
                let digit = byte(position) &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if explicitExponent < 100_000 { explicitExponent = explicitExponent * 10 + Int(digit) }
                position += 1
            }
            guard position > exponentStart else { throw syntaxError("a digit in the exponent") }
            if exponentNegative { explicitExponent = -explicitExponent }
        }
        exponent += explicitExponent
        // Clinger's fast path: both the mantissa and the power of ten are exact doubles.
        if significantDigits <= 19, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= Self.exactPowersOfTen[-exponent]
            } else {
                value *= Self.exactPowersOfTen[exponent]
            }
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
        // Beyond Double's range the text reads as an infinity, which JSON cannot carry back (found by
        // fuzzing: it encoded as null); Foundation refuses such numbers too.
        guard let value = Double(text), value.isFinite else {
            throw TDDecodingError.typeMismatch(offset: start, expected: "a number within Double's range")
        }
        return value
    }

    // MARK: Strings

    /// Reads a string; in a request, also what ``readRequestString(from:original:)`` takes.
    @inline(never)
    mutating func readString() throws -> String {
        skipWhitespace()
        guard byte(position) == UInt8(ascii: "\"") else {
            let original = TDDecodingError.typeMismatch(offset: position, expected: "a string")
            return try readRequestString(from: position, original: original)
        }
        let start = position + 1
        var index = start
        // Eight bytes at a time while no byte is '"', '\\' or a control character.
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if Self.hasSpecialByte(word) { break }
            index += 8
        }
        while true {
            let b = byte(index)
            if b == UInt8(ascii: "\"") {
                position = index + 1
                return String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            index += 1
        }
        do {
            return String(decoding: try readEscapedStringBytes(), as: UTF8.self)
        } catch {
            return try readRequestString(from: start - 1, original: error)
        }
    }

    /// Whether any byte of `word` is `"`, `\` or below 0x20.
    @inline(__always)
    private static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote & highs
        let hasBackslash = (backslash &- ones) & ~backslash & highs
        let hasControl = (word &- ones &* 0x20) & ~word & highs
        return (hasQuote | hasBackslash | hasControl) != 0
    }

    /// Reads a string at the current `"`, resolving escapes, and returns its UTF-8 bytes.
    private mutating func readEscapedStringBytes() throws -> [UInt8] {
        guard byte(position) == UInt8(ascii: "\"") else {
            throw TDDecodingError.typeMismatch(offset: position, expected: "a string")
        }
        position += 1
        var out: [UInt8] = []
        while true {
            let b = byte(position)
            if b == UInt8(ascii: "\"") {
                position += 1
                return out
            }
            if b < 0x20 {
                throw syntaxError(position >= count ? "'\"' before the end" : "no control character in a string")
            }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                position += 1
                continue
            }
            position += 1
            let e = byte(position)
            position += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate: a low one must follow to make one scalar.
                    guard byte(position) == UInt8(ascii: "\\"), byte(position + 1) == UInt8(ascii: "u") else {
                        throw syntaxError("a low surrogate after a high one")
                    }
                    position += 2
                    let low = try readHex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw syntaxError("a low surrogate after a high one") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw syntaxError("no lone low surrogate")
                }
                Self.appendUTF8(UInt32(scalar), to: &out)
            default:
                throw TDDecodingError.syntax(offset: position - 1, expected: "a valid escape")
            }
        }
    }

    private mutating func readHex4() throws -> Int {
        var value = 0
        for _ in 0..<4 {
            let c = byte(position)
            let digit: Int
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(c - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(c - UInt8(ascii: "A")) + 10
            default: throw syntaxError("four hex digits after \\u")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        if scalar < 0x80 {
            out.append(UInt8(scalar))
        } else if scalar < 0x800 {
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        } else if scalar < 0x10000 {
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Reads TDLib `bytes`: a base64 string; in a request, as ``readRequestBytes(from:original:)``.
    @inline(never)
    mutating func readBytes() throws -> [UInt8] {
        skipWhitespace()
        let start = position
        do {
            guard byte(position) == UInt8(ascii: "\"") else {
                throw TDDecodingError.typeMismatch(offset: position, expected: "a base64 string")
            }
            try skipString()
            var text = Array(UnsafeBufferPointer(start: base + start + 1, count: position - start - 2))
            if text.contains(UInt8(ascii: "\\")) {
                position = start
                text = try readEscapedStringBytes()
            }
            guard let decoded = Base64.decode(text) else {
                throw TDDecodingError.typeMismatch(offset: start, expected: "base64")
            }
            // TDLib refuses some base64 that this reader takes: unpadded, URL-safe, stray bits.
            if Self.readsRequests { return try Base64.decodeAsTDLib(text).get() }
            return decoded
        } catch {
            return try readRequestBytes(from: start, original: error)
        }
    }

    // MARK: Arrays

    /// Reads an array, each element with `element`.
    mutating func readArray<T>(_ element: (inout TDJSONReader) throws -> T) throws -> [T] {
        skipWhitespace()
        guard byte(position) == UInt8(ascii: "[") else {
            try readRequestNullArray(original: TDDecodingError.typeMismatch(offset: position, expected: "an array"))
            return []
        }
        position += 1
        try enter()
        var result: [T] = []
        skipWhitespace()
        if byte(position) == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return result
        }
        while true {
            result.append(try element(&self))
            skipWhitespace()
            let c = byte(position)
            position += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "]") { break }
            position -= 1
            throw syntaxError("',' or ']'")
        }
        depth -= 1
        return result
    }

    // MARK: Any value

    /// The key just read, as a string.
    func currentKey() -> String {
        keyIsEscaped
            ? String(decoding: scratchKey, as: UTF8.self)
            : String(decoding: buffer(keyStart, keyStart + keyCount), as: UTF8.self)
    }

    /// Reads any JSON value.
    mutating func readValue() throws -> TDJSONValue {
        skipWhitespace()
        switch byte(position) {
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "{"):
            position += 1
            try enter()
            var members: [String: TDJSONValue] = [:]
            var first = true
            while try nextKey(&first) != nil {
                let key = currentKey()
                members[key] = try readValue()
            }
            return .object(members)
        case UInt8(ascii: "["):
            return .array(try readArray { try $0.readValue() })
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .bool(try readBool())
        case UInt8(ascii: "n"):
            guard readNull() else { throw syntaxError("a JSON value") }
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumberValue()
        default:
            throw syntaxError("a JSON value")
        }
    }

    /// Reads a number: an integer when it has no fraction or exponent and fits in 64 bits, else a `Double`.
    private mutating func readNumberValue() throws -> TDJSONValue {
        let start = position
        if let integer = try? readInteger() {
            // A sign right after the digits is a malformed number, which `readDouble()` reports.
            let next = byte(position)
            if next != UInt8(ascii: "+") && next != UInt8(ascii: "-") { return .int(integer) }
        }
        position = start
        return .double(try readDouble())
    }

    // MARK: Skipping

    /// Passes over a string, checking its escapes but not building it.
    private mutating func skipString() throws {
        guard byte(position) == UInt8(ascii: "\"") else {
            throw TDDecodingError.typeMismatch(offset: position, expected: "a string")
        }
        position += 1
        while position + 8 <= count {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            if Self.hasSpecialByte(word) { break }
            position += 8
        }
        while true {
            let b = byte(position)
            if b == UInt8(ascii: "\"") {
                position += 1
                return
            }
            if b < 0x20 {
                throw syntaxError(position >= count ? "'\"' before the end" : "no control character in a string")
            }
            if b == UInt8(ascii: "\\") {
                let e = byte(position + 1)
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    position += 2
                    _ = try readHex4()
                default:
                    throw TDDecodingError.syntax(offset: position + 1, expected: "a valid escape")
                }
                continue
            }
            position += 1
        }
    }

    /// Passes over any JSON value, checking its syntax: keys this API does not know, `@extra`,
    /// `@client_id`.
    @inline(never)
    mutating func skipValue() throws {
        skipWhitespace()
        switch byte(position) {
        case UInt8(ascii: "\""):
            let start = position
            do { try skipString() } catch { try skipRequestValue(from: start, original: error) }
        case UInt8(ascii: "{"):
            position += 1
            try enter()
            var first = true
            while try nextKey(&first) != nil {
                try skipValue()
            }
        case UInt8(ascii: "["):
            _ = try readArray { try $0.skipValue() }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            _ = try readBool()
        case UInt8(ascii: "n"):
            guard readNull() else { throw syntaxError("a JSON value") }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try readDouble()
        default:
            try skipRequestValue(from: position, original: syntaxError("a JSON value"))
        }
    }
}
