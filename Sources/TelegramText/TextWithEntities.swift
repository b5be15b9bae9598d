/// Text with Telegram entities, the value TDLib calls `formattedText`.
///
/// Offsets and lengths count UTF-16 code units, as TDLib does.
public struct TextWithEntities: Sendable, Hashable {
    /// The plain text.
    public var text: String
    /// The entities over ``text``, in TDLib's order (see ``Entity/tdlibOrder(_:_:)``).
    public var entities: [Entity]

    /// Creates text with the given entities, kept as given.
    public init(text: String, entities: [Entity] = []) {
        self.text = text
        self.entities = entities
    }
}

/// One formatting entity: a kind over a range of UTF-16 code units.
public struct Entity: Sendable, Hashable {
    /// What the entity does.
    public var kind: EntityKind
    /// The first UTF-16 code unit covered.
    public var offset: Int
    /// The number of UTF-16 code units covered.
    public var length: Int

    /// Creates an entity.
    public init(_ kind: EntityKind, offset: Int, length: Int) {
        self.kind = kind
        self.offset = offset
        self.length = length
    }

    /// The UTF-16 range covered (empty for a negative length).
    public var range: Range<Int> {
        let end = offset.addingReportingOverflow(max(0, length))
        return offset..<(end.overflow ? Int.max : end.partialValue)
    }

    /// TDLib's order of entities: by offset, longer first, then by the kind's nesting priority.
    ///
    /// Entities that tie on all three keep their order, inner before outer as TDLib lists them;
    /// sort with a stable sort such as the standard library's.
    public static func tdlibOrder(_ lhs: Entity, _ rhs: Entity) -> Bool {
        if lhs.offset != rhs.offset { return lhs.offset < rhs.offset }
        if lhs.length != rhs.length { return lhs.length > rhs.length }
        return lhs.kind.tdlibPriority < rhs.kind.tdlibPriority
    }
}

/// The kind of an entity, one case per TDLib `TextEntityType`.
public enum EntityKind: Sendable, Hashable {
    /// Bold text.
    case bold
    /// Italic text.
    case italic
    /// Underlined text.
    case underline
    /// Strikethrough text.
    case strikethrough
    /// Text hidden until tapped.
    case spoiler
    /// Inline code.
    case code
    /// A code block without a language.
    case pre
    /// A code block with a language.
    case preCode(language: String)
    /// A block quote.
    case blockQuote
    /// A block quote shown collapsed.
    case expandableBlockQuote
    /// A link with its own URL.
    case textURL(String)
    /// A link to a user by identifier.
    case mentionName(userID: Int64)
    /// A custom emoji shown instead of the covered text.
    case customEmoji(id: Int64)
    /// A `@username` mention (TDLib also finds these by itself).
    case mention
    /// A `#hashtag` (TDLib also finds these by itself).
    case hashtag
    /// A `$CASHTAG` (found by TDLib).
    case cashtag
    /// A `/command` (found by TDLib).
    case botCommand
    /// A URL written in the text (found by TDLib).
    case url
    /// An email address (found by TDLib).
    case emailAddress
    /// A phone number (found by TDLib).
    case phoneNumber
    /// A bank card number (found by TDLib).
    case bankCardNumber
    /// A media timestamp in seconds.
    case mediaTimestamp(seconds: Int32)
    /// Any other TDLib entity type, kept as the JSON object TDLib sent.
    case other(json: String)

    /// Whether TDLib finds entities of this kind in plain text by itself (and recomputes them on send).
    public var isDetectedByTDLib: Bool {
        switch self {
        case .mention, .hashtag, .cashtag, .botCommand, .url, .emailAddress, .phoneNumber, .bankCardNumber:
            return true
        default:
            return false
        }
    }

    /// TDLib's nesting priority: among entities over the same range, a lower one encloses the others.
    public var tdlibPriority: Int {
        switch self {
        case .blockQuote, .expandableBlockQuote: return 0
        case .preCode: return 10
        case .pre: return 11
        case .code: return 20
        case .other: return 30
        case .textURL, .mentionName: return 49
        case .mention, .hashtag, .cashtag, .botCommand, .url, .emailAddress, .phoneNumber, .bankCardNumber,
            .mediaTimestamp:
            return 50
        case .bold: return 90
        case .italic: return 91
        case .underline: return 92
        case .strikethrough: return 93
        case .spoiler: return 94
        case .customEmoji: return 99
        }
    }

    /// The TDLib constructor name, such as `textEntityTypeBold`.
    public var tdlibTypeName: String {
        switch self {
        case .bold: return "textEntityTypeBold"
        case .italic: return "textEntityTypeItalic"
        case .underline: return "textEntityTypeUnderline"
        case .strikethrough: return "textEntityTypeStrikethrough"
        case .spoiler: return "textEntityTypeSpoiler"
        case .code: return "textEntityTypeCode"
        case .pre: return "textEntityTypePre"
        case .preCode: return "textEntityTypePreCode"
        case .blockQuote: return "textEntityTypeBlockQuote"
        case .expandableBlockQuote: return "textEntityTypeExpandableBlockQuote"
        case .textURL: return "textEntityTypeTextUrl"
        case .mentionName: return "textEntityTypeMentionName"
        case .customEmoji: return "textEntityTypeCustomEmoji"
        case .mention: return "textEntityTypeMention"
        case .hashtag: return "textEntityTypeHashtag"
        case .cashtag: return "textEntityTypeCashtag"
        case .botCommand: return "textEntityTypeBotCommand"
        case .url: return "textEntityTypeUrl"
        case .emailAddress: return "textEntityTypeEmailAddress"
        case .phoneNumber: return "textEntityTypePhoneNumber"
        case .bankCardNumber: return "textEntityTypeBankCardNumber"
        case .mediaTimestamp: return "textEntityTypeMediaTimestamp"
        case .other(let json):
            return JSONReader.typeName(ofObject: json) ?? "unknown"
        }
    }

    /// A key that orders kinds of equal priority, for comparing entity lists regardless of ties.
    public var sortKey: String {
        switch self {
        case .preCode(let language): return "preCode\u{0}" + language
        case .textURL(let url): return "textURL\u{0}" + url
        case .mentionName(let id): return "mentionName\u{0}\(id)"
        case .customEmoji(let id): return "customEmoji\u{0}\(id)"
        case .mediaTimestamp(let seconds): return "mediaTimestamp\u{0}\(seconds)"
        case .other(let json): return "other\u{0}" + json
        default: return tdlibTypeName
        }
    }
}

extension TextWithEntities {
    /// The entities sorted in TDLib's order.
    public func sortedEntities() -> [Entity] {
        entities.sorted(by: Entity.tdlibOrder)
    }

    /// The same text without the entities TDLib finds by itself (mentions by username, hashtags,
    /// URLs, …): exactly what TDLib's `parseTextEntities` returns for markup of this text.
    public func removingDetectedEntities() -> TextWithEntities {
        TextWithEntities(text: text, entities: entities.filter { !$0.kind.isDetectedByTDLib })
    }

    /// The number of UTF-16 code units of ``text``.
    public var utf16Count: Int { text.utf16.count }
}
