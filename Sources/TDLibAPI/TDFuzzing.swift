/// One fuzzing step over arbitrary bytes, ready for a libFuzzer target:
///
/// ```swift
/// @_cdecl("LLVMFuzzerTestOneInput")
/// func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
///     precondition(TDFuzzing.check(Array(UnsafeBufferPointer(start: data, count: size))))
///     return 0
/// }
/// ```
package enum TDFuzzing {
    /// Decodes `bytes` as any JSON value, as any TDLib object and as an ``Update``. Each decoder may
    /// only decode or throw; whatever decodes must encode and decode again to an equal value.
    /// Returns `false` when that does not hold.
    package static func check(_ bytes: [UInt8]) -> Bool {
        if let value = try? TDJSONValue(json: bytes) {
            guard (try? TDJSONValue(json: value.jsonBytes())) == value else { return false }
        }
        if let object = try? TDRegistry.object(json: bytes) {
            guard reencodes(object) else { return false }
        }
        if let function = try? TDRegistry.function(json: bytes) {
            guard reencodes(function) else { return false }
        }
        if let update = try? Update(json: bytes) {
            guard (try? Update(json: update.jsonBytes())) == update else { return false }
        }
        return true
    }

    private static func reencodes<T: TDTyped>(_ value: T) -> Bool {
        (try? T(json: value.jsonBytes())) == value
    }
}
