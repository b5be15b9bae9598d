import Testing

@testable import TelegramText

@Suite struct StyledTextTests {
    func entities(_ text: StyledText) -> [Entity] { text.textWithEntities().entities }

    @Test func builderAndOperatorsGiveTheSameText() {
        let built = StyledText {
            Bold("Hello")
            ", "
            Italic {
                "wide "
                Link("world", url: "https://example.com")
            }
        }
        let added = Bold("Hello") + ", " + Italic("wide " + Link("world", url: "https://example.com"))
        #expect(built == added)
        #expect(built.plainText == "Hello, wide world")
        #expect(
            entities(built) == [
                Entity(.bold, offset: 0, length: 5),
                Entity(.italic, offset: 7, length: 10),
                Entity(.textURL("https://example.com/"), offset: 12, length: 5),
            ])
    }

    @Test func offsetsCountUTF16CodeUnits() {
        let text = StyledText {
            "😀🇺🇸e\u{301}"
            Bold("𝔸👨‍👩‍👧")
            Italic("x")
        }
        #expect(
            entities(text) == [
                Entity(.bold, offset: 8, length: 10),
                Entity(.italic, offset: 18, length: 1),
            ])
    }

    @Test func plainStringsAreEscapedInMarkup() throws {
        let text = StyledText { "<b>&amp; *_[x](y)` ~||#+-=|{}.!\\ \"'" }
        #expect(text.html() == "&lt;b&gt;&amp;amp; *_[x](y)` ~||#+-=|{}.!\\ &quot;'")
        #expect(try text.markdownV2() == ##"<b\>&amp; \*\_\[x\]\(y\)\` \~\|\|\#\+\-\=\|\{\}\.\!\\ "'"##)
        #expect(entities(text).isEmpty)
    }

    @Test func emptyElementsHaveNoEntity() throws {
        let text = StyledText {
            Bold("")
            "a"
            Italic { Bold("") }
            Quote("")
            InlineCode("")
            Link("", url: "https://x.com")
        }
        #expect(text.textWithEntities() == TextWithEntities(text: "a"))
        #expect(text.html() == "a")
        #expect(try text.markdownV2() == "a")
    }

    @Test func nestedElementsOrderLikeTDLib() {
        let text = Quote(Link(Bold(InlineCode("x")), url: "https://t.me/a"))
        #expect(
            entities(text.styledText).map(\.kind) == [.blockQuote, .code, .textURL("https://t.me/a"), .bold])
    }

    @Test func linksAreNormalizedLikeTDLib() {
        func kind(_ url: String) -> EntityKind? { entities(Link("t", url: url).styledText).first?.kind }
        #expect(kind("https://Example.COM") == .textURL("https://example.com/"))
        #expect(kind("example.com/a b") == .textURL("http://example.com/a%20b"))
        #expect(kind("https://x.com?q") == .textURL("https://x.com/?q"))
        #expect(kind("tg://user?id=42") == .mentionName(userID: 42))
        #expect(kind("TG:resolve?domain=a") == .textURL("tg://resolve?domain=a"))
        #expect(kind("ftp://x.com") == nil)
        #expect(kind("http://x") == nil)
        #expect(kind(" https://x.com") == nil)
    }

    @Test func mentionsHashtagsAndCustomEmoji() {
        let text = StyledText {
            Mention("Pavel", userID: 1)
            " "
            Mention(username: "@durov")
            " "
            Hashtag("#news")
            " "
            CustomEmoji(id: 5_368_324_170_671_202_286, fallback: "👍")
            CustomEmoji(id: 0, fallback: "!")
            Mention("big", userID: 1 << 40)
        }
        #expect(text.plainText == "Pavel @durov #news 👍!big")
        #expect(
            entities(text) == [
                Entity(.mentionName(userID: 1), offset: 0, length: 5),
                Entity(.mention, offset: 6, length: 6),
                Entity(.hashtag, offset: 13, length: 5),
                Entity(.customEmoji(id: 5_368_324_170_671_202_286), offset: 19, length: 2),
                Entity(.textURL("tg://user?id=1099511627776"), offset: 22, length: 3),
            ])
    }

    @Test func listsAreTextLines() {
        let ordered = OrderedList {
            "first"
            Bold("second")
        }
        #expect(ordered.styledText.plainText == "1. first\n2. second")
        #expect(entities(ordered.styledText) == [Entity(.bold, offset: 12, length: 6)])
        let unordered = UnorderedList {
            "a"
            "b"
        }
        #expect(unordered.styledText.plainText == "• a\n• b")
        let likeTelegramText = UnorderedList(marker: Bold("*")) { "a" }
        #expect(likeTelegramText.styledText.html() == "<b>*</b> a")
    }

    @Test func codeBlocksWithAndWithoutLanguage() throws {
        let text = StyledText {
            CodeBlock("let x = 1", language: "swift")
            "\n"
            CodeBlock("plain")
            CodeBlock("e", language: "")
        }
        #expect(
            entities(text) == [
                Entity(.preCode(language: "swift"), offset: 0, length: 9),
                Entity(.pre, offset: 10, length: 5),
                Entity(.pre, offset: 15, length: 1),
            ])
        #expect(
            text.html()
                == #"<pre><code class="language-swift">let x = 1</code></pre>"# + "\n<pre>plain</pre><pre>e</pre>")
        #expect(try text.markdownV2() == "```swift\nlet x = 1```\n```\nplain```**```\ne```")
    }

    @Test func markdownV2SeparatesAmbiguousMarkers() throws {
        #expect(try Italic(Underline("a")).styledText.markdownV2() == "_**__a__**_")
        #expect(try (Italic("a") + Underline("b")).markdownV2() == "_a_**__b__")
        #expect(try Bold(Italic(Underline("a"))).styledText.markdownV2() == "*_~~__a__~~_*")
        #expect(try (InlineCode("a") + InlineCode("b")).markdownV2() == "`a`**`b`")
    }

    @Test func markdownV2RejectsWhatItCannotExpress() {
        #expect(throws: MarkdownV2Error.self) { try Bold(Italic(Bold("x"))).styledText.markdownV2() }
        #expect(throws: MarkdownV2Error.self) { try ("x" + Quote("q")).markdownV2() }
        #expect(throws: MarkdownV2Error.self) { try Bold(Quote("q")).styledText.markdownV2() }
        #expect(throws: MarkdownV2Error.self) { try (Quote("q") + "\nmore").markdownV2() }
        #expect(throws: MarkdownV2Error.self) { try (Quote("a\n") + Quote("b")).markdownV2() }
        #expect(throws: MarkdownV2Error.self) { try (Quote("q", expandable: true) + "x").markdownV2() }
        #expect(throws: MarkdownV2Error.self) { try CodeBlock("x", language: "a b").styledText.markdownV2() }
        let boldInCode = StyledText(nodes: [.entity(.code, [.entity(.bold, [.text("x")])])])
        #expect(throws: MarkdownV2Error.self) { try boldInCode.markdownV2() }
        #expect((try? (Quote("q\n") + "more").markdownV2()) == ">q\nmore")
        #expect(throws: MarkdownV2Error.self) { try (Quote("q", expandable: true) + "\nmore").markdownV2() }
        #expect((try? (Quote("q\n", expandable: true) + "more").markdownV2()) == "**>q||\nmore")
        #expect((try? (Quote("a\n\n") + "b").markdownV2()) == ">a\n>\nb")
    }

    @Test func parsingBackNestsAndSplitsEntities() {
        let formatted = TextWithEntities(
            text: "abcdef",
            entities: [
                Entity(.italic, offset: 2, length: 4), Entity(.bold, offset: 0, length: 4),
                Entity(.mention, offset: 9, length: 2),
            ])
        let parsed = StyledText(formatted)
        #expect(parsed == Bold("ab" + Italic("cd")) + Italic("ef"))
        #expect(parsed.html() == "<b>ab<i>cd</i></b><i>ef</i>")
        let nested = TextWithEntities(
            text: "👍 hi @x",
            entities: [Entity(.customEmoji(id: 7), offset: 0, length: 2), Entity(.mention, offset: 6, length: 2)])
        #expect(StyledText(nested).textWithEntities() == nested)
    }

    @Test func stringInterpolation() throws {
        let name = "<Ada & Bob>"
        let count = 3
        let text: StyledText = "Hi \(Bold(name)), you have \(count) \(Link("new *messages*", url: "https://t.me/x"))!"
        #expect(text == "Hi " + Bold(name) + ", you have 3 " + Link("new *messages*", url: "https://t.me/x") + "!")
        #expect(
            text.html() == #"Hi <b>&lt;Ada &amp; Bob&gt;</b>, you have 3 <a href="https://t.me/x">new *messages*</a>!"#)
        #expect(try RealTDLibText.parse(text.html(), .html) == text.textWithEntities())
    }

    @Test func joiningParts() {
        let mixed: [any StyledTextComponent] = [Bold("a"), Italic("b"), StyledText("c")]
        #expect(mixed.joined(separator: " ") == Bold("a") + " " + Italic("b") + " c")
        #expect([Bold("a"), Bold("b")].joined().plainText == "ab")
    }

    @Test func parsingManyEntitiesBack() {
        let count = 5_000
        let text = String(repeating: "ab", count: count)
        let entities = (0..<count).map { Entity($0 % 2 == 0 ? .bold : .italic, offset: 2 * $0, length: 2) }
        let formatted = TextWithEntities(text: text, entities: entities)
        #expect(StyledText(formatted).textWithEntities() == formatted)
    }

    @Test func malformedEntitiesAreIgnored() {
        let formatted = TextWithEntities(
            text: "abc",
            entities: [
                Entity(.bold, offset: .max, length: .max), Entity(.italic, offset: -5, length: 7),
                Entity(.underline, offset: 1, length: -1), Entity(.code, offset: .min, length: .max),
            ])
        #expect(
            StyledText(formatted).textWithEntities()
                == TextWithEntities(text: "abc", entities: [Entity(.italic, offset: 0, length: 2)]))
    }

    @Test func jsonRoundTrip() throws {
        let text = StyledText {
            Bold("a\"\\\n\u{1}")
            Link("l", url: "https://x.com")
            Mention("m", userID: 5)
            CustomEmoji(id: -3, fallback: "e")
            CodeBlock("c", language: "py")
        }
        let formatted = text.textWithEntities()
        let decoded = try TextWithEntities(tdJSON: Array(formatted.tdJSON.utf8))
        #expect(decoded == formatted)
        #expect(formatted.tdJSON.hasPrefix(#"{"@type":"formattedText","text":"a\"\\\n\u0001lmec","entities":[{"#))
    }
}

