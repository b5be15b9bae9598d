/// A Telegram message text as a tree of plain text and formatting.
///
/// Build it with ``StyledTextBuilder`` or with `+`; plain strings are always literal text, so
/// nothing a user writes can inject markup. Render it with ``textWithEntities()`` (TDLib's
/// `formattedText`, computed locally), ``html()`` or ``markdownV2()``.
public struct StyledText: Sendable, Hashable {
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

    /// Text built with ``StyledTextBuilder``.
    public init(@StyledTextBuilder _ content: () -> StyledText) {
        self = content()
    }

    /// Content wrapped in one entity.
    public init(_ kind: EntityKind, _ content: StyledText) {
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
    public mutating func append(_ other: some StyledTextComponent) {
        nodes.appendMerging(other.styledText.nodes)
    }

    /// Appends literal text.
    public mutating func append(_ text: String) {
        if !text.isEmpty { nodes.appendMerging(CollectionOfOne(.text(text))) }
    }
}

extension [StyledText.Node] {
    /// Appends nodes, joining text that meets text into one node.
    mutating func appendMerging(_ other: some Collection<StyledText.Node>) {
        guard let first = other.first else { return }
        if case .text(let tail)? = last, case .text(let head) = first {
            self[count - 1] = .text(tail + head)
            append(contentsOf: other.dropFirst())
        } else {
            append(contentsOf: other)
        }
    }
}

extension StyledText.Node {
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

extension StyledText: ExpressibleByStringLiteral {
    /// Literal text.
    public init(stringLiteral value: String) { self.init(value) }
}

extension StyledText: CustomStringConvertible {
    /// The text without formatting.
    public var description: String { plainText }
}

/// Anything that can be part of a ``StyledText``: the elements such as ``Bold`` and ``StyledText`` itself.
public protocol StyledTextComponent: Sendable {
    /// The component as styled text.
    var styledText: StyledText { get }
}

extension StyledText: StyledTextComponent {
    /// The text itself.
    public var styledText: StyledText { self }
}

extension StyledTextComponent {
    /// The two parts, one after the other.
    public static func + (lhs: Self, rhs: some StyledTextComponent) -> StyledText {
        var result = lhs.styledText
        result.append(rhs)
        return result
    }

    /// The part followed by literal text.
    public static func + (lhs: Self, rhs: String) -> StyledText {
        var result = lhs.styledText
        result.append(rhs)
        return result
    }

    /// Literal text followed by the part.
    public static func + (lhs: String, rhs: Self) -> StyledText {
        var result = StyledText(lhs)
        result.append(rhs)
        return result
    }
}

extension StyledText {
    /// Appends a part.
    public static func += (lhs: inout StyledText, rhs: some StyledTextComponent) { lhs.append(rhs) }

    /// Appends literal text.
    public static func += (lhs: inout StyledText, rhs: String) { lhs.append(rhs) }
}

extension Sequence where Element: StyledTextComponent {
    /// The parts joined with a separator between each two (none by default).
    public func joined(separator: StyledText = StyledText()) -> StyledText {
        var result = StyledText()
        var first = true
        for part in self {
            if !first { result.append(separator) }
            first = false
            result.append(part)
        }
        return result
    }
}

extension Sequence<any StyledTextComponent> {
    /// Mixed parts joined with a separator between each two (none by default).
    public func joined(separator: StyledText = StyledText()) -> StyledText {
        map(\.styledText).joined(separator: separator)
    }
}

/// Builds ``StyledText`` from statements: each string is literal text, each element adds itself.
@resultBuilder
public enum StyledTextBuilder {
    /// Literal text.
    public static func buildExpression(_ text: String) -> StyledText { StyledText(text) }
    /// An element.
    public static func buildExpression(_ component: some StyledTextComponent) -> StyledText { component.styledText }
    /// The parts in order.
    public static func buildBlock(_ parts: StyledText...) -> StyledText {
        if parts.count == 1 { return parts[0] }
        var nodes: [StyledText.Node] = []
        nodes.reserveCapacity(parts.reduce(0) { $0 + $1.nodes.count })
        for part in parts { nodes.appendMerging(part.nodes) }
        return StyledText(nodes: nodes)
    }
    /// An `if` without `else`.
    public static func buildOptional(_ part: StyledText?) -> StyledText { part ?? StyledText() }
    /// The first branch of an `if`/`else` or `switch`.
    public static func buildEither(first part: StyledText) -> StyledText { part }
    /// The second branch of an `if`/`else` or `switch`.
    public static func buildEither(second part: StyledText) -> StyledText { part }
    /// A `for` loop.
    public static func buildArray(_ parts: [StyledText]) -> StyledText {
        var nodes: [StyledText.Node] = []
        for part in parts { nodes.appendMerging(part.nodes) }
        return StyledText(nodes: nodes)
    }
    /// An `if #available` branch.
    public static func buildLimitedAvailability(_ part: StyledText) -> StyledText { part }
}

/// Builds list items: each statement is one item.
@resultBuilder
public enum StyledTextListBuilder {
    /// A literal text item.
    public static func buildExpression(_ text: String) -> [StyledText] { [StyledText(text)] }
    /// An element item.
    public static func buildExpression(_ component: some StyledTextComponent) -> [StyledText] { [component.styledText] }
    /// The items in order.
    public static func buildBlock(_ parts: [StyledText]...) -> [StyledText] { parts.flatMap { $0 } }
    /// An `if` without `else`.
    public static func buildOptional(_ part: [StyledText]?) -> [StyledText] { part ?? [] }
    /// The first branch of an `if`/`else` or `switch`.
    public static func buildEither(first part: [StyledText]) -> [StyledText] { part }
    /// The second branch of an `if`/`else` or `switch`.
    public static func buildEither(second part: [StyledText]) -> [StyledText] { part }
    /// A `for` loop.
    public static func buildArray(_ parts: [[StyledText]]) -> [StyledText] { parts.flatMap { $0 } }
    /// An `if #available` branch.
    public static func buildLimitedAvailability(_ part: [StyledText]) -> [StyledText] { part }
}
