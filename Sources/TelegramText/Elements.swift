/// An element that wraps its content in one fixed kind of entity.
public protocol StyleElement: StyledTextComponent {
    /// The entity kind the element applies.
    static var kind: EntityKind { get }
    /// The content covered.
    var content: StyledText { get }
    /// Wraps the content.
    init(content: StyledText)
}

extension StyleElement {
    /// Styles literal text.
    public init(_ text: String) { self.init(content: StyledText(text)) }
    /// Styles another element or text.
    public init(_ content: some StyledTextComponent) { self.init(content: content.styledText) }
    /// Styles the content built.
    public init(@StyledTextBuilder _ content: () -> StyledText) { self.init(content: content()) }
    /// The content wrapped in the element's entity.
    public var styledText: StyledText { StyledText(Self.kind, content) }
}

/// Bold text.
public struct Bold: StyleElement {
    /// ``EntityKind/bold``.
    public static let kind = EntityKind.bold
    /// The content covered.
    public let content: StyledText
    /// Wraps the content.
    public init(content: StyledText) { self.content = content }
}

/// Italic text.
public struct Italic: StyleElement {
    /// ``EntityKind/italic``.
    public static let kind = EntityKind.italic
    /// The content covered.
    public let content: StyledText
    /// Wraps the content.
    public init(content: StyledText) { self.content = content }
}

/// Underlined text.
public struct Underline: StyleElement {
    /// ``EntityKind/underline``.
    public static let kind = EntityKind.underline
    /// The content covered.
    public let content: StyledText
    /// Wraps the content.
    public init(content: StyledText) { self.content = content }
}

/// Strikethrough text.
public struct Strikethrough: StyleElement {
    /// ``EntityKind/strikethrough``.
    public static let kind = EntityKind.strikethrough
    /// The content covered.
    public let content: StyledText
    /// Wraps the content.
    public init(content: StyledText) { self.content = content }
}

/// Text hidden until tapped.
public struct Spoiler: StyleElement {
    /// ``EntityKind/spoiler``.
    public static let kind = EntityKind.spoiler
    /// The content covered.
    public let content: StyledText
    /// Wraps the content.
    public init(content: StyledText) { self.content = content }
}

/// A block quote, optionally shown collapsed.
public struct Quote: StyledTextComponent {
    /// The quoted content.
    public let content: StyledText
    /// Whether the quote is shown collapsed.
    public let expandable: Bool

    /// Quotes literal text.
    public init(_ text: String, expandable: Bool = false) {
        self.init(content: StyledText(text), expandable: expandable)
    }

    /// Quotes another element or text.
    public init(_ content: some StyledTextComponent, expandable: Bool = false) {
        self.init(content: content.styledText, expandable: expandable)
    }

    /// Quotes the content built.
    public init(expandable: Bool = false, @StyledTextBuilder _ content: () -> StyledText) {
        self.init(content: content(), expandable: expandable)
    }

    /// Quotes the content.
    public init(content: StyledText, expandable: Bool = false) {
        self.content = content
        self.expandable = expandable
    }

    /// The content in a block quote entity.
    public var styledText: StyledText { StyledText(expandable ? .expandableBlockQuote : .blockQuote, content) }
}

/// A link with its own URL.
///
/// The URL goes into the entity as TDLib would store it: `https://Example.com` becomes
/// `https://example.com/`, a bare `example.com` gets `http://`, `tg://user?id=…` becomes a
/// mention by identifier, and a URL that TDLib rejects leaves plain text.
public struct Link: StyledTextComponent {
    /// The link's text.
    public let content: StyledText
    /// The URL as given.
    public let url: String

    /// A link with literal text.
    public init(_ text: String, url: String) { self.init(content: StyledText(text), url: url) }

    /// A link over another element or text.
    public init(_ content: some StyledTextComponent, url: String) { self.init(content: content.styledText, url: url) }

    /// A link over the content built.
    public init(url: String, @StyledTextBuilder _ content: () -> StyledText) { self.init(content: content(), url: url) }

    /// A link over the content.
    public init(content: StyledText, url: String) {
        self.content = content
        self.url = url
    }

    /// The content in a text URL entity.
    public var styledText: StyledText { StyledText(.textURL(url), content) }
}

/// A mention of a user: by identifier (a link to the user) or by username (`@name`).
public struct Mention: StyledTextComponent {
    /// The mention as styled text.
    public let styledText: StyledText

