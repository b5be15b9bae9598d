/// A JSON writer that appends UTF-8 bytes, the encoder behind every generated type.
///
/// Generated `encode(to:)` methods write `@type` first and each field in schema order; `int64`
/// values are written as strings of digits and `bytes` as base64, as TDLib expects.
public struct TDJSONWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends bytes that are already JSON.
    @inline(__always)
    public mutating func writeRaw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends bytes that are already JSON.
    public mutating func writeRaw(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    /// Writes `{"@type":"type"`.
    public mutating func writeObjectStart(_ type: StaticString) {
        writeRaw("{\"@type\":\"")
        writeRaw(type)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes `}`.
    public mutating func writeObjectEnd() {
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes `null`.
    public mutating func writeNull() {
        writeRaw("null")
    }

    /// Writes `true` or `false`.
    public mutating func writeBool(_ value: Bool) {
        if value { writeRaw("true") } else { writeRaw("false") }
    }

    /// Writes a TDLib `int32` as a number.
    public mutating func writeInt32(_ value: Int32) {
        writeDigits(Int64(value))
    }

    /// Writes a TDLib `int53` as a number.
    public mutating func writeInt53(_ value: Int64) {
        writeDigits(value)
    }

    /// Writes a TDLib `int64` as a string of digits, so that no JSON reader rounds it.
    public mutating func writeInt64(_ value: Int64) {
        bytes.append(UInt8(ascii: "\""))
        writeDigits(value)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeDigits(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        var digitCount = 0
        var rest = magnitude
        while rest > 0 {
            digitCount += 1
            rest /= 10
        }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digitCount))
        var index = start + digitCount - 1
        while magnitude > 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        }
    }

    /// Writes a number in Swift's shortest form that reads back as the same `Double`;
    /// a NaN or infinity, which JSON cannot carry, is written as `null`.
    public mutating func writeDouble(_ value: Double) {
        guard value.isFinite else {
            writeNull()
            return
        }
        if value.magnitude < 1e15, Double(Int64(value)) == value, !(value == 0 && value.sign == .minus) {
            writeDigits(Int64(value))
            return
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Writes a string, escaping `"`, `\` and control characters.
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            var runStart = 0
            for index in 0..<utf8.count {
                let b = utf8[index]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if index > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                runStart = index + 1
                switch b {
                case UInt8(ascii: "\""): writeRaw("\\\"")
                case UInt8(ascii: "\\"): writeRaw("\\\\")
                case 0x0A: writeRaw("\\n")
                case 0x0D: writeRaw("\\r")
                case 0x09: writeRaw("\\t")
                case 0x08: writeRaw("\\b")
                case 0x0C: writeRaw("\\f")
                default:
                    writeRaw("\\u00")
                    let hex: StaticString = "0123456789abcdef"
                    bytes.append(hex.utf8Start[Int(b >> 4)])
                    bytes.append(hex.utf8Start[Int(b & 0xF)])
                }
            }
            if utf8.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Writes TDLib `bytes` as a base64 string.
    public mutating func writeBytes(_ value: [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        Base64.encode(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes an array, each element with `element`.
    public mutating func writeArray<T>(_ values: [T], _ element: (inout TDJSONWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes an object, or `null` for `nil`.
    public mutating func writeObject<T: TDEncodable>(_ value: T?) {
        if let value { value.encode(to: &self) } else { writeNull() }
    }
}
