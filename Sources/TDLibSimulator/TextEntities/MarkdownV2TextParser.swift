/// `textParseModeMarkdown` version 2: TDLib's `parse_markdown_v2` (`td/telegram/MessageEntity.cpp`, commit
/// 022d602), rule for rule: its reserved characters, nesting, block quotes, and every error message it gives.
struct MarkdownV2TextParser {
    private struct OpenEntity {
        var kind: ParsedEntity.Kind
        var argument: [UInt8]
        var offset: Int32
        var byteOffset: Int
        var resultStart: Int
    }

    private static let reserved = Array("_*[]()~`>#+-=|{}.!\n".utf8)

    private static func reservedError(_ byte: UInt8) -> TextParseError {
        TextParseError(
            "Character '" + String(decoding: [byte], as: UTF8.self)
                + "' is reserved and must be escaped with the preceding '\\'")
    }

    private static func endError(_ entity: OpenEntity) -> TextParseError {
        TextParseError("Can't find end of \(entity.kind.name) entity at byte offset \(entity.byteOffset)")
    }

    /// Reads a `(…)` URL whose `(` is at `i + 1`, leaving `i` at its `)`; backslash escapes are taken.
    private static func readURL(_ text: ParsedBytes, _ i: inout Int) throws(TextParseError) -> [UInt8] {
        i += 2
        let start = i
        var url: [UInt8] = []
        while i < text.count && text[i] != UInt8(ascii: ")") {
            if text[i] == UInt8(ascii: "\\") && text[i + 1] > 0 && text[i + 1] <= 126 {
                url.append(text[i + 1])
                i += 2
                continue
            }
            url.append(text[i])
            i += 1
        }
        if text[i] != UInt8(ascii: ")") { throw TextParseError("Can't find end of a URL at byte offset \(start)") }
        return url
    }

