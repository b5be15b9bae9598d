/// `textParseModeHTML`: TDLib's `parse_html` (`td/telegram/MessageEntity.cpp`, commit 022d602), rule for rule:
/// the tags it knows, its attribute reading, its HTML entities, and every error message it gives.
struct HTMLTextParser {
    private struct OpenTag {
        var name: [UInt8]
        var argument: [UInt8]
        var date: Int32
        var offset: Int32
        var resultStart: Int
    }

    private static let knownTags: Set<[UInt8]> = Set(
        [
            "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji", "tg-time",
            "span", "pre", "code", "blockquote",
        ].map { Array($0.utf8) })

    /// `decode_html_entity`: the character of the reference at `position`, moving past it; 0 when there is none.
    static func decodeEntity(_ text: ParsedBytes, _ position: inout Int) -> UInt32 {
        var end = position + 1
        var code: UInt32 = 0
        if text[position + 1] == UInt8(ascii: "#") {
            end += 1
            if text[position + 2] == UInt8(ascii: "x") {
                end += 1
                while TextBytes.isHexDigit(text[end]) {
                    code = code &* 16 &+ TextBytes.hexValue(text[end])
                    end += 1
                }
            } else {
                while TextBytes.isDigit(text[end]) {
                    code = code &* 10 &+ UInt32(text[end] - 0x30)
                    end += 1
                }
            }
            if code == 0 || code >= 0x10FFFF || end - position >= 10 { return 0 }
        } else {
            while TextBytes.isAlpha(text[end]) { end += 1 }
            switch String(decoding: text.bytes[(position + 1)..<end], as: UTF8.self) {
            case "lt": code = 0x3C
            case "gt": code = 0x3E
            case "amp": code = 0x26
            case "quot": code = 0x22
            default: return 0
            }
        }
        position = text[end] == UInt8(ascii: ";") ? end + 1 : end
        return code
    }

