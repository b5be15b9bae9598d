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
    /// Use TDLib's own default for scalars, strings and arrays, as TDLib does with the requests it
    /// receives; a missing object still throws. For code that plays TDLib's part, like a simulator.
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
