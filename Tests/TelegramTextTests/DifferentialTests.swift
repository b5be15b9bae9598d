import Foundation
import Testing

@testable import TelegramText

/// A small, fast, seedable generator (SplitMix64), so that every run sees the same cases.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random element trees: random nesting and random Unicode.
struct TreeGenerator {
    var random: SeededGenerator
    /// Only trees that MarkdownV2 can express (no element inside one of its kind, quotes on their own lines).
    var markdownFriendly: Bool

    static let pieces: [String] = [
        "a", "Hello", " ", "  ", "\n", "\n\n", "\t", "\r\n", "x y", "0", "42", "Ünïcödé", "e\u{301}", "a\u{308}\u{323}",
        "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇺🇸", "🇩🇪🇫🇷", "🏳️‍🌈", "❤️", "𝔸𝔹", "𓀀", "\u{10FFFF}", "\u{1F600}x", "中文", "עברית", "العربية",
        "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{00A0}", "\u{2028}", "\u{FFFD}", "<", ">", "&", "&amp;", "\"", "'", "*",
        "_", "__", "[", "]", "(", ")", "~", "`", "```", "#", "+", "-", "=", "|", "||", "{", "}", ".", "!", "\\", "<b>",
        "</i>", "*bold*", "[x](http://e.com)", "@user", "#tag", "/start", ">", "**>", "\u{0}", "\u{1}", "\u{7F}",
        "\u{85}", "\u{E0001}", "\u{FE0F}",
    ]

    static let urls: [String] = [
        "https://example.com/path?q=1#f", "http://t.me/durov", "https://EXAMPLE.org", "example.com/a_b*c",
        "tg://resolve?domain=name", "tg://user?id=42", "https://x.com/a(b)c", "https://x.com/a\\b", "https://x.com/ä",
        "https://x.com/a b", "https://x.com?q", "ton://wallet", "http://1.2.3.4:8080", "ftp://x.com", "http://x",
        "https://x.com/<&\">", "https://x.com/]`|",
    ]

    static let userIDs: [Int64] = [1, 42, 777_000, (1 << 40) - 1, 1 << 40, 0, -5]
    static let emojiIDs: [Int64] = [5_368_324_170_671_202_286, 1, -1, .max, .min, 0]
    static let languages: [String] = ["swift", "c++", "a_b", "py", "", "a b", "<x>", "ü", "a\\b", "a`b"]

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func pick<T>(_ array: [T]) -> T { array[int(0..<array.count)] }
    mutating func chance(_ percent: Int) -> Bool { int(0..<100) < percent }

    mutating func text() -> String {
        var out = ""
        for _ in 0..<int(1..<4) { out += pick(Self.pieces) }
        if chance(20) {
            out += String(Unicode.Scalar(UInt32(int(0x20..<0x2FFFF))).map(Character.init) ?? "?")
        }
        return out
    }

    mutating func plainText() -> String {
        var out = text()
        if markdownFriendly { out = out.replacingOccurrences(of: "\n", with: " ") }
        return out
    }

    mutating func tree() -> StyledText {
        var result = StyledText()
        for _ in 0..<int(1..<5) {
            if markdownFriendly, chance(15) {
                result += "\n"
                let expandable = chance(40)
                let content = inline(depth: 2, open: [])
                if expandable {
                    result += Quote(content: content, expandable: true)
                    result += "\n"
                } else {
                    result += Quote(content: content + "\n")
                }
                continue
            }
            result += inline(depth: 3, open: [], allowQuotes: !markdownFriendly)
        }
        return result
    }

    enum Family: Hashable { case bold, italic, underline, strike, spoiler, link, emoji }

    mutating func inline(depth: Int, open: Set<Family>, allowQuotes: Bool? = nil) -> StyledText {
        let allowQuotes = allowQuotes ?? !markdownFriendly
        var result = StyledText()
        for _ in 0..<int(1..<4) {
            result += element(depth: depth, open: open, allowQuotes: allowQuotes)
        }
        return result
    }

