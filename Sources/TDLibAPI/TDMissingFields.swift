/// A type with the value TDLib gives a field that a request leaves out: `false`, `0`, `""`, `[]`.
public protocol TDDefaultValue {
    /// TDLib's value for the missing field.
    static var tdDefault: Self { get }
}

extension Bool: TDDefaultValue { public static var tdDefault: Bool { false } }
extension Int32: TDDefaultValue { public static var tdDefault: Int32 { 0 } }
extension Int64: TDDefaultValue { public static var tdDefault: Int64 { 0 } }
extension Double: TDDefaultValue { public static var tdDefault: Double { 0 } }
extension String: TDDefaultValue { public static var tdDefault: String { "" } }
extension Array: TDDefaultValue { public static var tdDefault: [Element] { [] } }

/// How decoding treats a required field that is missing.
public enum TDMissingFields: Sendable {
    /// Throw ``TDDecodingError/missingField(field:type:)``: the default, for everything TDLib sends.
    case reject
    /// Read JSON as TDLib reads the requests it receives; for code that plays TDLib's part, like a
    /// simulator.
    ///
    /// A missing or `null` scalar, string or array takes TDLib's default (`0`, `false`, `""`,
    /// `[]`), while a missing required object still throws. An integer may also come as a string of
    /// digits, a `Bool` as an integer (`true` unless 0), a `double` as any number TDLib's parser
    /// takes (`+5`, `1e400` as the largest `Double`); `@type` may be a constructor number; the
    /// `@type` of an object whose place admits one constructor only is not read, and of duplicate
    /// `@type` keys of a request only the first counts. What TDLib refuses throws
    /// ``TDDecodingError/request(message:)`` with TDLib's own message.
    case useTDLibDefaults

    /// The policy in force for decoding on the current task.
    @TaskLocal public static var current = TDMissingFields.reject
}

/// The value of a missing required field: TDLib's default where the policy allows, else the error.
@inline(never)
func tdMissing<T>(_ field: StaticString, _ type: StaticString) throws -> T {
    if case .useTDLibDefaults = TDMissingFields.current,
        let fallback = (T.self as? any TDDefaultValue.Type)?.tdDefault as? T
    {
        return fallback
    }
    throw TDDecodingError.missingField(field: field.description, type: type.description)
}
