/// Standard base64 (RFC 4648, with padding), as TDLib uses for `bytes`.
enum Base64 {
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    static func encode(_ data: [UInt8], into out: inout [UInt8]) {
        let table = alphabet.utf8Start
        var index = 0
        while index + 3 <= data.count {
            let value = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2])
            out.append(table[Int(value >> 18)])
            out.append(table[Int((value >> 12) & 63)])
            out.append(table[Int((value >> 6) & 63)])
            out.append(table[Int(value & 63)])
            index += 3
        }
        let rest = data.count - index
        if rest == 1 {
            let value = UInt32(data[index]) << 16
            out.append(table[Int(value >> 18)])
            out.append(table[Int((value >> 12) & 63)])
            out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")])
        } else if rest == 2 {
            let value = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8
            out.append(table[Int(value >> 18)])
            out.append(table[Int((value >> 12) & 63)])
            out.append(table[Int((value >> 6) & 63)])
            out.append(UInt8(ascii: "="))
        }
    }

    private static func value(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(c - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// Decodes base64 with or without padding; `nil` for anything else.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var end = text.count
        if end > 0 && text[end - 1] == UInt8(ascii: "=") { end -= 1 }
        if end > 0 && text[end - 1] == UInt8(ascii: "=") { end -= 1 }
        if text.count % 4 != 0 && end != text.count { return nil }
        if end % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(end / 4 * 3 + 2)
        var accumulator: UInt32 = 0
        var bits = 0
        for index in 0..<end {
            guard let value = value(text[index]) else { return nil }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return out
    }

    /// Decodes base64 exactly as TDLib decodes `bytes` in a request: the standard alphabet, padded
    /// to a multiple of four, with zero bits after the last byte; else TDLib's error.
    static func decodeAsTDLib(_ text: [UInt8]) -> Result<[UInt8], TDDecodingError> {
        var end = text.count
        while end > 0 && text[end - 1] == UInt8(ascii: "=") { end -= 1 }
        let padding = text.count - end
        if padding >= 3 { return .failure(.request(message: "Wrong string padding")) }
        if text.count & 3 != 0 { return .failure(.request(message: "Wrong padding length")) }
        var out: [UInt8] = []
        out.reserveCapacity(end / 4 * 3 + 2)
        var index = 0
        while index < end {
            let group = min(end - index, 4)
            var value: UInt32 = 0
            for offset in 0..<group {
                let c = text[index + offset]
                guard c != UInt8(ascii: "-"), c != UInt8(ascii: "_"), let digit = Self.value(c) else {
                    return .failure(.request(message: "Wrong character in the string"))
                }
                value |= digit << UInt32((3 - offset) * 6)
            }
            index += group
            out.append(UInt8(truncatingIfNeeded: value >> 16))
            if group == 2 {
                if value & 0xFFFF != 0 { return .failure(.request(message: "Wrong padding in the string")) }
                continue
            }
            out.append(UInt8(truncatingIfNeeded: value >> 8))
            if group == 3 {
                if value & 0xFF != 0 { return .failure(.request(message: "Wrong padding in the string")) }
                continue
            }
            out.append(UInt8(truncatingIfNeeded: value))
        }
        return .success(out)
    }
}
