/// A type as written in td_api.tl.
indirect enum TLType: Hashable, Sendable {
    case int32
    case int53
    case int64
    case double
    case string
    case bool
    case bytes
    case vector(TLType)
    /// A constructor (`message`) or a class (`MessageContent`) name.
    case named(String)

    /// Parses `int32`, `vector<vector<string>>`, `MessageContent` and the like.
    init(parsing text: Substring) throws(SchemaError) {
        switch text {
        case "int32": self = .int32
        case "int53": self = .int53
        case "int64": self = .int64
        case "double": self = .double
        case "string": self = .string
        case "Bool": self = .bool
        case "bytes": self = .bytes
        default:
            if text.hasPrefix("vector<") && text.hasSuffix(">") {
                self = .vector(try TLType(parsing: text.dropFirst("vector<".count).dropLast()))
            } else if let first = text.first, first.isLetter, text.allSatisfy({ $0.isLetter || $0.isNumber }) {
                self = .named(String(text))
            } else {
                throw SchemaError("unknown type \(text)")
            }
        }
    }

    /// Whether the type is an object (a constructor or a class), the only kind that can be null.
    var isObject: Bool {
        if case .named = self { return true }
        return false
    }
}

/// One field of a constructor or function.
struct TLField {
    /// The snake_case name in the schema.
    var name: String
    var type: TLType
    /// The field's description in the schema: read only to find out whether it may be null.
    var documentation: String
}

/// A constructor (`user id:int53 ... = User;`) or a function (`getMe = User;`).
struct TLCombinator {
    var name: String
    var fields: [TLField]
    /// The class (for a constructor) or the result type (for a function).
    var result: String
    var isFunction: Bool
    /// The TL constructor number: the CRC-32 of the declaration in TL's normal form, as TDLib's
    /// `ID` constants and its JSON interface's numeric `@type`.
    var constructorID: Int32
}

/// The parsed td_api.tl.
struct TLSchema {
    var constructors: [TLCombinator] = []
    var functions: [TLCombinator] = []
    /// Abstract classes (`//@class Name`) in schema order.
    var classes: [String] = []

    /// The names of the built-in types that the schema declares but that are not objects.
    static let builtins: Set<String> = [
        "double", "string", "int32", "int53", "int64", "bytes", "boolFalse", "boolTrue", "vector",
    ]

    /// Parses the text of td_api.tl.
    init(parsing text: String) throws(SchemaError) {
        var isFunctionSection = false
        var comment = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingTrailingWhitespace()
            if line.isEmpty { continue }
            if line == "---functions---" {
                isFunctionSection = true
                comment = ""
                continue
            }
            if line.hasPrefix("//@") {
                if line.hasPrefix("//@class ") {
                    let name = line.dropFirst("//@class ".count).prefix { $0 != " " }
                    classes.append(String(name))
                    comment = ""
                } else {
                    comment += " " + line.dropFirst(2)
                }
                continue
            }
            if line.hasPrefix("//-") {
                comment += " " + line.dropFirst(3)
                continue
            }
            if line.hasPrefix("//") { continue }
            let combinator = try Self.parseDeclaration(line, comment: comment, isFunction: isFunctionSection)
            comment = ""
            guard let combinator, !Self.builtins.contains(combinator.name) else { continue }
            if isFunctionSection {
                functions.append(combinator)
            } else {
                constructors.append(combinator)
            }
        }
    }

    private static func parseDeclaration(
        _ line: Substring, comment: String, isFunction: Bool
    ) throws(SchemaError) -> TLCombinator? {
        guard line.hasSuffix(";"), let equals = line.range(of: " = ") else {
            throw SchemaError("cannot parse line: \(line)")
        }
        let result = String(line[equals.upperBound...].dropLast())
        let words = line[..<equals.lowerBound].split(separator: " ")
        guard let name = words.first else { throw SchemaError("no name: \(line)") }
        if builtins.contains(String(name)) { return nil }
        var fields: [TLField] = []
        for word in words.dropFirst() {
            guard let colon = word.firstIndex(of: ":") else { throw SchemaError("bad field \(word) in \(name)") }
            let fieldName = String(word[..<colon])
            let type = try TLType(parsing: word[word.index(after: colon)...])
            fields.append(TLField(name: fieldName, type: type, documentation: ""))
        }
        let keys = fields.map { $0.name == "description" ? "param_description" : $0.name }
        let documentation = Self.tags(in: comment, allowed: Set(keys + ["description"]))
        for index in fields.indices {
            fields[index].documentation = documentation[keys[index]] ?? ""
        }
        return TLCombinator(
            name: String(name), fields: fields, result: result, isFunction: isFunction,
            constructorID: Int32(bitPattern: CRC32.checksum(normalForm(words: words, result: result))))
    }

    /// A declaration as TL hashes it: words separated by one space, `vector<T>` as `vector T`,
    /// and ` = Result` after the fields.
    static func normalForm(words: [Substring], result: String) -> String {
        let body = words.map { word in
            String(word.filter { $0 != ">" }.map { $0 == "<" ? " " : $0 })
        }
        return body.joined(separator: " ") + " = " + result
    }

    /// Splits `@name text @other text` into a dictionary.
    private static func tags(in comment: String, allowed: Set<String>) -> [String: String] {
        var result: [String: String] = [:]
        var currentName: String?
        var currentText = ""
        for word in comment.split(separator: " ") {
            if word.hasPrefix("@"), allowed.contains(String(word.dropFirst())) {
                if let currentName { result[currentName] = currentText }
                currentName = String(word.dropFirst())
                currentText = ""
            } else {
                currentText += currentText.isEmpty ? String(word) : " " + word
            }
        }
        if let currentName { result[currentName] = currentText }
        return result
    }
}

/// CRC-32 (IEEE 802.3, as zlib computes it), the hash of TL constructor numbers.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ text: String) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in text.utf8 { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}

/// A problem with the schema text.
struct SchemaError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, let last = self[..<end].last, last == " " || last == "\r" || last == "\t" {
            end = index(before: end)
        }
        return self[..<end]
    }
}
