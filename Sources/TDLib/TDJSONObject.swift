import Foundation

/// One JSON object exactly as TDLib sent it: an answer, an update, or the result of `td_execute`.
///
/// The bytes are kept as they came (with any `@extra` and `@client_id` keys), so decoding happens
/// where and when the receiver wants, off the receive thread.
public struct TDJSONObject: Sendable, CustomStringConvertible {
    /// The UTF-8 bytes of the object.
    public let bytes: [UInt8]
    private let typeRange: Range<Int>?

    init(bytes: [UInt8], typeRange: Range<Int>?) {
        self.bytes = bytes
        self.typeRange = typeRange
    }

    /// Checks that `bytes` hold one JSON object and keeps them.
    /// - Throws: ``TDClientError`` with code `undecodable` when they do not.
    public init(bytes: [UInt8]) throws(TDClientError) {
        guard let envelope = bytes.withUnsafeBufferPointer(JSONScanner.envelope(of:)) else {
            throw TDClientError(.undecodable, "not a JSON object (\(bytes.count) bytes)")
        }
        self.init(bytes: bytes, typeRange: envelope.type)
    }

    /// The object's `@type`, or an empty string when it has none.
    public var type: String {
        guard let typeRange else { return "" }
        return String(decoding: bytes[typeRange], as: UTF8.self)
    }

    /// Whether the object's `@type` is exactly `name`, compared without building a string.
    public func hasType(_ name: String) -> Bool {
        guard let typeRange else { return name.isEmpty }
        var name = name
        return name.withUTF8 { $0.elementsEqual(bytes[typeRange]) }
    }

    /// The object as a UTF-8 string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { string }

    /// The object parsed by Foundation into dictionaries and arrays, for quick inspection.
    public func jsonObject() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw TDClientError(.undecodable, "not a JSON object")
        }
        return object
    }

    /// The TDLib error this object carries, when its `@type` is `error`.
    var tdlibError: TDLibError? {
        guard hasType("error") else { return nil }
        let object = try? jsonObject()
        return TDLibError(
            code: (object?["code"] as? NSNumber)?.intValue ?? 0,
            message: object?["message"] as? String ?? "")
    }
}