/// The example of the documentation, kept compiling and true.
@Suite struct DocumentationExampleTests {
    @Test func example() throws {
        let order = 1042
        let message = StyledText {
            Bold("Order #\(order) confirmed")
            "\nHello "
            Mention("Ada", userID: 123456)
            ", your parcel ships today: "
            Link("track it", url: "https://example.com/track/\(order)")
            "\n"
            UnorderedList {
                "2 × " + Italic("notebook")
                Strikethrough("express") + " standard delivery"
            }
            "\n"
            Quote("Thanks for shopping with us <3\n")
            CodeBlock("ref-\(order)", language: "text")
        }
        let formatted = message.textWithEntities()
        #expect(formatted.tdJSON.hasPrefix(#"{"@type":"formattedText","text":"Order #1042 confirmed\nHello Ada"#))
        #expect(
            message.html().hasPrefix(
                #"<b>Order #1042 confirmed</b>"# + "\n" + #"Hello <a href="tg://user?id=123456">Ada</a>"#))
        #expect(try message.markdownV2().hasPrefix("*Order \\#1042 confirmed*\nHello [Ada](tg://user?id=123456)"))
        #expect(try RealTDLibText.parse(message.html(), .html) == formatted)
        #expect(try RealTDLibText.parse(try message.markdownV2(), .markdownV2) == formatted)
        let received = try TextWithEntities(tdJSON: Array(formatted.tdJSON.utf8))
        #expect(StyledText(received).html() == message.html())
    }
}
