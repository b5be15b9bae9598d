/// Text that MarkdownV2 cannot express so that TDLib reads back the same entities.
public struct MarkdownV2Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the text cannot be expressed.
    public var reason: String

    /// Creates the error.
    public init(_ reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { "not expressible in MarkdownV2: \(reason)" }
}

extension StyledText {
    /// The text in Telegram's MarkdownV2, with every special character of literal text escaped.
    ///
    /// When this returns, TDLib's MarkdownV2 parser gives back exactly ``textWithEntities()``
    /// (entities that markup cannot carry, such as mentions by username and hashtags, stay as text
    /// for TDLib to find). MarkdownV2 is narrower than HTML, so some texts throw, for example:
    /// an element nested in one of the same kind, formatting inside code, a quote that does not
    /// start a line or is inside another element, a quote followed by more text when its content
    /// does not end with a line break (TDLib's quote takes in the line break that ends it: write
    /// `Quote("q\n") + "more"`), a regular quote right after another, a code language with spaces.
    /// - Throws: ``MarkdownV2Error`` naming what cannot be expressed.
    public func markdownV2() throws(MarkdownV2Error) -> String {
        var renderer = MarkdownV2Renderer()
        for node in nodes { try renderer.render(node) }
        return renderer.out
    }
}

struct MarkdownV2Renderer {
    enum Family: Equatable {
        case bold, italic, underline, strikethrough, spoiler, link, customEmoji
    }

    enum AfterQuote {
        case none
        /// A quote ended inside a line: whatever follows would join the quote.
        case midLine
        /// A quote ended with its line break: a regular quote may not start right here.
        case lineStart
    }

    var out = ""
    var atLineStart = true
    var inQuote = false
    var open: [Family] = []
    var lastMarkerEnd: Character?
    var after = AfterQuote.none
    /// A line break inside a quote, written only once something follows it.
    var pendingLineBreak = false

