import Foundation

/// A `formattedText` JSON object that could not be read.
public struct TextJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

extension TextWithEntities {
    /// The TDLib `formattedText` JSON object, ready to embed in a request such as `sendMessage`.
    public var tdJSON: String {
        var out = #"{"@type":"formattedText","text":"#
        JSONWriter.appendString(text, to: &out)
        out += #","entities":["#
        for (index, entity) in entities.enumerated() {
            if index > 0 { out += "," }
            entity.appendJSON(to: &out)
        }
        out += "]}"
        return out
    }

    /// Reads a TDLib `formattedText` JSON object (UTF-8).
    /// - Throws: ``TextJSONError`` when the bytes are not such an object.
    public init(tdJSON bytes: some Collection<UInt8>) throws(TextJSONError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw TextJSONError("not JSON: \(error.localizedDescription)")
        }
        guard let dictionary = object as? [String: Any] else { throw TextJSONError("not a JSON object") }
        try self.init(jsonObject: dictionary)
    }

    /// Reads a TDLib `formattedText` object already parsed by `JSONSerialization`.
    /// - Throws: ``TextJSONError`` when a field is missing or has the wrong type.
    public init(jsonObject: [String: Any]) throws(TextJSONError) {
        guard let text = jsonObject["text"] as? String else { throw TextJSONError("formattedText without text") }
        let rawEntities = jsonObject["entities"] as? [Any] ?? []
        var entities: [Entity] = []
        entities.reserveCapacity(rawEntities.count)
        for raw in rawEntities {
            guard let entity = raw as? [String: Any],
                let offset = JSONReader.int(entity["offset"]),
                let length = JSONReader.int(entity["length"]),
                let type = entity["type"] as? [String: Any]
            else { throw TextJSONError("malformed textEntity") }
            entities.append(Entity(try EntityKind(jsonObject: type), offset: offset, length: length))
        }
        self.init(text: text, entities: entities)
    }
}

extension Entity {
    /// The TDLib `textEntity` JSON object.
    public var tdJSON: String {
        var out = ""
        appendJSON(to: &out)
        return out
    }

    func appendJSON(to out: inout String) {
        out += #"{"@type":"textEntity","offset":"#
        out += String(offset)
        out += #","length":"#
        out += String(length)
        out += #","type":"#
        kind.appendJSON(to: &out)
        out += "}"
    }
}

extension EntityKind {
    func appendJSON(to out: inout String) {
        switch self {
        case .preCode(let language):
            out += #"{"@type":"textEntityTypePreCode","language":"#
            JSONWriter.appendString(language, to: &out)
            out += "}"
        case .textURL(let url):
            out += #"{"@type":"textEntityTypeTextUrl","url":"#
            JSONWriter.appendString(url, to: &out)
            out += "}"
        case .mentionName(let userID):
            out += #"{"@type":"textEntityTypeMentionName","user_id":\#(userID)}"#
        case .customEmoji(let id):
            out += #"{"@type":"textEntityTypeCustomEmoji","custom_emoji_id":"\#(id)"}"#
        case .mediaTimestamp(let seconds):
            out += #"{"@type":"textEntityTypeMediaTimestamp","media_timestamp":\#(seconds)}"#
        case .other(let json):
            out += json
        default:
            out += #"{"@type":""#
            out += tdlibTypeName
            out += #""}"#
        }
    }

    /// Reads a TDLib `TextEntityType` object already parsed by `JSONSerialization`.
    /// - Throws: ``TextJSONError`` when a required field is missing.
    public init(jsonObject: [String: Any]) throws(TextJSONError) {
        guard let type = jsonObject["@type"] as? String else { throw TextJSONError("entity type without @type") }
        switch type {
        case "textEntityTypeBold": self = .bold
        case "textEntityTypeItalic": self = .italic
        case "textEntityTypeUnderline": self = .underline
        case "textEntityTypeStrikethrough": self = .strikethrough
        case "textEntityTypeSpoiler": self = .spoiler
        case "textEntityTypeCode": self = .code
        case "textEntityTypePre": self = .pre
        case "textEntityTypePreCode":
            self = .preCode(language: jsonObject["language"] as? String ?? "")
        case "textEntityTypeBlockQuote": self = .blockQuote
        case "textEntityTypeExpandableBlockQuote": self = .expandableBlockQuote
        case "textEntityTypeTextUrl":
            guard let url = jsonObject["url"] as? String else {
                throw TextJSONError("textEntityTypeTextUrl without url")
            }
            self = .textURL(url)
        case "textEntityTypeMentionName":
            guard let id = JSONReader.int64(jsonObject["user_id"]) else {
                throw TextJSONError("textEntityTypeMentionName without user_id")
            }
            self = .mentionName(userID: id)
        case "textEntityTypeCustomEmoji":
            guard let id = JSONReader.int64(jsonObject["custom_emoji_id"]) else {
                throw TextJSONError("textEntityTypeCustomEmoji without custom_emoji_id")
            }
            self = .customEmoji(id: id)
        case "textEntityTypeMention": self = .mention
        case "textEntityTypeHashtag": self = .hashtag
        case "textEntityTypeCashtag": self = .cashtag
        case "textEntityTypeBotCommand": self = .botCommand
        case "textEntityTypeUrl": self = .url
        case "textEntityTypeEmailAddress": self = .emailAddress
        case "textEntityTypePhoneNumber": self = .phoneNumber
        case "textEntityTypeBankCardNumber": self = .bankCardNumber
        case "textEntityTypeMediaTimestamp":
            self = .mediaTimestamp(seconds: Int32(clamping: JSONReader.int64(jsonObject["media_timestamp"]) ?? 0))
        default:
            guard
                let data = try? JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys]),
                let json = String(data: data, encoding: .utf8)
            else { throw TextJSONError("unreadable entity type \(type)") }
            self = .other(json: json)
        }
    }
}

enum JSONWriter {
    static func appendString(_ string: String, to out: inout String) {
        out += "\""
        let utf8 = string.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C {
                // ASCII bytes are always character boundaries, so the slices are whole scalars.
                out += string[start..<index]
                switch byte {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                default:
                    let hex = String(byte, radix: 16)
                    out += "\\u00" + (hex.count == 1 ? "0" + hex : hex)
                }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        out += string[start..<utf8.endIndex]
        out += "\""
    }
}

enum JSONReader {
    static func int(_ value: Any?) -> Int? {
        if let number = value as? NSNumber { return number.intValue }
        if let string = value as? String { return Int(string) }
        return nil
    }

    static func int64(_ value: Any?) -> Int64? {
        if let string = value as? String { return Int64(string) }
        if let number = value as? NSNumber { return number.int64Value }
        return nil
    }

    static func typeName(ofObject json: String) -> String? {
        guard let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["@type"] as? String
    }
}
