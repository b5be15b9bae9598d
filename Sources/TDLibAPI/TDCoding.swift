/// A value that can be read from TDLib's JSON.
public protocol TDDecodable: Sendable {
    /// Reads the value at the reader's position.
    init(from reader: inout TDJSONReader) throws
}

/// A value that can be written as TDLib's JSON.
public protocol TDEncodable: Sendable {
    /// Appends the value's JSON to the writer.
    func encode(to writer: inout TDJSONWriter)
}

/// A value that can be read from and written as TDLib's JSON.
public typealias TDCodable = TDDecodable & TDEncodable

/// A TDLib constructor or function: a JSON object with a fixed `@type`.
public protocol TDTyped: TDCodable, Hashable {
    /// The object's `@type` in TDLib's JSON.
    static var tdType: StaticString { get }
    /// The object's TL constructor number, which TDLib also takes as its `@type` in a request.
    static var tdConstructor: Int32 { get }
    /// Reads the object's fields, the reader being just after its `{` (and its `@type`, when
    /// `isFirst` is `false`).
    init(tdFields reader: inout TDJSONReader, isFirst: Bool) throws
}

/// A TDLib object: one constructor of td_api.tl.
public protocol TDObject: TDTyped {}

/// A TDLib function: a request whose answer is a `Result`.
public protocol TDFunction: TDTyped {
    /// The type of TDLib's answer to this request.
    associatedtype Result: TDDecodable
}

extension TDTyped {
    /// Reads the object at the reader's position, checking its `@type` when it has one.
    public init(from reader: inout TDJSONReader) throws {
        let isFirst = try reader.readObjectStart(expecting: Self.tdType, constructor: Self.tdConstructor)
        try self.init(tdFields: &reader, isFirst: isFirst)
    }
}

extension TDDecodable {
    /// Decodes one JSON value, such as an object TDLib sent, ignoring `@extra` and `@client_id`.
    ///
    /// - Throws: ``TDDecodingError`` naming what is wrong and where.
    public init(json: [UInt8]) throws {
        self = try TDJSONReader.withReader(json) { try Self(from: &$0) }
    }

    /// Decodes one JSON value given as a string.
    public init(json: String) throws {
        try self.init(json: Array(json.utf8))
    }
}

extension TDEncodable {
    /// The value as TDLib's JSON: UTF-8 bytes.
    public func jsonBytes() -> [UInt8] {
        var writer = TDJSONWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// The value as TDLib's JSON: a string.
    public func jsonString() -> String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }
}

/// An object whose `@type` this version of the API does not know, kept exactly as it came.
public struct TDUnknownObject: TDEncodable, Hashable, Sendable {
    /// The object's `@type`.
    public var type: String
    /// The object's JSON, as received.
    public var json: [UInt8]

    /// Creates an unknown object from its `@type` and JSON.
    public init(type: String, json: [UInt8]) {
        self.type = type
        self.json = json
    }

    /// Writes the JSON as received.
    public func encode(to writer: inout TDJSONWriter) {
        writer.writeRaw(json)
    }
}

/// Why JSON could not be decoded into a TDLib type.
public enum TDDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input is not valid JSON at `offset`.
    case syntax(offset: Int, expected: String)
    /// A value at `offset` has the wrong JSON type or range.
    case typeMismatch(offset: Int, expected: String)
    /// A required field is missing or `null`.
    case missingField(field: String, type: String)
    /// An object's `@type` is not the one its place requires.
    case wrongType(expected: String, found: String)
    /// Objects and arrays nest deeper than ``TDJSONReader/maximumDepth``.
    case tooDeep(offset: Int)
    /// A request that TDLib itself refuses, with TDLib's message: only when decoding under
    /// ``TDMissingFields/useTDLibDefaults``.
    case request(message: String)

    /// What is wrong, and where.
    public var description: String {
        switch self {
        case .syntax(let offset, let expected): "invalid JSON at byte \(offset): expected \(expected)"
        case .typeMismatch(let offset, let expected): "unexpected value at byte \(offset): expected \(expected)"
        case .missingField(let field, let type): "missing required field \"\(field)\" of \(type)"
        case .wrongType(let expected, let found): "expected an object of @type \(expected), found \(found)"
        case .tooDeep(let offset): "JSON nested too deeply at byte \(offset)"
        case .request(let message): message
        }
    }
}