    mutating func element(depth: Int, open: Set<Family>, allowQuotes: Bool) -> StyledText {
        if depth == 0 || chance(30) { return StyledText(text()) }
        func wrap(_ family: Family) -> Bool { !markdownFriendly || !open.contains(family) }
        switch int(0..<17) {
        case 0 where wrap(.bold):
            return Bold(content: inline(depth: depth - 1, open: open.union([.bold]))).styledText
        case 1 where wrap(.italic):
            return Italic(content: inline(depth: depth - 1, open: open.union([.italic]))).styledText
        case 2 where wrap(.underline):
            return Underline(content: inline(depth: depth - 1, open: open.union([.underline]))).styledText
        case 3 where wrap(.strike):
            return Strikethrough(content: inline(depth: depth - 1, open: open.union([.strike]))).styledText
        case 4 where wrap(.spoiler):
            return Spoiler(content: inline(depth: depth - 1, open: open.union([.spoiler]))).styledText
        case 5:
            return Link(content: inline(depth: depth - 1, open: open.union([.link])), url: pick(Self.urls)).styledText
        case 6:
            return Mention(content: inline(depth: depth - 1, open: open), userID: pick(Self.userIDs)).styledText
        case 7:
            return Mention(username: "user\(int(0..<100))").styledText
        case 8:
            return Hashtag("tag\(int(0..<100))").styledText
        case 9 where wrap(.emoji):
            let fallback = chance(70) ? pick(["👍", "😀", "🇺🇸", "❤️", "x"]) : plainText()
            return CustomEmoji(id: pick(Self.emojiIDs), fallback: fallback).styledText
        case 10:
            return InlineCode(text()).styledText
        case 11:
            return CodeBlock(text(), language: chance(50) ? nil : pick(Self.languages)).styledText
        case 12 where allowQuotes:
            return Quote(content: inline(depth: depth - 1, open: open), expandable: chance(30)).styledText
        case 13:
            let items = (0..<int(1..<4)).map { _ in inline(depth: depth - 1, open: open) }
            return chance(50)
                ? OrderedList(items: items, start: int(0..<12)).styledText : UnorderedList(items: items).styledText
        default:
            return StyledText(text())
        }
    }
}

@Suite struct DifferentialTests {
    static let seed: UInt64 = 0x5EED_7E1E_6AA3_0006
    static let caseCount = 10_000

    struct Mismatch: CustomStringConvertible {
        var what: String
        var index: Int
        var markup: String
        var ours: TextWithEntities
        var theirs: String
        var description: String {
            "\(what) mismatch, seed \(String(DifferentialTests.seed, radix: 16)), case \(index)\n"
                + "markup: \(markup.debugDescription)\nours:   \(ours)\ntdlib:  \(theirs)"
        }
    }

    /// Our entities equal TDLib's `parseTextEntities` of our HTML and MarkdownV2 (same text, same
    /// entities in the same order), and TDLib's result parsed back into a tree gives the same
    /// entities, HTML and MarkdownV2 again.
    @Test func localEntitiesEqualTDLibsParser() throws {
        _ = try RealTDLibText.requireLibrary()
        var generator = TreeGenerator(random: SeededGenerator(state: Self.seed), markdownFriendly: false)
        var mismatches: [Mismatch] = []
        var markdownCases = 0
        let started = ContinuousClock.now
        for index in 0..<Self.caseCount {
            generator.markdownFriendly = index % 2 == 1
            let tree = generator.tree()
            let expected = tree.textWithEntities().withoutDetectedEntities
            func check(_ what: String, _ markup: String, _ mode: RealTDLibText.Mode) -> TextWithEntities? {
                do {
                    let theirs = try RealTDLibText.parse(markup, mode)
                    if theirs.sameAsTDLib(expected) { return theirs }
                    let how = theirs.canonical == expected.canonical ? " (order of ties)" : ""
                    mismatches.append(
                        Mismatch(what: what + how, index: index, markup: markup, ours: expected, theirs: "\(theirs)"))
                } catch {
                    mismatches.append(
                        Mismatch(what: what, index: index, markup: markup, ours: expected, theirs: "\(error)"))
                }
                return nil
            }
            // Our tree → HTML → TDLib equals our local entities.
            guard let fromHTML = check("HTML", tree.html(), .html) else { continue }
            // Our tree → MarkdownV2 → TDLib, whenever we claim MarkdownV2 can express it.
            let markdown = try? tree.markdownV2()
            if let markdown {
                markdownCases += 1
                _ = check("MarkdownV2", markdown, .markdownV2)
            }
            // The other way: TDLib's formattedText → our tree → the same entities, and the markup of
            // that tree parses in TDLib to the same formattedText.
            let parsedBack = StyledText(fromHTML)
            let again = parsedBack.textWithEntities()
            if !again.sameAsTDLib(fromHTML) {
                mismatches.append(
                    Mismatch(what: "parse-back", index: index, markup: tree.html(), ours: again, theirs: "\(fromHTML)"))
            }
            _ = check("parse-back HTML", parsedBack.html(), .html)
            if markdown != nil, let markdownAgain = try? parsedBack.markdownV2() {
                _ = check("parse-back MarkdownV2", markdownAgain, .markdownV2)
            }
            if mismatches.count >= 5 { break }
        }
        let elapsed = ContinuousClock.now - started
        print(
            "differential: \(Self.caseCount) cases (seed 0x\(String(Self.seed, radix: 16))), "
                + "\(markdownCases) of them also in MarkdownV2, in \(elapsed)")
        #expect(mismatches.isEmpty, "\(mismatches.map(\.description).joined(separator: "\n\n"))")
        #expect(markdownCases >= Self.caseCount / 2, "too few MarkdownV2 cases: \(markdownCases)")
    }

