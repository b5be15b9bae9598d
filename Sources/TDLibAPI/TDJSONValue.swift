/// Any JSON value, read by the same reader as the generated types: for raw requests written with Swift
/// literals (`["chat_id": 42, "limit": 10]`), for looking into unknown objects, and for checking the reader
/// against other JSON parsers.
public enum TDJSONValue: Hashable, Sendable, TDDecodable, TDEncodable, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits; kept and written exactly.
    case int(Int64)
    /// Any other number; written so that it reads back as a `double` (`42.0`, not `42`).
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([TDJSONValue])
    /// An object; of repeated keys, the last one counts.
    case object([String: TDJSONValue])

    /// A string value: `"version"`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer value: `42`.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A number with a fraction or an exponent: `4.5`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array: `[1, 2, 3]`.
    public init(arrayLiteral elements: TDJSONValue...) { self = .array(elements) }
    /// `nil`, written as `null`.
    public init(nilLiteral: ()) { self = .null }
    /// An object: `["name": "version"]`; of repeated keys, the last one counts.
    public init(dictionaryLiteral elements: (String, TDJSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// Reads any JSON value.
    public init(from reader: inout TDJSONReader) throws {
        self = try reader.readValue()
    }

    /// Writes the value; object keys in sorted order, so equal values give equal JSON. A NaN or an infinity,
    /// which JSON cannot carry, is written as `null`.
    public func encode(to writer: inout TDJSONWriter) {
        switch self {
        case .null: writer.writeNull()
        case .bool(let value): writer.writeBool(value)
        case .int(let value): writer.writeInt53(value)
        case .double(let value):
            // Swift's shortest form always has a '.' or an exponent, so the number reads back as a double.
            if value.isFinite { writer.writeRaw(Array(value.description.utf8)) } else { writer.writeNull() }
        case .string(let value): writer.writeString(value)
        case .array(let values): writer.writeArray(values) { $1.encode(to: &$0) }
        case .object(let members):
            writer.writeRaw("{")
            var first = true
            for key in members.keys.sorted() {
                if !first { writer.writeRaw(",") }
                first = false
                writer.writeString(key)
                writer.writeRaw(":")
                members[key]?.encode(to: &writer)
            }
            writer.writeRaw("}")
        }
    }
}

extension TDUnknownObject {
    /// The object's JSON as a value, to look into.
    public var value: TDJSONValue? {
        try? TDJSONValue(json: json)
    }
}
