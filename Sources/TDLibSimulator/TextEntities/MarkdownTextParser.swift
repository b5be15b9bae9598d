/// `textParseModeMarkdown` versions 0 and 1: TDLib's `parse_markdown` (`td/telegram/MessageEntity.cpp`, commit
/// 022d602). The text is rewritten in place as TDLib rewrites it, so a link written `[text]` reads its URL
/// from the same bytes TDLib reads it from.
struct MarkdownTextParser {
    /// Parses `input`; the text without markup and its entities, in TDLib's order.
    static func parse(_ input: [UInt8]) throws(TextParseError) -> (text: [UInt8], entities: [ParsedEntity]) {
        var text = ParsedBytes(bytes: input)
        let size = input.count
        var resultSize = 0
        var entities: [ParsedEntity] = []
        var utf16Offset: Int32 = 0
        let markers = Array("_*`[".utf8)

        func copy(_ index: Int) {
            let byte = text[index]
            if TextBytes.isFirstCodeUnit(byte) { utf16Offset += TextBytes.utf16Width(byte) }
            text[resultSize] = byte
            resultSize += 1
        }

        var i = 0
        while i < size {
            defer { i += 1 }
            let c = text[i]
            if c == UInt8(ascii: "\\") && markers.contains(text[i + 1]) {
                i += 1
                text[resultSize] = text[i]
                resultSize += 1
                utf16Offset += 1
                continue
            }
            if !markers.contains(c) {
                copy(i)
                continue
            }

            let begin = i
            let endCharacter = c == UInt8(ascii: "[") ? UInt8(ascii: "]") : c
            var isPre = false
            i += 1
            var language: [UInt8] = []
            if c == UInt8(ascii: "`") && text[i] == UInt8(ascii: "`") && text[i + 1] == UInt8(ascii: "`") {
                i += 2
                isPre = true
                var languageEnd = i
                while !TextBytes.isSpace(text[languageEnd]) && text[languageEnd] != UInt8(ascii: "`") {
                    languageEnd += 1
                }
                if i != languageEnd && languageEnd < size && text[languageEnd] != UInt8(ascii: "`") {
                    language = Array(text.bytes[i..<languageEnd])
                    i = languageEnd
                }
                text.skipLineBreak(at: &i)
            }

            let entityOffset = utf16Offset
            while i < size
                && (text[i] != endCharacter
                    || (isPre && !(text[i + 1] == UInt8(ascii: "`") && text[i + 2] == UInt8(ascii: "`"))))
            {
                copy(i)
                i += 1
            }
            if i == size { throw TextParseError("Can't find end of the entity starting at byte offset \(begin)") }

            if entityOffset != utf16Offset {
                let length = utf16Offset - entityOffset
                switch c {
                case UInt8(ascii: "_"):
                    entities.append(ParsedEntity(kind: .italic, offset: entityOffset, length: length))
                case UInt8(ascii: "*"): entities.append(ParsedEntity(kind: .bold, offset: entityOffset, length: length))
                case UInt8(ascii: "["):
                    var url: [UInt8] = []
                    if text[i + 1] != UInt8(ascii: "(") {
                        url = Array(text.bytes[(begin + 1)..<i])
                    } else {
                        i += 2
                        while i < size && text[i] != UInt8(ascii: ")") {
                            url.append(text[i])
                            i += 1
                        }
                    }
                    if let entity = TextLinks.entity(url: url, offset: entityOffset, length: length) {
                        entities.append(entity)
                    }
                default:
                    if !isPre {
                        entities.append(ParsedEntity(kind: .code, offset: entityOffset, length: length))
                    } else if language.isEmpty {
                        entities.append(ParsedEntity(kind: .pre, offset: entityOffset, length: length))
                    } else {
                        entities.append(
                            ParsedEntity(kind: .preCode, offset: entityOffset, length: length, argument: language))
                    }
                }
            }
            if isPre { i += 2 }
        }
        return (Array(text.bytes[0..<resultSize]), entities)
    }
}
