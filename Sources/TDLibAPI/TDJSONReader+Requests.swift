/// TDLib's own reading of the requests it receives, for ``TDMissingFields/useTDLibDefaults``.
///
/// TDLib reads a request leniently: an integer may come as a string of digits, a `Bool` as a number,
/// `null` stands for a field's default, `@type` may be a constructor number, and the `@type` of an
/// object whose place admits one constructor only is not looked at. Its messages for what it refuses
/// name the JSON type it got (`Expected Number, but receive Boolean`), never the field.
///
/// The strict reader reaches these functions only where it is about to throw (or, for the rare
/// inputs it accepts and TDLib refuses, on a branch of their own), and they check the policy first:
/// reading TDLib's output costs nothing more.
extension TDJSONReader {
    /// Whether the current task decodes requests as TDLib does.
    static var readsRequests: Bool {
        if case .useTDLibDefaults = TDMissingFields.current { return true }
        return false
    }

    /// TDLib's name of the JSON type of the value at the current position, or `nil` for no value.
    func jsonTypeName() -> String? {
        switch byte(position) {
        case UInt8(ascii: "\""): "String"
        case UInt8(ascii: "{"): "Object"
        case UInt8(ascii: "["): "Array"
        case UInt8(ascii: "t"): isLiteral("true") ? "Boolean" : nil
        case UInt8(ascii: "f"): isLiteral("false") ? "Boolean" : nil
        case UInt8(ascii: "n"): isLiteral("null") ? "Null" : nil
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"): "Number"
        default: nil
        }
    }

    private func isLiteral(_ literal: StaticString) -> Bool {
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        return text.indices.allSatisfy { byte(position + $0) == text[$0] }
    }

    private func refused(_ message: String) -> TDDecodingError {
        .request(message: message)
    }

    private func expected(_ what: String, original: any Error) -> any Error {
        guard let found = jsonTypeName() else { return original }
        return TDDecodingError.request(message: "Expected \(what), but receive \(found)")
    }

    // MARK: Tokens

    /// Reads a number as TDLib's JSON parser delimits it: the run of `-+.eE` and digits.
    private mutating func numberToken() -> [UInt8] {
        let start = position
        while true {
            let c = byte(position)
            guard
                (c &- UInt8(ascii: "0")) < 10 || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                    || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
            else { break }
            position += 1
        }
        return Array(UnsafeBufferPointer(start: base + start, count: position - start))
    }

    private var atNumber: Bool { jsonTypeName() == "Number" }