    /// Parses `input`; the text without markup and its entities, sorted as TDLib sorts them.
    static func parse(_ input: [UInt8]) throws(TextParseError) -> (text: [UInt8], entities: [ParsedEntity]) {
        var text = ParsedBytes(bytes: input)
        let size = input.count
        var resultEnd = 0
        var entities: [ParsedEntity] = []
        var utf16Offset: Int32 = 0
        var needsUTF8Check = false
        var open: [OpenTag] = []

        var i = 0
        while i < size {
            defer { i += 1 }
            let c = text[i]
            if c == UInt8(ascii: "&") {
                var position = i
                let code = decodeEntity(text, &position)
                if code != 0 {
                    i = position - 1
                    utf16Offset += code > 0xFFFF ? 2 : 1
                    if (0xD800...0xDFFF).contains(code) { needsUTF8Check = true }
                    for byte in TextBytes.utf8(of: code) {
                        text[resultEnd] = byte
                        resultEnd += 1
                    }
                    continue
                }
            }
            if c != UInt8(ascii: "<") {
                if TextBytes.isFirstCodeUnit(c) { utf16Offset += TextBytes.utf16Width(c) }
                text[resultEnd] = c
                resultEnd += 1
                continue
            }

            let begin = i
            i += 1
            if text[i] != UInt8(ascii: "/") {
                while !TextBytes.isSpace(text[i]) && text[i] != UInt8(ascii: ">") { i += 1 }
                if text[i] == 0 { throw TextParseError("Unclosed start tag at byte offset \(begin)") }
                let tagBytes = TextBytes.lowercased(text.bytes[(begin + 1)..<i])
                let tag = String(decoding: tagBytes, as: UTF8.self)
                guard knownTags.contains(tagBytes) else {
                    throw TextParseError("Unsupported start tag \"\(tag)\" at byte offset \(begin)")
                }
                var argument: [UInt8] = []
                var date: Int32 = 0
                while text[i] != UInt8(ascii: ">") {
                    while text[i] != 0 && TextBytes.isSpace(text[i]) { i += 1 }
                    if text[i] == UInt8(ascii: ">") { break }
                    let attributeStart = i
                    while !TextBytes.isSpace(text[i]) && !"=>/\"'".utf8.contains(text[i]) { i += 1 }
                    let attribute = String(decoding: text.bytes[attributeStart..<i], as: UTF8.self)
                    if attribute.isEmpty {
                        throw TextParseError("Empty attribute name in the tag \"\(tag)\" at byte offset \(begin)")
                    }
                    while text[i] != 0 && TextBytes.isSpace(text[i]) { i += 1 }
                    if text[i] != UInt8(ascii: "=") {
                        if text[i] == 0 {
                            throw TextParseError("Unclosed start tag \"\(tag)\" at byte offset \(begin)")
                        }
                        if tag == "blockquote" && attribute == "expandable" { argument = [UInt8(ascii: "1")] }
                        continue
                    }
                    i += 1
                    while text[i] != 0 && TextBytes.isSpace(text[i]) { i += 1 }
                    if text[i] == 0 { throw TextParseError("Unclosed start tag \"\(tag)\" at byte offset \(begin)") }
                    var value: [UInt8]
                    if text[i] != UInt8(ascii: "'") && text[i] != UInt8(ascii: "\"") {
                        let tokenStart = i
                        while TextBytes.isAlnum(text[i]) || text[i] == UInt8(ascii: ".") || text[i] == UInt8(ascii: "-")
                        {
                            i += 1
                        }
                        value = TextBytes.lowercased(text.bytes[tokenStart..<i])
                        if !TextBytes.isSpace(text[i]) && text[i] != UInt8(ascii: ">") {
                            throw TextParseError("Unexpected end of name token at byte offset \(tokenStart)")
                        }
                    } else {
                        let quote = text[i]
                        i += 1
                        value = []
                        while text[i] != quote && text[i] != 0 {
                            if text[i] == UInt8(ascii: "&") {
                                var position = i
                                let code = decodeEntity(text, &position)
                                if code != 0 {
                                    i = position
                                    value += TextBytes.utf8(of: code)
                                    continue
                                }
                            }
                            value.append(text[i])
                            i += 1
                        }
                        if text[i] == quote { i += 1 }
                    }
                    if text[i] == 0 { throw TextParseError("Unclosed start tag at byte offset \(begin)") }
                    switch (tag, attribute) {
                    case ("a", "href"), ("tg-emoji", "emoji-id"), ("tg-time", "format"): argument = value
                    case ("code", "class") where value.starts(with: Array("language-".utf8)):
                        argument = Array(value.dropFirst(9))
                    case ("span", "class") where value.starts(with: Array("tg-".utf8)):
                        argument = Array(value.dropFirst(3))
                    case ("blockquote", "expandable"): argument = [UInt8(ascii: "1")]
                    case ("tg-time", "unix"): date = TextBytes.leadingInt32(value)
                    default: break
                    }
                }
                if tag == "span" && argument != Array("spoiler".utf8) {
                    throw TextParseError("Tag \"span\" must have class \"tg-spoiler\" at byte offset \(begin)")
                }
                open.append(
                    OpenTag(name: tagBytes, argument: argument, date: date, offset: utf16Offset, resultStart: resultEnd)
                )
            } else {
                guard let last = open.last else { throw TextParseError("Unexpected end tag at byte offset \(begin)") }
                while !TextBytes.isSpace(text[i]) && text[i] != UInt8(ascii: ">") { i += 1 }
                let endTag = TextBytes.lowercased(text.bytes[(begin + 2)..<min(i, size)])
                while TextBytes.isSpace(text[i]) && text[i] != 0 { i += 1 }
                if text[i] != UInt8(ascii: ">") { throw TextParseError("Unclosed end tag at byte offset \(begin)") }
                let tag = String(decoding: last.name, as: UTF8.self)
                if !endTag.isEmpty && endTag != last.name {
                    throw TextParseError(
                        "Unmatched end tag at byte offset \(begin), expected \"</\(tag)>\", found \"</"
                            + String(decoding: endTag, as: UTF8.self) + ">\"")
                }
                if utf16Offset > last.offset {
                    let result = Array(text.bytes[last.resultStart..<resultEnd])
                    try close(last, tag: tag, length: utf16Offset - last.offset, content: result, into: &entities)
                }
                open.removeLast()
            }
        }
        if let last = open.last {
            throw TextParseError(
                "Can't find end tag corresponding to start tag \"" + String(decoding: last.name, as: UTF8.self) + "\"")
        }
        for index in entities.indices where entities[index].kind == .code { entities[index].argument = [] }
        let result = Array(text.bytes[0..<resultEnd])
        if needsUTF8Check && !TextBytes.isValidUTF8(result) {
            throw TextParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched "
                    + "surrogate code units")
        }
        return (result, ParsedEntity.sorted(entities))
    }

    /// The entity an end tag closes.
    private static func close(
        _ tag: OpenTag, tag name: String, length: Int32, content: [UInt8], into entities: inout [ParsedEntity]
    ) throws(TextParseError) {
        let offset = tag.offset
        func add(_ kind: ParsedEntity.Kind) {
            entities.append(ParsedEntity(kind: kind, offset: offset, length: length))
        }
        switch name {
        case "i", "em": add(.italic)
        case "b", "strong": add(.bold)
        case "s", "strike", "del": add(.strikethrough)
        case "u", "ins": add(.underline)
        case "tg-spoiler", "span": add(.spoiler)
        case "tg-emoji":
            guard let id = TextBytes.exactInteger(tag.argument, as: Int64.self), id != 0 else {
                throw TextParseError("Invalid custom emoji identifier specified")
            }
            var entity = ParsedEntity(kind: .customEmoji, offset: offset, length: length)
            entity.customEmojiID = id
            entities.append(entity)
        case "tg-time":
            let flags = try FormattedDateValue.flags(format: tag.argument)
            if tag.date > 0 {
                var entity = ParsedEntity(kind: .formattedDate, offset: offset, length: length)
                entity.date = FormattedDateValue(date: tag.date, flags: flags)
                entities.append(entity)
            }
        case "a":
            let url = tag.argument.isEmpty ? content : tag.argument
            if let entity = TextLinks.entity(url: url, offset: offset, length: length) { entities.append(entity) }
        case "pre":
            if let last = entities.last, last.kind == .code, last.offset == offset, last.length == length,
                !last.argument.isEmpty
            {
                entities[entities.count - 1].kind = .preCode
            } else {
                add(.pre)
            }
        case "code":
            if let last = entities.last, last.kind == .pre, last.offset == offset, last.length == length,
                !tag.argument.isEmpty
            {
                entities[entities.count - 1].kind = .preCode
                entities[entities.count - 1].argument = tag.argument
            } else {
                entities.append(ParsedEntity(kind: .code, offset: offset, length: length, argument: tag.argument))
            }
        default:
            add(tag.argument.isEmpty ? .blockQuote : .expandableBlockQuote)
        }
    }
}
