/// Any JSON value, read by the same reader as the generated types: for looking into unknown
/// objects, and for checking the reader against other JSON parsers.
public enum TDJSONValue: Hashable, Sendable, TDDecodable, TDEncodable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([TDJSONValue])
    /// An object; of repeated keys, the last one counts.
    case object([String: TDJSONValue])

    /// Reads any JSON value.
    public init(from reader: inout TDJSONReader) throws {
        self = try reader.readValue()
    }

    /// Writes the value; object keys in sorted order.
    public func encode(to writer: inout TDJSONWriter) {
        switch self {
        case .null: writer.writeNull()
        case .bool(let value): writer.writeBool(value)
        case .number(let value): writer.writeDouble(value)
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
