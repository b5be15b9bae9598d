import Testing

@testable import TelegramText

/// Hand-written cases where Telegram's rules are subtle, each checked three ways: our local
/// entities, TDLib's parse of our HTML, and (where MarkdownV2 can express it) of our MarkdownV2.
@Suite struct SubtleCasesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: StyledText
        var expected: TextWithEntities
        var markdownV2: Bool = true
        var testDescription: String { name }
    }

    static func e(_ kind: EntityKind, _ offset: Int, _ length: Int) -> Entity {
        Entity(kind, offset: offset, length: length)
    }

    static let cases: [Case] = [
        Case(
            name: "adjacent entities of one kind stay two",
            text: Bold("a") + Bold("b"),
            expected: TextWithEntities(text: "ab", entities: [e(.bold, 0, 1), e(.bold, 1, 1)])),
        Case(
            name: "adjacent italic and underline",
            text: Italic("a") + Underline("b") + Italic("c"),
            expected: TextWithEntities(
                text: "abc", entities: [e(.italic, 0, 1), e(.underline, 1, 1), e(.italic, 2, 1)])),
        Case(
            name: "underline inside italic at both edges",
            text: Italic(Underline("a")).styledText,
            expected: TextWithEntities(text: "a", entities: [e(.italic, 0, 1), e(.underline, 0, 1)])),
        Case(
            name: "whitespace at entity edges is kept",
            text: "x" + Bold(" a ") + Italic("\n") + Underline("\t"),
            expected: TextWithEntities(
                text: "x a \n\t", entities: [e(.bold, 1, 3), e(.italic, 4, 1), e(.underline, 5, 1)])),
        Case(
            name: "whitespace-only text keeps its entity",
            text: Spoiler("  ").styledText,
            expected: TextWithEntities(text: "  ", entities: [e(.spoiler, 0, 2)])),
        Case(
            name: "empty elements vanish",
            text: Bold("") + "x" + Italic(Bold("")) + Link("", url: "https://t.me") + InlineCode("")
                + CodeBlock("", language: "swift") + CustomEmoji(id: 5, fallback: ""),
            expected: TextWithEntities(text: "x")),
        Case(
            name: "code inside bold, link and spoiler",
            text: Bold(InlineCode("a")) + Link(InlineCode("b"), url: "https://t.me/x") + Spoiler(InlineCode("`")),
            expected: TextWithEntities(
                text: "ab`",
                entities: [
                    e(.code, 0, 1), e(.bold, 0, 1), e(.code, 1, 1), e(.textURL("https://t.me/x"), 1, 1),
                    e(.code, 2, 1), e(.spoiler, 2, 1),
                ])),
        Case(
            name: "markup inside code is literal",
            text: InlineCode("<b>*x*</b> & `y` \\") + CodeBlock("```\n_z_", language: "c++"),
            expected: TextWithEntities(
                text: "<b>*x*</b> & `y` \\```\n_z_",
                entities: [e(.code, 0, 18), e(.preCode(language: "c++"), 18, 7)])),
        Case(
            name: "code block inside a quote",
            text: Quote(CodeBlock("a\nb", language: "swift")).styledText,
            expected: TextWithEntities(
                text: "a\nb", entities: [e(.blockQuote, 0, 3), e(.preCode(language: "swift"), 0, 3)])),
        Case(
            name: "code block starting with a carriage return",
            text: CodeBlock("\r\nx").styledText,
            expected: TextWithEntities(text: "\r\nx", entities: [e(.pre, 0, 3)])),
        Case(
            name: "bold inside a link inside a quote",
            text: Quote {
                "see "
                Link(url: "https://example.com/a") { Bold("this") }
            } + "\n",
            expected: TextWithEntities(
                text: "see this\n",
                entities: [e(.blockQuote, 0, 8), e(.textURL("https://example.com/a"), 4, 4), e(.bold, 4, 4)]),
            markdownV2: false),
        Case(
            name: "a quote that ends with its line break",
            text: Quote("q\n") + "after",
            expected: TextWithEntities(text: "q\nafter", entities: [e(.blockQuote, 0, 2)])),
        Case(
            name: "a quote, then an expandable quote",
            text: Quote("a\n") + Quote("b", expandable: true),
            expected: TextWithEntities(text: "a\nb", entities: [e(.blockQuote, 0, 2), e(.expandableBlockQuote, 2, 1)])),
        Case(
            name: "an expandable quote, then a quote (MarkdownV2 would join them)",
            text: Quote("a\n", expandable: true) + Quote("b"),
            expected: TextWithEntities(text: "a\nb", entities: [e(.expandableBlockQuote, 0, 2), e(.blockQuote, 2, 1)]),
            markdownV2: false),
        Case(
            name: "an element inside one of its kind",
            text: Bold(Italic(Bold("x"))).styledText,
            expected: TextWithEntities(text: "x", entities: [e(.bold, 0, 1), e(.bold, 0, 1), e(.italic, 0, 1)]),
            markdownV2: false),
        Case(
            name: "a link inside a link: the inner one first",
            text: Link(Link("x", url: "https://b.com/"), url: "https://a.com/").styledText,
            expected: TextWithEntities(
                text: "x", entities: [e(.textURL("https://b.com/"), 0, 1), e(.textURL("https://a.com/"), 0, 1)])),
        Case(
            name: "UTF-16 lengths of emoji, flags, combining marks, astral characters",
            text: Bold("👨‍👩‍👧") + Italic("🇺🇸") + Underline("e\u{301}") + Strikethrough("𝔸") + Spoiler("\u{10FFFF}"),
            expected: TextWithEntities(
                text: "👨‍👩‍👧🇺🇸e\u{301}𝔸\u{10FFFF}",
                entities: [
                    e(.bold, 0, 8), e(.italic, 8, 4), e(.underline, 12, 2), e(.strikethrough, 14, 2),
                    e(.spoiler, 16, 2),
                ])),
        Case(
            name: "mentions by id in and out of range",
            text: Mention("a", userID: 1) + Mention("b", userID: 0) + Mention("c", userID: 1 << 40),
            expected: TextWithEntities(
                text: "abc",
                entities: [
                    e(.mentionName(userID: 1), 0, 1), e(.textURL("tg://user?id=0"), 1, 1),
                    e(.textURL("tg://user?id=1099511627776"), 2, 1),
                ])),
        Case(
            name: "custom emoji with extreme identifiers",
            text: CustomEmoji(id: .max, fallback: "👍") + CustomEmoji(id: .min, fallback: "❤️"),
            expected: TextWithEntities(
                text: "👍❤️", entities: [e(.customEmoji(id: .max), 0, 2), e(.customEmoji(id: .min), 2, 2)])),
        Case(
            name: "links that TDLib normalizes or drops",
            text: Link("a", url: "HTTPS://Example.COM") + Link("b", url: "example.com/x y")
                + Link("c", url: "ftp://x.com") + Link("d", url: "tg:resolve?domain=x"),
            expected: TextWithEntities(
                text: "abcd",
                entities: [
                    e(.textURL("https://example.com/"), 0, 1), e(.textURL("http://example.com/x%20y"), 1, 1),
                    e(.textURL("tg://resolve?domain=x"), 3, 1),
                ])),
        Case(
            name: "lists",
            text: OrderedList(start: 9) {
                "a"
                Bold("b")
            } + "\n" + UnorderedList(marker: Bold("*")) { Italic("c") },
            expected: TextWithEntities(
                text: "9. a\n10. b\n* c", entities: [e(.bold, 9, 1), e(.bold, 11, 1), e(.italic, 13, 1)])),
        Case(
            name: "markup characters in plain text are literal",
            text: StyledText("<b>x</b> &amp; *y* _z_ [l](http://a.com) `c` ~s~ ||p|| > # + - = { } . ! \\ \"'"),
            expected: TextWithEntities(
                text: "<b>x</b> &amp; *y* _z_ [l](http://a.com) `c` ~s~ ||p|| > # + - = { } . ! \\ \"'")),
    ]

    @Test(arguments: cases) func subtleCase(_ testCase: Case) throws {
        let ours = testCase.text.textWithEntities()
        #expect(ours == testCase.expected, "local")
        #expect(try RealTDLibText.parse(testCase.text.html(), .html) == testCase.expected, "HTML")
        if testCase.markdownV2 {
            let markdown = try testCase.text.markdownV2()
            #expect(try RealTDLibText.parse(markdown, .markdownV2) == testCase.expected, "MarkdownV2: \(markdown)")
        } else {
            #expect(throws: MarkdownV2Error.self) { try testCase.text.markdownV2() }
        }
        #expect(StyledText(ours).textWithEntities() == ours, "parse back")
    }

    /// Mentions by username and hashtags are plain text in markup; TDLib finds them by itself.
    @Test func usernamesAndHashtagsAreFoundByTDLib() throws {
        let text = Mention(username: "durov") + " and " + Hashtag("news")
        let ours = text.textWithEntities()
        #expect(ours.entities == [Entity(.mention, offset: 0, length: 6), Entity(.hashtag, offset: 11, length: 5)])
        #expect(try RealTDLibText.detect(ours.text) == ours.entities)
        #expect(try RealTDLibText.parse(text.html(), .html).entities.isEmpty)
    }
}