    /// Parses `input`; the text without markup and its entities, sorted as TDLib sorts them.
    static func parse(_ input: [UInt8]) throws(TextParseError) -> (text: [UInt8], entities: [ParsedEntity]) {
        var text = ParsedBytes(bytes: input)
        var resultSize = 0
        var entities: [ParsedEntity] = []
        var utf16Offset: Int32 = 0
        var open: [OpenEntity] = []
        var haveBlockQuote = false
        var canStartBlockQuote = true

        func emit(_ byte: UInt8) {
            text[resultSize] = byte
            resultSize += 1
        }

        var i = 0
        while i < text.count {
            defer { i += 1 }
            let c = text[i]
            if c == UInt8(ascii: "\\") && text[i + 1] > 0 && text[i + 1] <= 126 {
                i += 1
                utf16Offset += 1
                emit(text[i])
                if text[i] != 0x0D { canStartBlockQuote = text[i] == 0x0A }
                continue
            }
            let inCode = open.last.map { $0.kind == .code || $0.kind == .pre || $0.kind == .preCode } ?? false
            let isReserved = inCode ? c == UInt8(ascii: "`") : reserved.contains(c)
            if !isReserved {
                if TextBytes.isFirstCodeUnit(c) {
                    utf16Offset += TextBytes.utf16Width(c)
                    if c != 0x0D { canStartBlockQuote = false }
                }
                emit(c)
                continue
            }

            let isEnd: Bool
            if let last = open.last {
                if haveBlockQuote && c == 0x0A && (i + 1 == text.count || text[i + 1] != UInt8(ascii: ">")) {
                    isEnd = true
                } else {
                    switch last.kind {
                    case .bold: isEnd = c == UInt8(ascii: "*")
                    case .italic: isEnd = c == UInt8(ascii: "_") && text[i + 1] != UInt8(ascii: "_")
                    case .code: isEnd = c == UInt8(ascii: "`")
                    case .pre, .preCode:
                        isEnd =
                            c == UInt8(ascii: "`") && text[i + 1] == UInt8(ascii: "`")
                            && text[i + 2] == UInt8(ascii: "`")
                    case .textURL, .customEmoji: isEnd = c == UInt8(ascii: "]")
                    case .underline: isEnd = c == UInt8(ascii: "_") && text[i + 1] == UInt8(ascii: "_")
                    case .strikethrough: isEnd = c == UInt8(ascii: "~")
                    case .spoiler: isEnd = c == UInt8(ascii: "|") && text[i + 1] == UInt8(ascii: "|")
                    default: isEnd = false
                    }
                }
            } else {
                isEnd = false
            }

            if !isEnd {
                var kind: ParsedEntity.Kind
                var argument: [UInt8] = []
                let byteOffset = i
                switch c {
                case UInt8(ascii: "_"):
                    if text[i + 1] == UInt8(ascii: "_") {
                        kind = .underline
                        i += 1
                    } else {
                        kind = .italic
                    }
                case UInt8(ascii: "*"): kind = .bold
                case UInt8(ascii: "~"): kind = .strikethrough
                case UInt8(ascii: "|"):
                    guard text[i + 1] == UInt8(ascii: "|") else { throw reservedError(c) }
                    i += 1
                    kind = .spoiler
                case UInt8(ascii: "["): kind = .textURL
                case UInt8(ascii: "`"):
                    if text[i + 1] == UInt8(ascii: "`") && text[i + 2] == UInt8(ascii: "`") {
                        i += 3
                        kind = .pre
                        var languageEnd = i
                        while !TextBytes.isSpace(text[languageEnd]) && text[languageEnd] != UInt8(ascii: "`") {
                            languageEnd += 1
                        }
                        if i != languageEnd && languageEnd < text.count && text[languageEnd] != UInt8(ascii: "`") {
                            kind = .preCode
                            argument = Array(text.bytes[i..<languageEnd])
                            i = languageEnd
                        }
                        text.skipLineBreak(at: &i)
                        i -= 1
                    } else {
                        kind = .code
                    }
                case UInt8(ascii: "!"):
                    guard text[i + 1] == UInt8(ascii: "[") else { throw reservedError(c) }
                    i += 1
                    kind = .customEmoji
                case 0x0A:
                    utf16Offset += 1
                    emit(0x0A)
                    canStartBlockQuote = true
                    continue
                case UInt8(ascii: ">"):
                    guard canStartBlockQuote else { throw reservedError(c) }
                    if haveBlockQuote { continue }
                    kind = .blockQuote
                    haveBlockQuote = true
                default:
                    throw reservedError(c)
                }
                open.append(
                    OpenEntity(
                        kind: kind, argument: argument, offset: utf16Offset, byteOffset: byteOffset,
                        resultStart: resultSize))
                continue
            }

            // The end of an entity.
            guard var last = open.last else { continue }
            var kind = last.kind
            if c == 0x0A && kind != .blockQuote {
                let expandableMark =
                    last.byteOffset == i - 2
                    || (last.byteOffset == i - 3 && resultSize != 0 && text[resultSize - 1] == 0x0D)
                if kind != .spoiler || !expandableMark { throw endError(last) }
                open.removeLast()
                guard let quote = open.last else { throw endError(last) }
                if quote.kind != .blockQuote { throw endError(quote) }
                last = quote
                kind = .expandableBlockQuote
            }
            var argument = last.argument
            var userID: Int64?
            var customEmojiID: Int64?
            var date: FormattedDateValue?
            var skip = utf16Offset == last.offset
            switch kind {
            case .underline, .spoiler: i += 1
            case .pre, .preCode: i += 2
            case .textURL:
                var url: [UInt8]
                if text[i + 1] != UInt8(ascii: "(") {
                    url = Array(text.bytes[last.resultStart..<resultSize])
                } else {
                    url = try readURL(text, &i)
                }
                userID = TextLinks.userID(url)
                if userID == nil {
                    url = TextLinks.checkedLink(url)
                    if url.isEmpty { skip = true } else { argument = url }
                }
            case .customEmoji:
                guard text[i + 1] == UInt8(ascii: "(") else {
                    throw TextParseError("The entity must contain a tg://emoji or tg://time URL")
                }
                let url = try readURL(text, &i)
                if let id = try? TextLinks.customEmojiID(url) {
                    customEmojiID = id
                } else if let value = try? TextLinks.formattedDate(url) {
                    date = value
                    kind = .formattedDate
                } else {
                    throw TextParseError("Invalid tg://emoji or tg://time URL specified")
                }
            case .blockQuote, .expandableBlockQuote:
                haveBlockQuote = false
                emit(text[i])
                canStartBlockQuote = true
                utf16Offset += 1
                skip = false
            default: break
            }
            if !skip {
                var entity = ParsedEntity(kind: kind, offset: last.offset, length: utf16Offset - last.offset)
                if let userID {
                    entity.kind = .mentionName
                    entity.userID = userID
                } else if let customEmojiID {
                    entity.customEmojiID = customEmojiID
                } else if let date {
                    entity.date = date
                } else {
                    entity.argument = argument
                }
                entities.append(entity)
            }
            open.removeLast()
        }
        if haveBlockQuote, var last = open.last {
            var kind = ParsedEntity.Kind.blockQuote
            if last.kind == .spoiler && last.byteOffset == text.count - 2 {
                open.removeLast()
                if let quote = open.last { last = quote }
                kind = .expandableBlockQuote
            }
            if last.kind == .blockQuote {
                let length = utf16Offset - last.offset
                if length != 0 { entities.append(ParsedEntity(kind: kind, offset: last.offset, length: length)) }
                open.removeLast()
            }
        }
        if let last = open.last { throw endError(last) }
        return (Array(text.bytes[0..<resultSize]), ParsedEntity.sorted(entities))
    }
}
