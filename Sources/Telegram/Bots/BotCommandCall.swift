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
        let scalars = Array(text.unicodeScalars)
        guard scalars.first == "/" else { return nil }
        var index = 1
        let nameEnd = Self.wordEnd(scalars, from: index)
        guard (1...64).contains(nameEnd - index) else { return nil }
        name = String(String.UnicodeScalarView(scalars[index..<nameEnd]))
        index = nameEnd
        botUsername = nil
        if index < scalars.count, scalars[index] == "@" {
            let usernameEnd = Self.wordEnd(scalars, from: index + 1)
            guard (3...32).contains(usernameEnd - index - 1) else { return nil }
            botUsername = String(String.UnicodeScalarView(scalars[(index + 1)..<usernameEnd]))
            index = usernameEnd
        }
        if index < scalars.count {
            let next = scalars[index]
            guard !Self.isWordCharacter(next), !["/", "<", ">"].contains(next) else { return nil }
        }
        arguments = String(String.UnicodeScalarView(scalars[index...])).trimmingWhiteSpace
    }

    /// Whether the command is for the bot `username`: it names no bot, or names this one (any case).
    public func isAddressed(to username: String) -> Bool {
        guard let botUsername else { return true }
        return botUsername.lowercased() == username.lowercased()
    }

    private static func wordEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var end = start
        while end < scalars.count, scalars[end].isASCII,
            ("a"..."z").contains(scalars[end]) || ("A"..."Z").contains(scalars[end])
                || ("0"..."9").contains(scalars[end]) || scalars[end] == "_"
        {
            end += 1
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
}

extension String {
    fileprivate var trimmingWhiteSpace: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