    static func isSpecial(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "_", "*", "[", "]", "(", ")", "~", "`", ">", "#", "+", "-", "=", "|", "{", "}", ".", "!", "\\":
            return true
        default:
            return false
        }
    }

    mutating func render(_ node: StyledText.Node) throws(MarkdownV2Error) {
        switch node {
        case .text(let string):
            try emitText(string)
        case .entity(let kind, let children):
            if node.isEmpty { return }
            guard let kind = kind.resolved else {
                for child in children { try render(child) }
                return
            }
            switch kind {
            case .bold: try styled(.bold, "*", "*", children)
            case .italic: try styled(.italic, "_", "_", children)
            case .underline: try styled(.underline, "__", "__", children)
            case .strikethrough: try styled(.strikethrough, "~", "~", children)
            case .spoiler: try styled(.spoiler, "||", "||", children)
            case .textURL(let url):
                try styled(.link, "[", "](" + Self.escapeURL(url) + ")", children)
            case .mentionName(let userID):
                try styled(.link, "[", "](tg://user?id=\(userID))", children)
            case .customEmoji(let id):
                if open.contains(.customEmoji) { throw MarkdownV2Error("a custom emoji inside a custom emoji") }
                try styled(.customEmoji, "![", "](tg://emoji?id=\(id))", children)
            case .code:
                try code(children, open: "`", close: "`")
            case .pre:
                try code(children, open: "```\n", close: "```")
            case .preCode(let language):
                guard
                    !language.unicodeScalars.contains(where: {
                        $0 == "`" || $0.properties.isWhitespace || $0.value < 0x20
                    })
                else { throw MarkdownV2Error("the code block language \"\(language)\" has a space or a backtick") }
                try code(children, open: "```" + language + "\n", close: "```")
            case .blockQuote, .expandableBlockQuote:
                try quote(expandable: kind == .expandableBlockQuote, children)
            case .mention, .hashtag, .cashtag, .botCommand, .url, .emailAddress, .phoneNumber, .bankCardNumber,
                .mediaTimestamp, .other:
                for child in children { try render(child) }
            }
        }
    }

    // MARK: Pieces

    mutating func styled(
        _ family: Family, _ opening: String, _ closing: String, _ children: [StyledText.Node]
    ) throws(MarkdownV2Error) {
        if family != .link, open.contains(family) {
            throw MarkdownV2Error("\(family) inside \(family)")
        }
        try marker(opening)
        open.append(family)
        for child in children { try render(child) }
        open.removeLast()
        try marker(closing)
    }

    mutating func code(_ children: [StyledText.Node], open opening: String, close closing: String)
        throws(MarkdownV2Error)
    {
        var content = ""
        for child in children {
            guard case .text(let string) = child else {
                if child.isEmpty { continue }
                throw MarkdownV2Error("formatting inside code")
            }
            content += string
        }
        try marker(opening)
        // TDLib drops a carriage return right after a code block's first line unless it is escaped.
        var first = opening.hasPrefix("```")
        for scalar in content.unicodeScalars {
            if scalar == "`" || scalar == "\\" || (first && scalar == "\r") { out += "\\" }
            out.unicodeScalars.append(scalar)
            first = false
        }
        lastMarkerEnd = nil
        try marker(closing)
    }

    mutating func quote(expandable: Bool, _ children: [StyledText.Node]) throws(MarkdownV2Error) {
        guard open.isEmpty, !inQuote else { throw MarkdownV2Error("a quote inside another element") }
        guard atLineStart else { throw MarkdownV2Error("a quote that does not start a line") }
        switch after {
        case .midLine: throw MarkdownV2Error("text on the last line of a quote (end the quote with a line break)")
        case .lineStart:
            if !expandable { throw MarkdownV2Error("a quote right after another quote") }
        case .none: break
        }
        after = .none
        out += expandable ? "**>" : ">"
        lastMarkerEnd = ">"
        atLineStart = false
        inQuote = true
        for child in children { try render(child) }
        inQuote = false
        // TDLib's quote takes the line break that ends its last line; a quote not ended by one
        // must end the text.
        if pendingLineBreak {
            pendingLineBreak = false
            out += expandable ? "||\n" : "\n"
            atLineStart = true
            lastMarkerEnd = nil
            after = .lineStart
        } else {
            if expandable { out += "||" }
            after = .midLine
        }
    }

    // MARK: Output

    /// Checks what may follow a quote, and starts a quote's continuation line.
    mutating func prepareOutput() throws(MarkdownV2Error) {
        switch after {
        case .none: break
        case .midLine:
            throw MarkdownV2Error("text on the last line of a quote (end the quote with a line break)")
        case .lineStart:
            after = .none
        }
        if pendingLineBreak {
            pendingLineBreak = false
            out += "\n"
            atLineStart = true
        }
        if inQuote, atLineStart {
            out += ">"
            lastMarkerEnd = ">"
            atLineStart = false
        }
    }

    mutating func marker(_ marker: String) throws(MarkdownV2Error) {
        try prepareOutput()
        if let first = marker.first, first == "_" || first == "`", lastMarkerEnd == first {
            if !open.contains(.bold) {
                out += "**"
            } else if !open.contains(.strikethrough) {
                out += "~~"
            } else {
                out += "[](http://t.me/)"
            }
        }
        out += marker
        lastMarkerEnd = marker.last
        atLineStart = false
    }

    mutating func emitText(_ string: String) throws(MarkdownV2Error) {
        if string.isEmpty { return }
        if !inQuote, after == .none, !pendingLineBreak {
            // Outside quotes only escaping matters: copy runs between special characters.
            let utf8 = string.utf8
            var start = utf8.startIndex
            var index = start
            while index != utf8.endIndex {
                let byte = utf8[index]
                if byte < 0x80, Self.isSpecial(Unicode.Scalar(byte)) {
                    out += string[start..<index]
                    out += "\\"
                    start = index
                }
                index = utf8.index(after: index)
            }
            out += string[start..<utf8.endIndex]
            atLineStart = utf8.last == UInt8(ascii: "\n")
            lastMarkerEnd = nil
            return
        }
        for scalar in string.unicodeScalars {
            try prepareOutput()
            if scalar == "\n" {
                if inQuote {
                    pendingLineBreak = true
                } else {
                    out += "\n"
                    atLineStart = true
                }
            } else {
                if Self.isSpecial(scalar) { out += "\\" }
                out.unicodeScalars.append(scalar)
                atLineStart = false
            }
            lastMarkerEnd = nil
        }
    }

    static func escapeURL(_ url: String) -> String {
        guard url.contains(where: { $0 == ")" || $0 == "\\" }) else { return url }
        var out = ""
        for scalar in url.unicodeScalars {
            if scalar == ")" || scalar == "\\" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
