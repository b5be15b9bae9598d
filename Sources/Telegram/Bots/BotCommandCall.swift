/// A bot command at the start of a message, such as `/start@my_bot payload`.
///
/// The rules are those TDLib uses to mark bot commands in text (`match_bot_commands` in its
/// MessageEntity.cpp): `/`, then 1 to 64 letters, digits or underscores, then optionally `@` and a
/// username of 3 to 32 such characters, then the end of the text or a character that is neither a
/// letter, a digit, an underscore, `/`, `<` nor `>`. Bots only act on a command at the very start.
public struct BotCommandCall: Sendable, Hashable {
    /// The command without its `/`, as written.
    public var name: String
    /// The bot username after `@`, when the command names one.
    public var botUsername: String?
    /// The text after the command, without surrounding white space; empty when there is none.
    public var arguments: String

    /// Reads the command at the start of `text`; `nil` when the text does not start with one.
    public init?(text: String) {
        // The command and the username are ASCII, so their ends are found on the UTF-8 view, whose
        // indices are the string's own.
        let bytes = text.utf8
        guard bytes.first == UInt8(ascii: "/") else { return nil }
        let nameStart = bytes.index(after: bytes.startIndex)
        let nameEnd = Self.wordEnd(bytes, from: nameStart)
        guard (1...64).contains(bytes.distance(from: nameStart, to: nameEnd)) else { return nil }
        var end = nameEnd
        var username: Substring?
        if end < bytes.endIndex, bytes[end] == UInt8(ascii: "@") {
            let usernameStart = bytes.index(after: end)
            end = Self.wordEnd(bytes, from: usernameStart)
            guard (3...32).contains(bytes.distance(from: usernameStart, to: end)) else { return nil }
            username = text[usernameStart..<end]
        }
        let rest = text[end...]
        if let next = rest.unicodeScalars.first {
            guard !Self.isWordCharacter(next), !["/", "<", ">"].contains(next) else { return nil }
        }
        name = String(text[nameStart..<nameEnd])
        botUsername = username.map(String.init)
        arguments = Self.trimmingWhiteSpace(rest)
    }

    /// Whether the command is for the bot `username`: it names no bot, or names this one (any case).
    public func isAddressed(to username: String) -> Bool {
        guard let botUsername else { return true }
        return botUsername.lowercased() == username.lowercased()
    }

    /// Whether the command is `/name`, in any case.
    public func isCommand(_ name: String) -> Bool {
        self.name.utf8.elementsEqual(name.utf8) { Self.asciiLowercase($0) == Self.asciiLowercase($1) }
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func wordEnd(_ bytes: String.UTF8View, from start: String.Index) -> String.Index {
        var end = start
        while end < bytes.endIndex {
            let byte = bytes[end]
            let isWord =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            guard isWord else { break }
            end = bytes.index(after: end)
        }
        return end
    }

    /// TDLib's "word character": a letter or a number of any script, or `_`.
    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            true
        default: scalar == "_"
        }
    }

    private static func trimmingWhiteSpace(_ text: Substring) -> String {
        var scalars = text.unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
