// What the generated decoders call. Each is a plain, non-generic function, so that the thousands of
// generated initializers hold calls only: the optimizer has nothing there to specialize or inline, which
// keeps a release build of the module short (see `make bench-build`), while the work itself runs here,
// optimized.

extension TDJSONReader {
    /// Reads an array of `int32`.
    @inline(never)
    mutating func readInt32Array() throws -> [Int32] { try readArray { try $0.readInt32() } }

    /// Reads an array of `int53`.
    @inline(never)
    mutating func readInt53Array() throws -> [Int64] { try readArray { try $0.readInt53() } }

    /// Reads an array of `int64`, which TDLib writes as strings.
    @inline(never)
    mutating func readInt64Array() throws -> [Int64] { try readArray { try $0.readInt64() } }

    /// Reads an array of `double`.
    @inline(never)
    mutating func readDoubleArray() throws -> [Double] { try readArray { try $0.readDouble() } }

    /// Reads an array of `string`.
    @inline(never)
    mutating func readStringArray() throws -> [String] { try readArray { try $0.readString() } }

    /// Reads an array of `Bool`.
    @inline(never)
    mutating func readBoolArray() throws -> [Bool] { try readArray { try $0.readBool() } }

    /// Reads an array of `bytes`.
    @inline(never)
    mutating func readBytesArray() throws -> [[UInt8]] { try readArray { try $0.readBytes() } }
}

/// The value of a required `int32` field, or TDLib's default or the error naming the missing field.
@inline(never)
func tdRequired(_ value: Int32?, _ field: StaticString, _ type: StaticString) throws -> Int32 {
    if let value { return value }
    return try tdMissing(field, type)
}

/// The value of a required `int53` or `int64` field, or TDLib's default or the error.
@inline(never)
func tdRequired(_ value: Int64?, _ field: StaticString, _ type: StaticString) throws -> Int64 {
    if let value { return value }
    return try tdMissing(field, type)
}

/// The value of a required `double` field, or TDLib's default or the error.
@inline(never)
func tdRequired(_ value: Double?, _ field: StaticString, _ type: StaticString) throws -> Double {
    if let value { return value }
    return try tdMissing(field, type)
}

/// The value of a required `Bool` field, or TDLib's default or the error.
@inline(never)
func tdRequired(_ value: Bool?, _ field: StaticString, _ type: StaticString) throws -> Bool {
    if let value { return value }
    return try tdMissing(field, type)
}

/// The value of a required `string` field, or TDLib's default or the error.
@inline(never)
func tdRequired(_ value: String?, _ field: StaticString, _ type: StaticString) throws -> String {
    if let value { return value }
    return try tdMissing(field, type)
}

/// The value of a required `bytes` field, or TDLib's default or the error.
@inline(never)
func tdRequired(_ value: [UInt8]?, _ field: StaticString, _ type: StaticString) throws -> [UInt8] {
    if let value { return value }
    return try tdMissing(field, type)
}

/// A required array is missing: returns when the policy gives TDLib's default (an empty array), else
/// throws the error naming the field.
@inline(never)
func tdMissingArray(_ field: StaticString, _ type: StaticString) throws {
    let _: [Bool] = try tdMissing(field, type)
}

/// A required object is missing or `null`, which no policy allows.
@inline(never)
func tdMissingObject(_ field: StaticString, _ type: StaticString) -> TDDecodingError {
    TDDecodingError.missingField(field: field.description, type: type.description)
}
