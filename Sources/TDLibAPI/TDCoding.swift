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
///
/// Compare ``code`` to the static members of ``TDDecodingError/Code``; new codes may be added. The other
/// properties say where and what, as far as the code has them.
public struct TDDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of decoding failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The input is not valid JSON at ``TDDecodingError/offset``.
        public static let syntax = Code("syntax")
        /// A value at ``TDDecodingError/offset`` has the wrong JSON type or range.
        public static let typeMismatch = Code("typeMismatch")
        /// A required field (``TDDecodingError/field`` of ``TDDecodingError/type``) is missing or `null`.
        public static let missingField = Code("missingField")
        /// An object's `@type` (``TDDecodingError/found``) is not the one its place requires.
        public static let wrongType = Code("wrongType")
        /// Objects and arrays nest deeper than ``TDJSONReader/maximumDepth``.
        public static let tooDeep = Code("tooDeep")
        /// A request that TDLib itself refuses, with TDLib's message: only when decoding under
        /// ``TDMissingFields/useTDLibDefaults``.
        public static let request = Code("request")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The byte of the input where the problem is, when the code has a place.
    public var offset: Int?
    /// What was expected there: a kind of JSON value, or the `@type` a place requires.
    public var expected: String?
    /// The `@type` found instead of ``expected`` (``Code/wrongType``).
    public var found: String?
    /// The missing field (``Code/missingField``).
    public var field: String?
    /// The type whose field is missing (``Code/missingField``).
    public var type: String?
    /// TDLib's own message for a refused request (``Code/request``).
    public var tdlibMessage: String?

    /// Creates an error; the static functions below make each code with the properties it has.
    public init(
        _ code: Code, offset: Int? = nil, expected: String? = nil, found: String? = nil, field: String? = nil,
        type: String? = nil, tdlibMessage: String? = nil
    ) {
        self.code = code
        self.offset = offset
        self.expected = expected
        self.found = found
        self.field = field
        self.type = type
        self.tdlibMessage = tdlibMessage
    }

    /// The input is not valid JSON at `offset`.
    public static func syntax(offset: Int, expected: String) -> Self {
        Self(.syntax, offset: offset, expected: expected)
    }

    /// A value at `offset` has the wrong JSON type or range.
    public static func typeMismatch(offset: Int, expected: String) -> Self {
        Self(.typeMismatch, offset: offset, expected: expected)
    }

    /// A required field is missing or `null`.
    public static func missingField(field: String, type: String) -> Self {
        Self(.missingField, field: field, type: type)
    }

    /// An object's `@type` is not the one its place requires.
    public static func wrongType(expected: String, found: String) -> Self {
        Self(.wrongType, expected: expected, found: found)
    }

    /// Objects and arrays nest deeper than ``TDJSONReader/maximumDepth``.
    public static func tooDeep(offset: Int) -> Self {
        Self(.tooDeep, offset: offset)
    }

    /// A request that TDLib itself refuses, with TDLib's message.
    public static func request(message: String) -> Self {
        Self(.request, tdlibMessage: message)
    }

    /// What is wrong, and where.
    public var description: String {
        let offset = self.offset.map(String.init) ?? "?"
        let expected = self.expected ?? "?"
        switch code {
        case .syntax: return "invalid JSON at byte \(offset): expected \(expected)"
        case .typeMismatch: return "unexpected value at byte \(offset): expected \(expected)"
        case .missingField: return "missing required field \"\(field ?? "?")\" of \(type ?? "?")"
        case .wrongType: return "expected an object of @type \(expected), found \(found ?? "?")"
        case .tooDeep: return "JSON nested too deeply at byte \(offset)"
        case .request: return tdlibMessage ?? "TDLib refuses the request"
        default: return "\(code) at byte \(offset)"
        }
    }
}
