import Foundation

/// One fuzzing step for the receive loop's routing, over arbitrary bytes.
///
/// The loop routes every object from TDLib by what ``JSONScanner`` reads, without parsing it. This
/// step holds that reading against Foundation's full JSON parse of the same bytes, so a libFuzzer
/// target (the `TDLibFuzz` executable) can search for bytes where the two disagree.
package enum TDRoutingFuzzing {
    /// Whether the scanner agrees with a full parse of `bytes`: on validity, on "one JSON object",
    /// and on the `@type`, `@extra` and `@client_id` it reads. Also checks that a request the client
    /// manager tags with its own `@extra` still scans to the same object. Returns `false` on any
    /// disagreement that is not one of the documented differences below.
    ///
    /// Differences that are by design, because TDLib never sends such bytes and routing must stay
    /// cheap: the scanner checks syntax only (not UTF-8, lone surrogates, number range), nests up to
    /// 1000 levels where Foundation stops at 512, reads keys byte for byte (a key spelled with a
    /// `\u` escape is another key), and takes UTF-8 only, without the trailing commas and byte
    /// order mark that Foundation lets through.
    package static func check(_ bytes: [UInt8]) -> Bool {
        let (valid, envelope) = bytes.withUnsafeBufferPointer {
            (JSONScanner.isValid($0), JSONScanner.envelope(of: $0))
        }
        if envelope != nil && !valid { return false }
        let parsed = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        guard valid else { return parsed == nil || foundationIsLenient(bytes) }
        guard let parsed else { return scannerIsLenient(bytes) }
        guard let dictionary = parsed as? [String: Any] else { return envelope == nil }
        guard let envelope else { return false }
        if !hasEscapes(bytes) {
            guard agrees(envelope, with: dictionary, in: bytes) else { return false }
        }
        return envelope.hasExtra || keepsEnvelope(envelope, whenTagging: bytes)
    }

    private static func agrees(_ envelope: JSONScanner.Envelope, with dictionary: [String: Any], in bytes: [UInt8])
        -> Bool
    {
        // The scanner keeps a type's escapes as they are; TDLib's type names have none.
        if let range = envelope.type, bytes[range].contains(UInt8(ascii: "\\")) {
            guard dictionary["@type"] is String else { return false }
        } else {
            let type = envelope.type.map { String(decoding: bytes[$0], as: UTF8.self) }
            guard type == dictionary["@type"] as? String else { return false }
        }
        guard envelope.hasExtra == (dictionary["@extra"] != nil) else { return false }
        let extra = dictionary["@extra"].flatMap(integer).flatMap { UInt64(exactly: $0) }
        // `-0` is an integer to Foundation; the scanner routes only the digits it sends itself.
        if envelope.extra != extra && !(envelope.extra == nil && extra == 0) { return false }
        let clientID = dictionary["@client_id"].flatMap(integer).flatMap { Int32(exactly: $0) }
        return envelope.clientID == clientID
    }

    /// The manager adds `@extra` in front of a request's keys; the result must be one object again,
    /// with that `@extra` and everything else read as before.
    private static func keepsEnvelope(_ envelope: JSONScanner.Envelope, whenTagging bytes: [UInt8]) -> Bool {
        let extra: UInt64 = 18_446_744_073_709_551_615
        let request = Array(TDClientManager.request(bytes, extra: extra).dropLast())
        guard let tagged = request.withUnsafeBufferPointer(JSONScanner.envelope(of:)) else { return false }
        let type = { (range: Range<Int>?, source: [UInt8]) in range.map { Array(source[$0]) } }
        return tagged.extra == extra && tagged.clientID == envelope.clientID
            && type(tagged.type, request) == type(envelope.type, bytes)
    }

    /// A JSON integer as Foundation returns it: an integral `NSNumber` that is not a Boolean.
    private static func integer(_ value: Any) -> Int128? {
        guard let number = value as? NSNumber, !(number is NSDecimalNumber) else { return nil }
        switch String(cString: number.objCType) {
        case "Q", "L", "I", "S": return Int128(number.uint64Value)
        case "q", "l", "i", "s": return Int128(number.int64Value)
        default: return nil
        }
    }

    private static func hasEscapes(_ bytes: [UInt8]) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: "\\") && $1 == UInt8(ascii: "u") }
    }

    /// Foundation accepts a trailing comma and a leading byte order mark, and reads bytes with NULs
    /// as UTF-16 or UTF-32; RFC 8259 and the scanner take UTF-8 only, without those.
    private static func foundationIsLenient(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.contains(0) { return true }
        let significant = bytes.filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        return zip(significant, significant.dropFirst()).contains {
            $0 == UInt8(ascii: ",") && ($1 == UInt8(ascii: "]") || $1 == UInt8(ascii: "}"))
        }
    }

    /// What only Foundation refuses: text that is not UTF-8, `\u` escapes (which may be lone
    /// surrogates), deep nesting, and numbers too large for a `Double` or a `Decimal`.
    private static func scannerIsLenient(_ bytes: [UInt8]) -> Bool {
        if String(validating: bytes, as: UTF8.self) == nil || hasEscapes(bytes) { return true }
        if bytes.count(where: { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "{") }) >= 512 { return true }
        var digits = 0
        for byte in bytes {
            if byte &- UInt8(ascii: "0") < 10 {
                digits += 1
                if digits > 30 { return true }
            } else {
                if byte | 0x20 == UInt8(ascii: "e"), digits > 0 { return true }
                digits = 0
            }
        }
        return false
    }
}