    /// A mention by identifier with literal text, such as the user's name.
    public init(_ text: String, userID: Int64) { self.init(content: StyledText(text), userID: userID) }

    /// A mention by identifier over the content built.
    public init(userID: Int64, @StyledTextBuilder _ content: () -> StyledText) {
        self.init(content: content(), userID: userID)
    }

    /// A mention by identifier over the content.
    public init(content: StyledText, userID: Int64) {
        styledText = StyledText(.mentionName(userID: userID), content)
    }

    /// A mention by username: the text `@username` (leading `@` signs are dropped from the argument).
    public init(username: String) {
        styledText = StyledText(.mention, StyledText("@" + username.drop { $0 == "@" }))
    }
}

/// A hashtag: the text `#tag` (leading `#` signs are dropped from the argument).
public struct Hashtag: StyledTextComponent {
    /// The tag without `#`.
    public let tag: String

    /// A hashtag.
    public init(_ tag: String) { self.tag = String(tag.drop { $0 == "#" }) }

    /// The text `#tag` in a hashtag entity.
    public var styledText: StyledText { StyledText(.hashtag, StyledText("#" + tag)) }
}

/// A custom emoji, with the ordinary emoji shown where custom ones cannot be.
///
/// An identifier of 0 is not a custom emoji: only the fallback text remains.
public struct CustomEmoji: StyledTextComponent {
    /// The custom emoji's identifier.
    public let id: Int64
    /// The emoji shown where the custom one cannot be.
    public let fallback: String

    /// A custom emoji.
    public init(id: Int64, fallback: String) {
        self.id = id
        self.fallback = fallback
    }

    /// The fallback in a custom emoji entity.
    public var styledText: StyledText {
        id == 0 ? StyledText(fallback) : StyledText(.customEmoji(id: id), StyledText(fallback))
    }
}

/// Inline code.
public struct InlineCode: StyledTextComponent {
    /// The code.
    public let code: String

    /// Inline code.
    public init(_ code: String) { self.code = code }

    /// The code in a code entity.
    public var styledText: StyledText { StyledText(.code, StyledText(code)) }
}

/// A code block, with a programming language or without.
public struct CodeBlock: StyledTextComponent {
    /// The code.
    public let code: String
    /// The language; `nil` or empty for none.
    public let language: String?

    /// A code block.
    public init(_ code: String, language: String? = nil) {
        self.code = code
        self.language = language
    }

    /// The code in a pre or pre-code entity.
    public var styledText: StyledText {
        if let language, !language.isEmpty {
            return StyledText(.preCode(language: language), StyledText(code))
        }
        return StyledText(.pre, StyledText(code))
    }
}

/// A numbered list, one item per line: `1. first`, `2. second`.
///
/// Telegram has no list entity, so the numbers are text, as in the telegram-text package.
public struct OrderedList: StyledTextComponent {
    /// The items.
    public let items: [StyledText]
    /// The first number.
    public let start: Int

    /// A list of the items built, one per statement.
    public init(start: Int = 1, @StyledTextListBuilder _ items: () -> [StyledText]) {
        self.init(items: items(), start: start)
    }

    /// A list of the items.
    public init(items: [StyledText], start: Int = 1) {
        self.items = items
        self.start = start
    }

    /// The lines joined with line breaks.
    public var styledText: StyledText {
        var result = StyledText()
        for (index, item) in items.enumerated() {
            if index > 0 { result.append("\n") }
            result.append("\(start &+ index). ")
            result.append(item)
        }
        return result
    }
}

/// A bulleted list, one item per line: `• first`, `• second`.
///
/// The marker is any styled text: `UnorderedList(marker: Bold("*"))` gives telegram-text's bold `*`.
public struct UnorderedList: StyledTextComponent {
    /// The items.
    public let items: [StyledText]
    /// The marker before each item (a space follows it).
    public let marker: StyledText

    /// A list of the items built, one per statement.
    public init(marker: some StyledTextComponent = StyledText("•"), @StyledTextListBuilder _ items: () -> [StyledText])
    {
        self.init(items: items(), marker: marker)
    }

    /// A list of the items.
    public init(items: [StyledText], marker: some StyledTextComponent = StyledText("•")) {
        self.items = items
        self.marker = marker.styledText
    }

    /// The lines joined with line breaks.
    public var styledText: StyledText {
        var result = StyledText()
        for (index, item) in items.enumerated() {
            if index > 0 { result.append("\n") }
            result.append(marker)
            result.append(" ")
            result.append(item)
        }
        return result
    }
}
