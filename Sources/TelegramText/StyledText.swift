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

    /// The tree kept flat, in document order: cheap to build, append and render.
    enum Piece: Sendable, Hashable {
        case text(String)
        case open(EntityKind)
        case close
    }

    var pieces: [Piece]

    init(pieces: [Piece]) { self.pieces = pieces }

    /// Empty text.
    public init() { pieces = [] }

    /// Literal text.
    public init(_ text: String) {
        pieces = text.isEmpty ? [] : [.text(text)]
    }

    /// The text of a tree.
    public init(nodes: [Node]) {
        pieces = []
        for node in nodes { pieces.appendFlattening(node) }
    }

    /// Text built with ``StyledTextBuilder``.
    public init(@StyledTextBuilder _ content: () -> StyledText) {
        self = content()
    }

    /// Content wrapped in one entity.
    public init(_ kind: EntityKind, _ content: StyledText) {
        var pieces: [Piece] = []
        pieces.reserveCapacity(content.pieces.count + 2)
        pieces.append(.open(kind))
        pieces.append(contentsOf: content.pieces)
        pieces.append(.close)
        self.pieces = pieces
    }

    /// The text as a tree: the top-level pieces, in order.
    public var nodes: [Node] {
        var stack: [(kind: EntityKind, children: [Node])] = []
        var top: [Node] = []
        for piece in pieces {
            switch piece {
            case .text(let text):
                if stack.isEmpty {
                    top.append(.text(text))
                } else {
                    stack[stack.count - 1].children.append(.text(text))
                }
            case .open(let kind):
                stack.append((kind, []))
            case .close:
                guard let finished = stack.popLast() else { continue }
                let node = Node.entity(finished.kind, finished.children)
                if stack.isEmpty { top.append(node) } else { stack[stack.count - 1].children.append(node) }
            }
        }
        return top
    }

    /// Whether there is no text at all.
    public var isEmpty: Bool {
        !pieces.contains {
            if case .text(let text) = $0 { return !text.isEmpty }
            return false
        }
    }

    /// The text without formatting.
    public var plainText: String {
        var out = ""
        for case .text(let text) in pieces { out += text }
        return out
    }

    /// Appends other text.
    public mutating func append(_ other: some StyledTextComponent) {
        pieces.appendMerging(other.styledText.pieces)
    }

    /// Appends literal text.
    public mutating func append(_ text: String) {
        if !text.isEmpty { pieces.appendMerging(CollectionOfOne(.text(text))) }
    }
}

extension [StyledText.Piece] {
    /// Appends pieces, joining text that meets text into one piece.
    mutating func appendMerging(_ other: some Collection<StyledText.Piece>) {
        guard let first = other.first else { return }
        if case .text(let tail)? = last, case .text(let head) = first {
            self[count - 1] = .text(tail + head)
            append(contentsOf: other.dropFirst())
        } else {
            append(contentsOf: other)
        }
    }

    mutating func appendFlattening(_ node: StyledText.Node) {
        switch node {
        case .text(let text):
            if !text.isEmpty { appendMerging(CollectionOfOne(.text(text))) }
        case .entity(let kind, let children):
            append(.open(kind))
            for child in children { appendFlattening(child) }
            append(.close)
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
}

extension StyledText: ExpressibleByStringLiteral {
    /// Literal text.
    public init(stringLiteral value: String) { self.init(value) }
}

extension StyledText: ExpressibleByStringInterpolation {
    /// Builds styled text from a string literal with interpolations: `"Hi \(Bold(name))!"`.
    ///
    /// Literal parts and interpolated values are literal text; interpolated elements keep their style.
    public struct StringInterpolation: StringInterpolationProtocol {
        var text = StyledText()

        /// Reserves nothing: pieces are appended as they come.
        public init(literalCapacity: Int, interpolationCount: Int) {}

        /// Literal text.
        public mutating func appendLiteral(_ literal: String) { text.append(literal) }

        /// An element, keeping its style.
        public mutating func appendInterpolation(_ component: some StyledTextComponent) { text.append(component) }

        /// Any other value, as literal text.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            text.append(value.description)
        }
    }

    /// The text built by the interpolation.
    public init(stringInterpolation: StringInterpolation) { self = stringInterpolation.text }
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
        var pieces: [StyledText.Piece] = []
        pieces.reserveCapacity(parts.reduce(0) { $0 + $1.pieces.count })
        for part in parts { pieces.appendMerging(part.pieces) }
        return StyledText(pieces: pieces)
    }
    /// An `if` without `else`.
    public static func buildOptional(_ part: StyledText?) -> StyledText { part ?? StyledText() }
    /// The first branch of an `if`/`else` or `switch`.
    public static func buildEither(first part: StyledText) -> StyledText { part }
    /// The second branch of an `if`/`else` or `switch`.
    public static func buildEither(second part: StyledText) -> StyledText { part }
    /// A `for` loop.
    public static func buildArray(_ parts: [StyledText]) -> StyledText {
        var pieces: [StyledText.Piece] = []
        for part in parts { pieces.appendMerging(part.pieces) }
        return StyledText(pieces: pieces)
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
