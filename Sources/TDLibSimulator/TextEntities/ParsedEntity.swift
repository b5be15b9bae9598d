import TDLibAPI

/// An entity as TDLib's text parsers produce it (`MessageEntity` in `td/telegram/MessageEntity.h` at commit
/// 022d602): its kind, its place in UTF-16 code units, and its argument.
struct ParsedEntity: Equatable {
    /// The kinds the parsers make, with TDLib's names (used in its error messages) and sort priorities.
    enum Kind: Equatable {
        case bold, italic, underline, strikethrough, spoiler, code, pre, preCode, textURL, mentionName
        case customEmoji, blockQuote, expandableBlockQuote, formattedDate

        /// The name TDLib prints for the kind in "Can't find end of … entity".
        var name: String {
            switch self {
            case .bold: "Bold"
            case .italic: "Italic"
            case .underline: "Underline"
            case .strikethrough: "Strikethrough"
            case .spoiler: "Spoiler"
            case .code: "Code"
            case .pre: "Pre"
            case .preCode: "PreCode"
            case .textURL: "TextUrl"
            case .mentionName: "MentionName"
            case .customEmoji: "CustomEmoji"
            case .blockQuote: "BlockQuote"
            case .expandableBlockQuote: "ExpandableBlockQuote"
            case .formattedDate: "Date"
            }
        }

        /// `MessageEntity::get_type_priority`: the order of entities that start and end together.
        var priority: Int {
            switch self {
            case .bold: 90
            case .italic: 91
            case .underline: 92
            case .strikethrough: 93
            case .spoiler: 94
            case .customEmoji: 99
            case .code: 20
            case .pre: 11
            case .preCode: 10
            case .textURL, .mentionName: 49
            case .formattedDate: 30
            case .blockQuote, .expandableBlockQuote: 0
            }
        }
    }

    var kind: Kind
    var offset: Int32
    var length: Int32
    /// A URL, a code language.
    var argument: [UInt8] = []
    var userID: Int64 = 0
    var customEmojiID: Int64 = 0
    var date = FormattedDateValue(date: 0, flags: 0)

    /// TDLib's order: by offset, longer first, then by priority.
    static func precedes(_ lhs: ParsedEntity, _ rhs: ParsedEntity) -> Bool {
        if lhs.offset != rhs.offset { return lhs.offset < rhs.offset }
        if lhs.length != rhs.length { return lhs.length > rhs.length }
        return lhs.kind.priority < rhs.kind.priority
    }

    /// `sort_entities`; a stable sort, as libstdc++'s insertion sort is for the few entities of a text.
    static func sorted(_ entities: [ParsedEntity]) -> [ParsedEntity] {
        let indexed = entities.enumerated().sorted { lhs, rhs in
            if precedes(lhs.element, rhs.element) { return true }
            if precedes(rhs.element, lhs.element) { return false }
            return lhs.offset < rhs.offset
        }
        return indexed.map(\.element)
    }

    /// `get_text_entity_type_object`.
    var textEntity: TextEntity {
        let type: TextEntityType
        switch kind {
        case .bold: type = .bold(TextEntityTypeBold())
        case .italic: type = .italic(TextEntityTypeItalic())
        case .underline: type = .underline(TextEntityTypeUnderline())
        case .strikethrough: type = .strikethrough(TextEntityTypeStrikethrough())
        case .spoiler: type = .spoiler(TextEntityTypeSpoiler())
        case .code: type = .code(TextEntityTypeCode())
        case .pre: type = .pre(TextEntityTypePre())
        case .preCode: type = .preCode(TextEntityTypePreCode(language: String(decoding: argument, as: UTF8.self)))
        case .textURL: type = .textUrl(TextEntityTypeTextUrl(url: String(decoding: argument, as: UTF8.self)))
        case .mentionName: type = .mentionName(TextEntityTypeMentionName(userId: userID))
        case .customEmoji: type = .customEmoji(TextEntityTypeCustomEmoji(customEmojiId: customEmojiID))
        case .blockQuote: type = .blockQuote(TextEntityTypeBlockQuote())
        case .expandableBlockQuote: type = .expandableBlockQuote(TextEntityTypeExpandableBlockQuote())
        case .formattedDate:
            type = .dateTime(TextEntityTypeDateTime(unixTime: date.date, formattingType: date.formattingType))
        }
        return TextEntity(offset: offset, length: length, type: type)
    }
}

/// A failure of a text parser: TDLib's message, without the "Can't parse entities: " its caller adds.
struct TextParseError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A date entity's date and `FormattedDate`'s flags (`td/telegram/FormattedDate.cpp`).
struct FormattedDateValue: Equatable {
    var date: Int32
    var flags: Int

    static let relative = 1
    static let shortTime = 2
    static let longTime = 4
    static let shortDate = 8
    static let longDate = 16
    static let dayOfWeek = 32

    /// `FormattedDate::get_date_flags`: "r" or "R", or letters of t, T, d, D, w, W.
    static func flags(format: [UInt8]) throws(TextParseError) -> Int {
        if format == [UInt8(ascii: "r")] || format == [UInt8(ascii: "R")] { return relative }
        var flags = 0
        for byte in format {
            switch byte {
            case UInt8(ascii: "t"): flags |= shortTime
            case UInt8(ascii: "T"): flags |= longTime
            case UInt8(ascii: "d"): flags |= shortDate
            case UInt8(ascii: "D"): flags |= longDate
            case UInt8(ascii: "w"), UInt8(ascii: "W"): flags |= dayOfWeek
            default: throw TextParseError("Invalid date format used")
            }
        }
        return flags
    }

