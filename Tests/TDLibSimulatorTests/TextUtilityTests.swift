import Foundation
import Testing

@testable import TDLibSimulator

/// The synchronous text utilities through `td_execute`, with answers recorded from real libtdjson 1.8.66
/// (the differential suite compares thousands more against the library itself).
@Suite("Simulator: text utilities")
struct TextUtilityTests {
    func execute(_ json: String) throws -> [String: Any] {
        let simulator = TDSimulator()
        let answer = try #require(json.withCString { simulator.execute(request: $0) })
        let object = try JSONSerialization.jsonObject(with: Data(String(cString: answer).utf8))
        return try #require(object as? [String: Any])
    }

    func parse(_ text: String, mode: String) throws -> [String: Any] {
        let request: [String: Any] = ["@type": "parseTextEntities", "text": text, "parse_mode": try modeObject(mode)]
        let data = try JSONSerialization.data(withJSONObject: request)
        return try execute(String(decoding: data, as: UTF8.self))
    }

    func modeObject(_ mode: String) throws -> [String: Any] {
        switch mode {
        case "html": return ["@type": "textParseModeHTML"]
        case "v1": return ["@type": "textParseModeMarkdown", "version": 1]
        default: return ["@type": "textParseModeMarkdown", "version": 2]
        }
    }

    /// The entities as "type offset length", in order.
    func entities(_ answer: [String: Any]) -> [String] {
        (answer["entities"] as? [[String: Any]] ?? []).map { entity in
            let type = (entity["type"] as? [String: Any])?["@type"] as? String ?? "?"
            return "\(type.replacingOccurrences(of: "textEntityType", with: "")) \(entity["offset"] ?? 0) "
                + "\(entity["length"] ?? 0)"
        }
    }

    @Test func htmlOffsetsCountUTF16CodeUnits() throws {
        let answer = try parse("😀<b>é😀</b><i>x</i>", mode: "html")
        #expect(answer["text"] as? String == "😀é😀x")
        #expect(entities(answer) == ["Bold 2 3", "Italic 5 1"])
    }

    @Test func htmlErrorsAreTDLibs() throws {
        let answer = try parse("<b>x</i>", mode: "html")
        #expect(answer["code"] as? Int == 400)
        #expect(
            answer["message"] as? String
                == #"Can't parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>""#)
        let unknown = try parse("<q>x</q>", mode: "html")
        #expect(unknown["message"] as? String == #"Can't parse entities: Unsupported start tag "q" at byte offset 0"#)
    }

    @Test func markdownV2NestsAndEscapes() throws {
        let answer = try parse("*bold _it_* \\*not\\* [l](http://e.com)", mode: "v2")
        #expect(answer["text"] as? String == "bold it *not* l")
        #expect(entities(answer) == ["Bold 0 7", "Italic 5 2", "TextUrl 14 1"])
        let reserved = try parse("a.b", mode: "v2")
        #expect(
            reserved["message"] as? String
                == "Can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'")
    }

    @Test func markdownV2ExpandableQuote() throws {
        let answer = try parse("**>one\n>two||", mode: "v2")
        #expect(answer["text"] as? String == "one\ntwo")
        #expect(entities(answer) == ["ExpandableBlockQuote 0 7"])
    }

    @Test func legacyMarkdownReadsLinksAsTDLibDoes() throws {
        // TDLib rewrites the text in place, so a `[text]` link after markup reads shifted bytes as its URL.
        let answer = try parse("*a*[example.com]", mode: "v1")
        #expect(answer["text"] as? String == "aexample.com")
        let url = ((answer["entities"] as? [[String: Any]])?.last?["type"] as? [String: Any])?["url"] as? String
        #expect(url == "http://mple.comcom/")
        let unclosed = try parse("_x", mode: "v1")
        #expect(
            unclosed["message"] as? String
                == "Can't parse entities: Can't find end of the entity starting at byte offset 0")
    }

    @Test func otherUtilities() throws {
        #expect(try execute(#"{"@type":"getCountryFlagEmoji","country_code":"us"}"#)["text"] as? String == "🇺🇸")
        let shortcut = try execute(#"{"@type":"checkQuickReplyShortcutName","name":"a b"}"#)
        #expect(shortcut["code"] as? Int == 200)
        #expect(shortcut["message"] as? String == "A letter is not allowed")
    }
}