    /// Reads a string as TDLib does: an unknown escape stands for its character, control characters
    /// pass, and a `\u` surrogate pair combines without checking which half comes first.
    mutating func readRequestStringBytes(original: any Error) throws -> [UInt8] {
        guard byte(position) == UInt8(ascii: "\"") else { throw original }
        position += 1
        var out: [UInt8] = []
        while true {
            guard position < count else { throw original }
            let b = byte(position)
            position += 1
            if b == UInt8(ascii: "\"") { return out }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                continue
            }
            guard position < count else { throw original }
            let e = byte(position)
            position += 1
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard position + 4 <= count, let first = hex4(at: position) else { throw original }
                position += 4
                var scalar = first
                if first >= 0xD800, first < 0xE000, position + 6 <= count, byte(position) == UInt8(ascii: "\\"),
                    byte(position + 1) == UInt8(ascii: "u"), let second = hex4(at: position + 2),
                    second >= 0xD800, second < 0xE000
                {
                    scalar = ((first & 0x3FF) << 10 | (second & 0x3FF)) + 0x10000
                    position += 6
                }
                Self.appendUTF8Unchecked(scalar, to: &out)
            default: out.append(e)
            }
        }
    }

    private func hex4(at offset: Int) -> UInt32? {
        var value: UInt32 = 0
        for index in offset..<(offset + 4) {
            let c = byte(index)
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value * 16 + UInt32(digit)
        }
        return value
    }

    /// UTF-8 of any code point below 0x110000, surrogates included, as TDLib writes them.
    private static func appendUTF8Unchecked(_ scalar: UInt32, to out: inout [UInt8]) {
        if scalar < 0x80 {
            out.append(UInt8(scalar))
        } else if scalar < 0x800 {
            out += [UInt8(0xC0 | (scalar >> 6)), UInt8(0x80 | (scalar & 0x3F))]
        } else if scalar < 0x10000 {
            out += [UInt8(0xE0 | (scalar >> 12)), UInt8(0x80 | ((scalar >> 6) & 0x3F)), UInt8(0x80 | (scalar & 0x3F))]
        } else {
            out += [
                UInt8(0xF0 | (scalar >> 18)), UInt8(0x80 | ((scalar >> 12) & 0x3F)),
                UInt8(0x80 | ((scalar >> 6) & 0x3F)), UInt8(0x80 | (scalar & 0x3F)),
            ]
        }
    }

    // MARK: Scalars

    /// An integer field of a request, after the strict reading failed at `start` with `original`:
    /// `null` is 0; a number or a string must be an integer written exactly as TDLib would print
    /// it (no sign but `-`, no leading zero, no `-0`, no fraction or exponent, in range).
    @inline(never)
    mutating func readRequestInteger(bits: Int, from start: Int, original: any Error) throws -> Int64 {
        guard Self.readsRequests else { throw original }
        position = start
        let text: [UInt8]
        if byte(position) == UInt8(ascii: "\"") {
            text = try readRequestStringBytes(original: original)
        } else if atNumber {
            text = numberToken()
        } else if readNull() {
            return 0
        } else {
            throw expected(bits == 32 ? "Number" : "String or Number", original: original)
        }
        if let value = Self.canonicalInteger(text), bits == 64 || Int32(exactly: value) != nil {
            return value
        }
        throw Self.integerRefusal(text)
    }

    /// The integer that `text` writes exactly as TDLib prints it, or `nil`.
    static func canonicalInteger(_ text: [UInt8]) -> Int64? {
        guard let value = Int64(String(decoding: text, as: UTF8.self)) else { return nil }
        return String(value).utf8.elementsEqual(text) ? value : nil
    }

    static func integerRefusal(_ text: [UInt8]) -> TDDecodingError {
        let decoded = String(decoding: text, as: UTF8.self)
        guard decoded.utf8.elementsEqual(text) else { return .request(message: "Strings must be encoded in UTF-8") }
        return .request(message: "Can't parse as an integer string \"\(decoded)\"")
    }

    /// A `Bool` field of a request: `null` is `false`; an integer as TDLib reads one is `true`
    /// unless 0.
    @inline(never)
    mutating func readRequestBool(from start: Int, original: any Error) throws -> Bool {
        guard Self.readsRequests else { throw original }
        position = start
        if readNull() { return false }
        guard let found = jsonTypeName(), found != "Boolean" else { throw original }
        do {
            return try readRequestInteger(bits: 32, from: start, original: original) != 0
        } catch {
            throw refused("Expected Boolean, but receive \(found)")
        }
    }

    /// A `double` field of a request: `null` is 0; a number reads as a C++ stream reads it.
    @inline(never)
    mutating func readRequestDouble(from start: Int, original: any Error) throws -> Double {
        guard Self.readsRequests else { throw original }
        position = start
        if readNull() { return 0 }
        guard atNumber else { throw expected("Number", original: original) }
        return Self.streamDouble(numberToken())
    }

    /// What `std::istream >> double` reads from the start of `token`: the longest prefix in the
    /// grammar of a decimal floating-point number, 0 when that prefix is not a whole number
    /// (`1e`, `-`), and the largest finite magnitude when it is out of range.
    static func streamDouble(_ token: [UInt8]) -> Double {
        var end = 0
        func digits() { while end < token.count, (token[end] &- UInt8(ascii: "0")) < 10 { end += 1 } }
        func sign() {
            if end < token.count, token[end] == UInt8(ascii: "-") || token[end] == UInt8(ascii: "+") { end += 1 }
        }
        sign()
        digits()
        if end < token.count, token[end] == UInt8(ascii: ".") {
            end += 1
            digits()
        }
        if end < token.count, token[end] == UInt8(ascii: "e") || token[end] == UInt8(ascii: "E") {
            end += 1
            sign()
            digits()
        }
        guard let value = Double(String(decoding: token[..<end], as: UTF8.self)) else { return 0 }
        if value.isInfinite { return value < 0 ? -.greatestFiniteMagnitude : .greatestFiniteMagnitude }
        return value
    }

    /// A `string` field of a request: `null` is `""`; a string as TDLib decodes it.
    @inline(never)
    mutating func readRequestString(from start: Int, original: any Error) throws -> String {
        guard Self.readsRequests else { throw original }
        position = start
        if readNull() { return "" }
        guard byte(position) == UInt8(ascii: "\"") else { throw expected("String", original: original) }
        return String(decoding: try readRequestStringBytes(original: original), as: UTF8.self)
    }

    /// A `bytes` field of a request: `null` is empty; a string must be base64 as TDLib decodes it:
    /// the standard alphabet, padded, with no stray bits.
    @inline(never)
    mutating func readRequestBytes(from start: Int, original: any Error) throws -> [UInt8] {
        guard Self.readsRequests else { throw original }
        position = start
        if readNull() { return [] }
        guard byte(position) == UInt8(ascii: "\"") else { throw expected("String", original: original) }
        let text = try readRequestStringBytes(original: original)
        return try Base64.decodeAsTDLib(text).get()
    }

    // MARK: Containers

    /// Where a request has no array: `null` (read, and the caller returns `[]`), or TDLib's error.
    @inline(never)
    mutating func readRequestNullArray(original: any Error) throws {
        guard Self.readsRequests else { throw original }
        if readNull() { return }
        throw expected("Array", original: original)
    }

    /// Where a request has no object: TDLib's error for the value there.
    @inline(never)
    func requestObjectError(original: any Error) -> any Error {
        guard Self.readsRequests else { return original }
        return expected("Object", original: original)
    }

    // MARK: @type

    /// Whether the current object is the request itself rather than an object inside it.
    private var isTopLevel: Bool { depth == 1 }

    /// An `@type` that is not the expected name, in a request.
    ///
    /// Inside a request, TDLib does not read the `@type` of an object whose place admits one
    /// constructor only; for the request itself it reads the first `@type`, a function's name or
    /// its constructor number.
    @inline(never)
    mutating func checkRequestType(
        _ type: StaticString, _ constructor: Int32, from start: Int, original: any Error
    ) throws {
        guard Self.readsRequests else { throw original }
        position = start
        if !isTopLevel || hasEarlierTypeKey() {
            try skipValue()
            return
        }
        if atNumber {
            let number = Self.constructorNumber(numberToken())
            if number == constructor { return }
            if TDRegistry.functionType(constructor: number) == nil { throw Self.unknownConstructor(number) }
            throw original
        }
        if byte(position) == UInt8(ascii: "\"") { throw original }
        throw expected("String or Integer", original: original)
    }

    /// Whether the current object has an `@type` key before the one just read.
    private mutating func hasEarlierTypeKey() -> Bool {
        let (savedPosition, savedDepth) = (position, depth)
        defer { (position, depth) = (savedPosition, savedDepth) }
        position = 0
        skipWhitespace()
        guard byte(position) == UInt8(ascii: "{") else { return false }
        position += 1
        var first = true
        while let hash = try? nextKey(&first) {
            skipWhitespace()
            if position >= savedPosition { return false }
            if hash == Self.typeKeyHash, keyIs("@type") { return true }
            guard (try? skipValue()) != nil else { return false }
        }
        return false
    }

    /// TDLib's reading of a numeric `@type`: the digits at the start, wrapped to 32 bits.
    static func constructorNumber(_ token: [UInt8]) -> Int32 {
        var index = 0
        let negative = token.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var value: UInt32 = 0
        while index < token.count, (token[index] &- UInt8(ascii: "0")) < 10 {
            value = value &* 10 &+ UInt32(token[index] &- UInt8(ascii: "0"))
            index += 1
        }
        return Int32(bitPattern: negative ? 0 &- value : value)
    }

    static func unknownConstructor(_ number: Int32) -> TDDecodingError {
        let hex = String(UInt32(bitPattern: number), radix: 16)
        return .request(message: "Unknown constructor 0x" + String(repeating: "0", count: 8 - hex.count) + hex)
    }

    /// The `@type` of an object of an abstract class that is not a string, in a request: a
    /// constructor number stands for its name. Returns the name, or throws TDLib's error.
    @inline(never)
    mutating func readRequestTypeNumber(original: any Error) throws -> StaticString {
        guard Self.readsRequests else { throw original }
        guard atNumber else { throw expected("String or Integer", original: original) }
        let number = Self.constructorNumber(numberToken())
        // The request itself is a function; an object inside it, an object.
        let name =
            depth == 1
            ? TDRegistry.functionType(constructor: number) ?? TDRegistry.objectType(constructor: number)
            : TDRegistry.objectType(constructor: number)
        guard let name else { throw Self.unknownConstructor(number) }
        return name
    }

    /// TDLib's error for an object of an abstract class whose `@type` names no constructor of the
    /// class, when reading a request; `nil` otherwise.
    @inline(never)
    mutating func unknownTypeInRequest(objectStart: Int, name: String) -> TDDecodingError? {
        guard Self.readsRequests else { return nil }
        let (savedPosition, savedDepth) = (position, depth)
        defer { (position, depth) = (savedPosition, savedDepth) }
        position = objectStart
        skipWhitespace()
        position += 1
        var first = true
        while let hash = try? nextKey(&first) {
            if hash == Self.typeKeyHash, keyIs("@type") {
                skipWhitespace()
                guard atNumber else { break }
                return Self.unknownConstructor(Self.constructorNumber(numberToken()))
            }
            guard (try? skipValue()) != nil else { break }
        }
        return refused("Unknown class \"\(name)\"")
    }

    /// TDLib's error for an object of an abstract class without `@type`, in a request.
    static func missingTypeInRequest(original: any Error) -> any Error {
        readsRequests ? TDDecodingError.request(message: "Can't find field \"@type\"") : original
    }

    /// Passes over a value in TDLib's JSON that the strict reader refused at `start`.
    @inline(never)
    mutating func skipRequestValue(from start: Int, original: any Error) throws {
        guard Self.readsRequests else { throw original }
        position = start
        if atNumber {
            _ = numberToken()
        } else if byte(position) == UInt8(ascii: "\"") {
            _ = try readRequestStringBytes(original: original)
        } else {
            throw original
        }
    }
}