    /// `get_date_time_formatting_type_object`.
    var formattingType: DateTimeFormattingType? {
        if flags == 0 { return nil }
        if flags & Self.relative != 0 { return .relative(DateTimeFormattingTypeRelative()) }
        func precision(short: Int, long: Int) -> DateTimePartPrecision {
            if flags & short != 0 { return .short(DateTimePartPrecisionShort()) }
            if flags & long != 0 { return .long(DateTimePartPrecisionLong()) }
            return .none(DateTimePartPrecisionNone())
        }
        return .absolute(
            DateTimeFormattingTypeAbsolute(
                timePrecision: precision(short: Self.shortTime, long: Self.longTime),
                datePrecision: precision(short: Self.shortDate, long: Self.longDate),
                showDayOfWeek: flags & Self.dayOfWeek != 0))
    }
}

/// A text being parsed in place, as TDLib's parsers rewrite their `std::string`: reads past the end give
/// the terminating zero, so the parsers' look-aheads behave as TDLib's do.
struct ParsedBytes {
    var bytes: [UInt8]

    subscript(index: Int) -> UInt8 {
        get { index < bytes.count ? bytes[index] : 0 }
        set { bytes[index] = newValue }
    }

    var count: Int { bytes.count }

    /// Steps over one line break at `index` (`\n`, `\r`, `\r\n` or `\n\r`), as a code block's language
    /// line ends in TDLib's Markdown parsers.
    func skipLineBreak(at index: inout Int) {
        let byte = self[index]
        guard byte == 0x0A || byte == 0x0D else { return }
        let next = self[index + 1]
        index += (next == 0x0A || next == 0x0D) && next != byte ? 2 : 1
    }
}

/// Byte classes of `td/utils/misc.h` and `td/utils/utf8.h`.
enum TextBytes {
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A || byte == 0 || byte == 0x0B
    }
    static func isAlpha(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte | 0x20) && byte < 0x80 }
    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func isAlnum(_ byte: UInt8) -> Bool { isAlpha(byte) || isDigit(byte) }
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x61...0x66).contains(byte | 0x20) && byte < 0x80
    }
    static func hexValue(_ byte: UInt8) -> UInt32 {
        isDigit(byte) ? UInt32(byte - 0x30) : UInt32((byte | 0x20) - 0x61 + 10)
    }
    static func isFirstCodeUnit(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }
    /// UTF-16 code units of the character a first code unit starts.
    static func utf16Width(_ byte: UInt8) -> Int32 { byte >= 0xF0 ? 2 : 1 }

    static func lowercased(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
    }

    /// `to_integer_safe`: the text must be the integer's own decimal writing.
    static func exactInteger<T: FixedWidthInteger & SignedInteger>(_ bytes: some Collection<UInt8>, as: T.Type)
        -> T?
    {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let value = T(text), String(value) == text else { return nil }
        return value
    }

    /// `to_integer<int32>`: leading digits after an optional minus, wrapping around.
    static func leadingInt32(_ bytes: [UInt8]) -> Int32 {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var value: UInt32 = 0
        while index < bytes.count, isDigit(bytes[index]) {
            value = value &* 10 &+ UInt32(bytes[index] - 0x30)
            index += 1
        }
        if value > UInt32(Int32.max) {
            value = ~value &+ 1
            negative.toggle()
            if value > UInt32(Int32.max) { return Int32.min }
        }
        return negative ? -Int32(value) : Int32(value)
    }

    /// `check_utf8`: well-formed UTF-8 without surrogates or code points past U+10FFFF.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func next() -> UInt32 {
            defer { index += 1 }
            return index < bytes.count ? UInt32(bytes[index]) : 0
        }
        while index < bytes.count {
            let a = next()
            if a & 0x80 == 0 { continue }
            guard a & 0x40 != 0 else { return false }
            let b = next()
            guard b & 0xC0 == 0x80 else { return false }
            if a & 0x20 == 0 {
                guard a & 0x1E > 0 else { return false }
                continue
            }
            let c = next()
            guard c & 0xC0 == 0x80 else { return false }
            if a & 0x10 == 0 {
                let x = ((a & 0x0F) << 6) | (b & 0x20)
                guard x != 0, x != 0x360 else { return false }
                continue
            }
            let d = next()
            guard d & 0xC0 == 0x80 else { return false }
            guard a & 0x08 == 0 else { return false }
            let t = ((a & 0x07) << 6) | (b & 0x30)
            guard t > 0, t < 0x110 else { return false }
        }
        return index == bytes.count
    }

    /// `append_utf8_character_unsafe`, surrogates included (the caller rechecks the text).
    static func utf8(of code: UInt32) -> [UInt8] {
        if code <= 0x7F { return [UInt8(code)] }
        if code <= 0x7FF { return [UInt8(0xC0 | (code >> 6)), UInt8(0x80 | (code & 0x3F))] }
        if code <= 0xFFFF {
            return [UInt8(0xE0 | (code >> 12)), UInt8(0x80 | ((code >> 6) & 0x3F)), UInt8(0x80 | (code & 0x3F))]
        }
        return [
            UInt8(0xF0 | (code >> 18)), UInt8(0x80 | ((code >> 12) & 0x3F)), UInt8(0x80 | ((code >> 6) & 0x3F)),
            UInt8(0x80 | (code & 0x3F)),
        ]
    }
}
