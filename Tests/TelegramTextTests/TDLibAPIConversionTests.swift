import TDLibAPI
import Testing

@testable import TelegramText
@testable import TelegramTextTDLibAPI

/// Conversions to and from the generated `FormattedText`, checked through its JSON coding.
@Suite struct TDLibAPIConversionTests {
    @Test func everyKindRoundTrips() throws {
        let kinds: [EntityKind] = [
            .bold, .italic, .underline, .strikethrough, .spoiler, .code, .pre, .preCode(language: "swift"),
            .blockQuote, .expandableBlockQuote, .textURL("https://t.me/"), .mentionName(userID: 42),
            .customEmoji(id: .min), .mention, .hashtag, .cashtag, .botCommand, .url, .emailAddress, .phoneNumber,
            .bankCardNumber, .mediaTimestamp(seconds: 61),
        ]
        let value = TextWithEntities(
            text: String(repeating: "x", count: kinds.count),
            entities: kinds.enumerated().map { Entity($1, offset: $0, length: 1) })
        let generated = FormattedText(value)
        #expect(TextWithEntities(generated) == value)
        // The generated type's JSON and ours decode to the same value.
        #expect(try FormattedText(json: value.tdJSON) == generated)
        #expect(try TextWithEntities(tdJSON: generated.jsonBytes()) == value)
    }

    @Test func unmodelledKindsKeepTheirJSON() throws {
        let json = #"{"@type":"textEntityTypeDateTime","unix_time":1700000000}"#
        let type = try TextEntityType(json: json)
        let kind = EntityKind(type)
        guard case .other = kind else {
            Issue.record("expected .other, got \(kind)")
            return
        }
        #expect(TextEntityType(kind) == type)
    }

    @Test func styledTextToGeneratedAndBack() {
        let text = Bold("Hi ") + Mention("Ada", userID: 7) + " " + Quote(CodeBlock("x", language: "py"))
        let generated = text.formattedText
        #expect(generated.text == "Hi Ada x")
        #expect(StyledText(generated) == StyledText(text.textWithEntities()))
        #expect(StyledText(generated).textWithEntities() == text.textWithEntities())
    }

    @Test func messageContent() throws {
        let content = InputMessageText(Bold("hi") + " there")
        #expect(
            content.text
                == FormattedText(
                    text: "hi there", entities: [TextEntity(offset: 0, length: 2, type: .bold(TextEntityTypeBold()))]))
        #expect(content.clearDraft == false)
        #expect(try InputMessageText(json: content.jsonBytes()) == content)
    }
}
