/// A Telegram message text as a tree of plain text and formatting.
///
/// Build it with ``RichTextBuilder`` or with `+`; plain strings are always literal text, so
/// nothing a user writes can inject markup. Render it with ``textWithEntities()`` (TDLib's
/// `formattedText`, computed locally), ``html()`` or ``markdownV2()``.
public struct RichText: Sendable, Hashable {
    /// One piece of the tree.
    public indirect enum Node: Sendable, Hashable {
        /// Literal text.
        case text(String)
        /// Content covered by one entity.
        case entity(EntityKind, [Node])
    }

    /// The top-level pieces, in order.
    public internal(set) var nodes: [Node]

    /// Empty text.
    public init() { nodes = [] }

    /// Literal text.
    public init(_ text: String) {
        nodes = text.isEmpty ? [] : [.text(text)]
    }

    /// The given pieces.
    public init(nodes: [Node]) { self.nodes = nodes }

    /// Text built with ``RichTextBuilder``.
    public init(@RichTextBuilder _ content: () -> RichText) {
        self = content()
    }

    /// Content wrapped in one entity.
    public init(_ kind: EntityKind, _ content: RichText) {
        nodes = [.entity(kind, content.nodes)]
    }

    /// Whether there is no text at all.
    public var isEmpty: Bool { nodes.allSatisfy { $0.isEmpty } }

    /// The text without formatting.
    public var plainText: String {
        var out = ""
        for node in nodes { node.appendPlainText(to: &out) }
        return out
    }

    /// Appends other text.
    public mutating func append(_ other: some RichTextComponent) {
        nodes.append(contentsOf: other.richText.nodes)
    }

    /// Appends literal text.
    public mutating func append(_ text: String) {
        if !text.isEmpty { nodes.append(.text(text)) }
    }
}

extension RichText.Node {
    var isEmpty: Bool {
        switch self {
        case .text(let text): return text.isEmpty
        case .entity(_, let children): return children.allSatisfy { $0.isEmpty }
        }
    }

    func appendPlainText(to out: inout String) {
        switch self {
        case .text(let text): out += text
        case .entity(_, let children):
            for child in children { child.appendPlainText(to: &out) }
        }
    }
}

extension RichText: ExpressibleByStringLiteral {
    /// Literal text.
    public init(stringLiteral value: String) { self.init(value) }
}

extension RichText: CustomStringConvertible {
    /// The text without formatting.
    public var description: String { plainText }
}

/// Anything that can be part of a ``RichText``: the elements such as ``Bold`` and ``RichText`` itself.
public protocol RichTextComponent: Sendable {
    /// The component as rich text.
    var richText: RichText { get }
}

extension RichText: RichTextComponent {
    /// The text itself.
    public var richText: RichText { self }
}

extension RichTextComponent {
    /// The two parts, one after the other.
    public static func + (lhs: Self, rhs: some RichTextComponent) -> RichText {
        RichText(nodes: lhs.richText.nodes + rhs.richText.nodes)
    }

    /// The part followed by literal text.
    public static func + (lhs: Self, rhs: String) -> RichText {
        var result = lhs.richText
        result.append(rhs)
        return result
    }

    /// Literal text followed by the part.
    public static func + (lhs: String, rhs: Self) -> RichText {
        var result = RichText(lhs)
        result.append(rhs)
        return result
    }
}

extension RichText {
    /// Appends a part.
    public static func += (lhs: inout RichText, rhs: some RichTextComponent) { lhs.append(rhs) }

    /// Appends literal text.
    public static func += (lhs: inout RichText, rhs: String) { lhs.append(rhs) }
}

extension Sequence where Element: RichTextComponent {
    /// The parts joined with a separator between each two (none by default).
    public func joined(separator: RichText = RichText()) -> RichText {
        var result = RichText()
        var first = true
        for part in self {
            if !first { result.append(separator) }
            first = false
            result.append(part)
        }
        return result
    }
}

/// Builds ``RichText`` from statements: each string is literal text, each element adds itself.
@resultBuilder
public enum RichTextBuilder {
    /// Literal text.
    public static func buildExpression(_ text: String) -> RichText { RichText(text) }
    /// An element.
    public static func buildExpression(_ component: some RichTextComponent) -> RichText { component.richText }
    /// The parts in order.
    public static func buildBlock(_ parts: RichText...) -> RichText {
        RichText(nodes: parts.flatMap(\.nodes))
    }
    /// An `if` without `else`.
    public static func buildOptional(_ part: RichText?) -> RichText { part ?? RichText() }
    /// The first branch of an `if`/`else` or `switch`.
    public static func buildEither(first part: RichText) -> RichText { part }
    /// The second branch of an `if`/`else` or `switch`.
    public static func buildEither(second part: RichText) -> RichText { part }
    /// A `for` loop.
    public static func buildArray(_ parts: [RichText]) -> RichText { RichText(nodes: parts.flatMap(\.nodes)) }
    /// An `if #available` branch.
    public static func buildLimitedAvailability(_ part: RichText) -> RichText { part }
}

/// Builds list items: each statement is one item.
@resultBuilder
public enum RichTextListBuilder {
    /// A literal text item.
    public static func buildExpression(_ text: String) -> [RichText] { [RichText(text)] }
    /// An element item.
    public static func buildExpression(_ component: some RichTextComponent) -> [RichText] { [component.richText] }
    /// The items in order.
    public static func buildBlock(_ parts: [RichText]...) -> [RichText] { parts.flatMap { $0 } }
    /// An `if` without `else`.
    public static func buildOptional(_ part: [RichText]?) -> [RichText] { part ?? [] }
    /// The first branch of an `if`/`else` or `switch`.
    public static func buildEither(first part: [RichText]) -> [RichText] { part }
    /// The second branch of an `if`/`else` or `switch`.
    public static func buildEither(second part: [RichText]) -> [RichText] { part }
    /// A `for` loop.
    public static func buildArray(_ parts: [[RichText]]) -> [RichText] { parts.flatMap { $0 } }
    /// An `if #available` branch.
    public static func buildLimitedAvailability(_ part: [RichText]) -> [RichText] { part }
}
