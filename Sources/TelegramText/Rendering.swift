extension StyledText {
    /// TDLib's `formattedText` for this text, computed locally with no call to TDLib.
    ///
    /// The result equals what TDLib's `parseTextEntities` returns for ``html()``: one entity per
    /// non-empty element, offsets and lengths in UTF-16 code units, in TDLib's order. Mentions by
    /// username and hashtags carry their entities too, which markup cannot (TDLib finds those again
    /// when sending; ``TextWithEntities/removingDetectedEntities()`` drops them).
    public func textWithEntities() -> TextWithEntities {
        var text = ""
        var offset = 0
        var entities: [Entity] = []
        var open: [(kind: EntityKind, start: Int)] = []
        for piece in pieces {
            switch piece {
            case .text(let string):
                text += string
                offset += string.utf16.count
            case .open(let kind):
                open.append((kind, offset))
            case .close:
                // Appended when it closes, after what it contains: among entities over the same range
                // with the same priority, TDLib lists the inner one first.
                guard let entity = open.popLast() else { continue }
                if offset > entity.start, let kind = entity.kind.resolved {
                    entities.append(Entity(kind, offset: entity.start, length: offset - entity.start))
                }
            }
        }
        entities.sort(by: Entity.tdlibOrder)
        return TextWithEntities(text: text, entities: entities)
    }

    /// The text in Telegram's HTML: tags for entities, `&lt;`, `&gt;`, `&amp;` and `&quot;` for literal text.
    public func html() -> String {
        var out = ""
        // Elements with no text leave no tags: find them first.
        let skip = emptyEntitySpans()
        var index = 0
        var closing: [String] = []
        while index < pieces.count {
            switch pieces[index] {
            case .text(let string):
                HTMLRenderer.appendEscaped(string, to: &out)
            case .open(let kind):
                if let end = skip[index] {
                    index = end
                } else {
                    let tags: (open: String, close: String) = kind.resolved.map(HTMLRenderer.tags(for:)) ?? ("", "")
                    out += tags.open
                    closing.append(tags.close)
                }
            case .close:
                out += closing.popLast() ?? ""
            }
            index += 1
        }
        return out
    }
}

extension StyledText {
    /// For each opening piece of an element without text, the index of its closing piece.
    func emptyEntitySpans() -> [Int: Int] {
        var result: [Int: Int] = [:]
        var open: [(index: Int, hasText: Bool)] = []
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .text(let string):
                if !string.isEmpty, !open.isEmpty { open[open.count - 1].hasText = true }
            case .open:
                open.append((index, false))
            case .close:
                guard let element = open.popLast() else { continue }
                if element.hasText {
                    if !open.isEmpty { open[open.count - 1].hasText = true }
                } else {
                    result[element.index] = index
                }
            }
        }
        return result
    }
}

extension TextWithEntities {
    /// Telegram HTML for this text (entities that partly overlap are split so that tags nest).
    public func html() -> String { StyledText(self).html() }

    /// MarkdownV2 for this text; see ``StyledText/markdownV2()``.
    /// - Throws: ``MarkdownV2Error`` when MarkdownV2 cannot express the entities exactly.
    public func markdownV2() throws(MarkdownV2Error) -> String { try StyledText(self).markdownV2() }
}

extension EntityKind {
    /// The kind as TDLib stores it, or `nil` when TDLib would drop the entity.
    ///
    /// Text URLs are checked and normalized (see ``Link``), user identifiers out of TDLib's range
    /// become plain `tg://user?id=` links, a custom emoji identifier of 0 and an empty pre-code
    /// language are not kept.
    public var resolved: EntityKind? {
        switch self {
        case .textURL(let url):
            return TDLibURL.check(url)
        case .mentionName(let userID):
            return TDLibURL.isValidUserID(userID) ? self : .textURL("tg://user?id=\(userID)")
        case .customEmoji(let id):
            return id == 0 ? nil : self
        case .preCode(let language):
            return language.isEmpty ? .pre : self
        default:
            return self
        }
    }
}