    /// Entities as a received message may carry them (overlapping, nested, of every kind), turned
    /// into a tree: nothing is lost, and TDLib parses the tree's HTML to the tree's entities.
    @Test func arbitraryEntitiesParseBack() throws {
        _ = try RealTDLibText.requireLibrary()
        var random = SeededGenerator(state: Self.seed ^ 0xFFFF)
        let kinds: [EntityKind] = [
            .bold, .italic, .underline, .strikethrough, .spoiler, .code, .pre, .preCode(language: "swift"),
            .blockQuote, .expandableBlockQuote, .textURL("https://a.com/"), .textURL("tg://resolve?domain=b"),
            .mentionName(userID: 5), .customEmoji(id: 7), .mention, .hashtag, .url, .botCommand,
            .mediaTimestamp(seconds: 3),
        ]
        var failures: [String] = []
        var markdownCases = 0
        let count = 2_000
        for index in 0..<count {
            var text = ""
            for _ in 0..<Int.random(in: 1..<8, using: &random) {
                text += TreeGenerator.pieces[Int.random(in: 0..<TreeGenerator.pieces.count, using: &random)]
            }
            // Entity edges on scalar boundaries, as TDLib's always are.
            var boundaries = [0]
            for scalar in text.unicodeScalars {
                boundaries.append(boundaries[boundaries.count - 1] + scalar.utf16.count)
            }
            var entities: [Entity] = []
            for _ in 0..<Int.random(in: 0..<8, using: &random) {
                let a = boundaries[Int.random(in: 0..<boundaries.count, using: &random)]
                let b = boundaries[Int.random(in: 0..<boundaries.count, using: &random)]
                guard a != b else { continue }
                let kind = kinds[Int.random(in: 0..<kinds.count, using: &random)]
                entities.append(Entity(kind, offset: min(a, b), length: abs(a - b)))
            }
            let received = TextWithEntities(text: text, entities: entities)
            let tree = StyledText(received)
            let rebuilt = tree.textWithEntities()
            func coverage(_ formatted: TextWithEntities) -> Set<String> {
                var covered = Set<String>()
                for entity in formatted.entities {
                    for unit in entity.range { covered.insert("\(unit) \(entity.kind.sortKey)") }
                }
                return covered
            }
            if rebuilt.text != text || coverage(rebuilt) != coverage(received) {
                failures.append("case \(index): lost formatting\n in:  \(received)\n out: \(rebuilt)")
            }
            let comparable = TextWithEntities(
                text: rebuilt.text,
                entities: rebuilt.entities.filter {
                    guard case .mediaTimestamp = $0.kind else { return !$0.kind.isDetectedByTDLib }
                    return false
                })
            do {
                let theirs = try RealTDLibText.parse(tree.html(), .html)
                if !theirs.sameAsTDLib(comparable) {
                    failures.append(
                        "case \(index): HTML \(tree.html().debugDescription)\n ours:  \(comparable)\n tdlib: \(theirs)")
                }
            } catch {
                failures.append("case \(index): HTML \(tree.html().debugDescription): \(error)")
            }
            // Whenever MarkdownV2 claims it can express the tree, TDLib must read back the same.
            if let markdown = try? tree.markdownV2() {
                markdownCases += 1
                do {
                    let theirs = try RealTDLibText.parse(markdown, .markdownV2)
                    if !theirs.sameAsTDLib(comparable) {
                        failures.append(
                            "case \(index): MarkdownV2 \(markdown.debugDescription)\n ours:  \(comparable)\n tdlib: \(theirs)"
                        )
                    }
                } catch {
                    failures.append("case \(index): MarkdownV2 \(markdown.debugDescription): \(error)")
                }
            }
            if failures.count >= 5 { break }
        }
        print("arbitrary entities: \(count) cases, \(markdownCases) of them also in MarkdownV2")
        #expect(
            failures.isEmpty, "seed 0x\(String(Self.seed ^ 0xFFFF, radix: 16))\n\(failures.joined(separator: "\n\n"))")
    }
}
