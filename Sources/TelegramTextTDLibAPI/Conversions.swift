import TDLibAPI
import TelegramText

// Conversions between TelegramText's values and the generated TDLib types, kept in their own module
// so that TelegramText itself depends on Foundation only.

extension FormattedText {
    /// TDLib's `formattedText` of styled text, computed locally (see `StyledText.textWithEntities()`).
    public init(_ text: StyledText) {
        self.init(text.textWithEntities())
    }

    /// The generated value of text with entities.
    public init(_ value: TextWithEntities) {
        self.init(text: value.text, entities: value.entities.map(TextEntity.init))
    }
}

extension TextEntity {
    /// The generated value of an entity.
    public init(_ entity: Entity) {
        self.init(
            offset: Int32(clamping: entity.offset), length: Int32(clamping: entity.length),
            type: TextEntityType(entity.kind))
    }
}

extension TextEntityType {
    /// The generated value of an entity kind.
    public init(_ kind: EntityKind) {
        switch kind {
        case .bold: self = .bold(TextEntityTypeBold())
        case .italic: self = .italic(TextEntityTypeItalic())
        case .underline: self = .underline(TextEntityTypeUnderline())
        case .strikethrough: self = .strikethrough(TextEntityTypeStrikethrough())
        case .spoiler: self = .spoiler(TextEntityTypeSpoiler())
        case .code: self = .code(TextEntityTypeCode())
        case .pre: self = .pre(TextEntityTypePre())
        case .preCode(let language): self = .preCode(TextEntityTypePreCode(language: language))
        case .blockQuote: self = .blockQuote(TextEntityTypeBlockQuote())
        case .expandableBlockQuote: self = .expandableBlockQuote(TextEntityTypeExpandableBlockQuote())
        case .textURL(let url): self = .textUrl(TextEntityTypeTextUrl(url: url))
        case .mentionName(let userID): self = .mentionName(TextEntityTypeMentionName(userId: userID))
        case .customEmoji(let id): self = .customEmoji(TextEntityTypeCustomEmoji(customEmojiId: id))
        case .mention: self = .mention(TextEntityTypeMention())
        case .hashtag: self = .hashtag(TextEntityTypeHashtag())
        case .cashtag: self = .cashtag(TextEntityTypeCashtag())
        case .botCommand: self = .botCommand(TextEntityTypeBotCommand())
        case .url: self = .url(TextEntityTypeUrl())
        case .emailAddress: self = .emailAddress(TextEntityTypeEmailAddress())
        case .phoneNumber: self = .phoneNumber(TextEntityTypePhoneNumber())
        case .bankCardNumber: self = .bankCardNumber(TextEntityTypeBankCardNumber())
        case .mediaTimestamp(let seconds):
            self = .mediaTimestamp(TextEntityTypeMediaTimestamp(mediaTimestamp: seconds))
        case .other(let json):
            let bytes = Array(json.utf8)
            if let decoded = try? TextEntityType(json: bytes) {
                self = decoded
            } else {
                self = .unknown(TDUnknownObject(type: kind.tdlibTypeName, json: bytes))
            }
        }
    }
}

extension TextWithEntities {
    /// The value of a generated `formattedText`.
    public init(_ formattedText: FormattedText) {
        self.init(text: formattedText.text, entities: formattedText.entities.map(Entity.init))
    }
}

extension Entity {
    /// The value of a generated entity.
    public init(_ entity: TextEntity) {
        self.init(EntityKind(entity.type), offset: Int(entity.offset), length: Int(entity.length))
    }
}

extension EntityKind {
    /// The value of a generated entity type; kinds TelegramText does not model keep their JSON.
    public init(_ type: TextEntityType) {
        switch type {
        case .bold: self = .bold
        case .italic: self = .italic
        case .underline: self = .underline
        case .strikethrough: self = .strikethrough
        case .spoiler: self = .spoiler
        case .code: self = .code
        case .pre: self = .pre
        case .preCode(let value): self = .preCode(language: value.language)
        case .blockQuote: self = .blockQuote
        case .expandableBlockQuote: self = .expandableBlockQuote
        case .textUrl(let value): self = .textURL(value.url)
        case .mentionName(let value): self = .mentionName(userID: value.userId)
        case .customEmoji(let value): self = .customEmoji(id: value.customEmojiId)
        case .mention: self = .mention
        case .hashtag: self = .hashtag
        case .cashtag: self = .cashtag
        case .botCommand: self = .botCommand
        case .url: self = .url
        case .emailAddress: self = .emailAddress
        case .phoneNumber: self = .phoneNumber
        case .bankCardNumber: self = .bankCardNumber
        case .mediaTimestamp(let value): self = .mediaTimestamp(seconds: value.mediaTimestamp)
        case .dateTime, .unknown: self = .other(json: type.jsonString())
        }
    }
}

extension StyledText {
    /// The tree of a generated `formattedText`, for example a received message's text.
    public init(_ formattedText: FormattedText) {
        self.init(TextWithEntities(formattedText))
    }

    /// TDLib's `formattedText` as the generated type, computed locally, ready for `sendMessage`.
    public var formattedText: FormattedText { FormattedText(self) }
}

extension InputMessageText {
    /// The content of a text message with styled text, its `formattedText` computed locally.
    public init(_ text: StyledText, linkPreviewOptions: LinkPreviewOptions? = nil, clearDraft: Bool = false) {
        self.init(text: text.formattedText, linkPreviewOptions: linkPreviewOptions, clearDraft: clearDraft)
    }
}