enum HTMLRenderer {
    static func tags(for kind: EntityKind) -> (open: String, close: String) {
        switch kind {
        case .bold: return ("<b>", "</b>")
        case .italic: return ("<i>", "</i>")
        case .underline: return ("<u>", "</u>")
        case .strikethrough: return ("<s>", "</s>")
        case .spoiler: return ("<tg-spoiler>", "</tg-spoiler>")
        case .code: return ("<code>", "</code>")
        case .pre: return ("<pre>", "</pre>")
        case .preCode(let language):
            var open = #"<pre><code class="language-"#
            appendEscaped(language, to: &open)
            open += #"">"#
            return (open, "</code></pre>")
        case .blockQuote: return ("<blockquote>", "</blockquote>")
        case .expandableBlockQuote: return ("<blockquote expandable>", "</blockquote>")
        case .textURL(let url):
            var open = #"<a href=""#
            appendEscaped(url, to: &open)
            open += #"">"#
            return (open, "</a>")
        case .mentionName(let userID): return (#"<a href="tg://user?id=\#(userID)">"#, "</a>")
        case .customEmoji(let id): return (#"<tg-emoji emoji-id="\#(id)">"#, "</tg-emoji>")
        case .mention, .hashtag, .cashtag, .botCommand, .url, .emailAddress, .phoneNumber, .bankCardNumber,
            .mediaTimestamp, .other:
            return ("", "")
        }
    }

    static func appendEscaped(_ string: String, to out: inout String) {
        var needsEscaping = false
        for byte in string.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 {
            needsEscaping = true
            break
        }
        guard needsEscaping else {
            out += string
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}

/// TDLib's check of link URLs, for the common shapes of URL.
enum TDLibURL {
    static let maxUserID: Int64 = (1 << 40) - 1

    static func isValidUserID(_ id: Int64) -> Bool { id > 0 && id <= maxUserID }

    static func check(_ url: String) -> EntityKind? {
        if let unchanged = alreadyNormalized(url) { return unchanged }
        guard let first = url.unicodeScalars.first, let last = url.unicodeScalars.last,
            !first.properties.isWhitespace, !last.properties.isWhitespace
        else { return nil }
        var rest = Substring(url)
        var scheme = "http"
        if let separator = url.range(of: "://") {
            scheme = url[..<separator.lowerBound].lowercased()
            rest = url[separator.upperBound...]
        } else if url.count > 3, url.prefix(3).lowercased() == "tg:" {
            scheme = "tg"
            rest = url.dropFirst(3)
        }
        switch scheme {
        case "tg":
            if rest.isEmpty { return nil }
            let lowered = "tg://" + rest
            if rest.hasPrefix("user?id=") {
                let digits = rest.dropFirst("user?id=".count).prefix { $0 != "&" }
                if let first = digits.first, first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                    let id = Int64(digits), isValidUserID(id)
                {
                    return .mentionName(userID: id)
                }
            }
            return .textURL(lowered)
        case "http", "https", "ton":
            return checkWeb(scheme: scheme, rest: rest)
        default:
            return nil
        }
    }

    /// The common case, checked on bytes: `http(s)://` and a lowercase host with a dot, then `/`.
    private static func alreadyNormalized(_ url: String) -> EntityKind? {
        var url = url
        return url.withUTF8 { bytes -> EntityKind? in
            let prefixLength: Int
            if bytes.starts(with: "https://".utf8) {
                prefixLength = 8
            } else if bytes.starts(with: "http://".utf8) {
                prefixLength = 7
            } else {
                return nil
            }
            var index = prefixLength
            var sawDot = false
            while index < bytes.count, bytes[index] != UInt8(ascii: "/") {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                    break
                case UInt8(ascii: "."):
                    guard index > prefixLength, bytes[index - 1] != UInt8(ascii: ".") else { return nil }
                    sawDot = true
                default:
                    return nil
                }
                index += 1
            }
            guard sawDot, index < bytes.count, bytes[index - 1] != UInt8(ascii: ".") else { return nil }
            for byte in bytes[index...] where byte <= 0x20 || byte == 0x7F { return nil }
            return .textURL(String(decoding: bytes, as: UTF8.self))
        }
    }

    private static func checkWeb(scheme: String, rest: Substring) -> EntityKind? {
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<hostEnd]
        var tail = rest[hostEnd...]
        let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        var host = hostAndPort
        if let colon = hostAndPort.lastIndex(of: ":") {
            let port = hostAndPort[hostAndPort.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(port), value <= 65535
            else { return nil }
            host = hostAndPort[..<colon]
        }
        guard !host.isEmpty, scheme == "ton" || (host.contains(".") && !host.hasSuffix(".") && !host.hasPrefix("."))
        else { return nil }
        var result = scheme + "://" + authority.lowercased()
        if tail.isEmpty || tail.first != "/" { result += "/" }
        if tail.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            var encoded = ""
            for scalar in tail.unicodeScalars {
                if scalar.value <= 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
                } else {
                    encoded.unicodeScalars.append(scalar)
                }
            }
            tail = Substring(encoded)
        }
        result += tail
        return .textURL(result)
    }
}
