import Foundation
import Testing

@testable import TDLibAPI

@Suite("Decoding what TDLib sends")
struct DecodingTests {
    @Test("Every object of an offline session decodes to its type, none as unknown, and round-trips")
    func offlineSession() throws {
        let objects = try Fixtures.offlineSession() + Fixtures.executeAnswers()
        #expect(objects.count > 150)
        var updates = 0
        for bytes in objects {
            let text = String(decoding: bytes, as: UTF8.self)
            let object = try #require(try TDRegistry.object(json: bytes), "no type for \(text)")
            #expect(try survivesRoundTrip(object), "\(text)")
            if text.hasPrefix(#"{"@type":"updates""#) {
                let all = try Updates(json: bytes)
                for case .unknown(let unknown) in all.updates { Issue.record("decoded as unknown: \(unknown.type)") }
                #expect(all.updates.count > 100)
            } else if text.hasPrefix(#"{"@type":"update"#) {
                updates += 1
                let update = try Update(json: bytes)
                if case .unknown = update { Issue.record("decoded as unknown: \(text)") }
                #expect(try Update(json: update.jsonBytes()) == update)
            }
        }
        #expect(updates >= 120)
    }

    @Test("Typed decoding keeps every field: re-encoded JSON equals the original for Foundation")
    func sameAsFoundation() throws {
        for bytes in try Fixtures.offlineSession() + Fixtures.executeAnswers() + [Fixtures.bytes("messages.json")] {
            let object = try #require(try TDRegistry.object(json: bytes))
            let original = try foundationObjectWithoutRouting(bytes)
            let again = try foundationObjectWithoutRouting(object.jsonBytes())
            #expect(original == again, "\(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }

    @Test("A messages answer with 100 messages of mixed content decodes typed")
    func messages() throws {
        let messages = try Messages(json: Fixtures.bytes("messages.json"))
        #expect(messages.messages.count == 100)
        #expect(messages.totalCount == 4321)
        var kinds = Set<String>()
        for case let message? in messages.messages {
            switch message.content {
            case .text(let text):
                kinds.insert("text")
                #expect(!text.text.text.isEmpty)
            case .photo(let photo):
                kinds.insert("photo")
                #expect(photo.photo.sizes.count == 3)
            case .sticker: kinds.insert("sticker")
            case .document: kinds.insert("document")
            case .video: kinds.insert("video")
            case .voiceNote(let voice):
                kinds.insert("voice")
                #expect(voice.voiceNote.waveform.count == 63)
            case .location: kinds.insert("location")
            default: Issue.record("unexpected content \(message.content)")
            }
        }
        #expect(kinds.count >= 6)
        #expect(try roundTripped(messages) == messages)
    }

    @Test("An unknown @type at top level decodes as unknown with its JSON intact")
    func unknownTopLevel() throws {
        let json = #"{"@type":"updateFromTheFuture","a":[1,{"b":"c"}],"d":"é\n","@client_id":3}"#
        let update = try Update(json: json)
        guard case .unknown(let unknown) = update else {
            Issue.record("expected unknown, got \(update)")
            return
        }
        #expect(unknown.type == "updateFromTheFuture")
        #expect(unknown.json == Array(json.utf8))
        #expect(update.jsonString() == json)
    }

    @Test("An unknown @type inside an update decodes as unknown with its JSON intact")
    func unknownNested() throws {
        let inner = #"{"@type":"authorizationStateFromTheFuture","x":[true,null,-1.5e3],"y":{"@type":"z"}}"#
        let json = #"{"@type":"updateAuthorizationState","authorization_state":\#(inner)}"#
        let update = try Update(json: json)
        guard case .authorizationState(let state) = update, case .unknown(let unknown) = state.authorizationState else {
            Issue.record("expected an unknown authorization state, got \(update)")
            return
        }
        #expect(unknown.type == "authorizationStateFromTheFuture")
        #expect(unknown.json == Array(inner.utf8))
        #expect(update.jsonString() == json)
        #expect(try Update(json: update.jsonBytes()) == update)
    }

    @Test(
        "int64 above 2^53 survives a round trip exactly",
        arguments: [
            Int64(9_007_199_254_740_993), Int64.max, Int64.min, -9_007_199_254_740_993,
        ])
    func int64(value: Int64) throws {
        let json = #"{"@type":"optionValueInteger","value":"\#(value)"}"#
        let option = try OptionValue(json: json)
        #expect(option == .integer(OptionValueInteger(value: value)))
        #expect(option.jsonString() == json)
        #expect(try OptionValue(json: option.jsonBytes()) == option)
    }

    @Test("A missing required field names the field and the type")
    func missingField() throws {
        #expect(throws: TDDecodingError.missingField(field: "value", type: "testInt")) {
            try TestInt(json: #"{"@type":"testInt"}"#)
        }
        #expect(throws: TDDecodingError.missingField(field: "name", type: "updateOption")) {
            try Update(json: #"{"@type":"updateOption","value":{"@type":"optionValueEmpty"}}"#)
        }
        let error = TDDecodingError.missingField(field: "name", type: "updateOption")
        #expect(error.description.contains("name") && error.description.contains("updateOption"))
    }

    @Test("@extra and @client_id are ignored; @type may come anywhere")
    func routingKeysAndTypeOrder() throws {
        let a = try TestInt(json: #"{"@extra":{"deep":[1]},"value":5,"@type":"testInt","@client_id":1}"#)
        #expect(a == TestInt(value: 5))
        let b = try OptionValue(json: #"{"value":"x","@type":"optionValueString"}"#)
        #expect(b == .string(OptionValueString(value: "x")))
        let c = try TestInt(json: #"{"value":7}"#)
        #expect(c.value == 7)
    }

    @Test("Each decoding error has a code and keeps where and what")
    func decodingErrorCodes() throws {
        let syntax = #expect(throws: TDDecodingError.self) { try TestInt(json: #"{"@type":"testInt","value":1}x"#) }
        #expect(syntax?.code == .syntax)
        #expect(syntax?.offset == 29)
        let mismatch = #expect(throws: TDDecodingError.self) { try TestInt(json: #"{"@type":"testInt","value":"x"}"#) }
        #expect(mismatch?.code == .typeMismatch)
        #expect(mismatch?.offset == 27)
        let missing = #expect(throws: TDDecodingError.self) { try TestInt(json: #"{"@type":"testInt"}"#) }
        #expect(missing?.code == .missingField)
        #expect(missing?.field == "value")
        #expect(missing?.type == "testInt")
        let wrong = #expect(throws: TDDecodingError.self) { try TestInt(json: #"{"@type":"testString","value":"x"}"#) }
        #expect(wrong?.code == .wrongType)
        #expect(wrong?.expected == "testInt")
        #expect(wrong?.found == "testString")
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        let tooDeep = #expect(throws: TDDecodingError.self) { try TDJSONValue(json: deep) }
        #expect(tooDeep?.code == .tooDeep)
        let refused = TDDecodingError.request(message: "Can't find field \"@type\"")
        #expect(refused.code == .request)
        #expect(refused.description == "Can't find field \"@type\"")
    }

    @Test("A concrete type refuses another @type")
    func wrongType() {
        #expect(throws: TDDecodingError.wrongType(expected: "testInt", found: "testString")) {
            try TestInt(json: #"{"@type":"testString","value":"x"}"#)
        }
    }

    @Test("Requests encode with @type first, optionals left out, int64 as strings, bytes as base64")
    func requests() throws {
        let request = SetTdlibParameters(
            useTestDc: true, databaseDirectory: "/tmp/a\"b", filesDirectory: "", databaseEncryptionKey: [0, 1, 2, 255],
            useFileDatabase: false, useChatInfoDatabase: false, useMessageDatabase: false, useSecretChats: false,
            apiId: 94575, apiHash: "h", systemLanguageCode: "en", deviceModel: "d", systemVersion: "",
            applicationVersion: "1")
        let json = request.jsonString()
        #expect(json.hasPrefix(#"{"@type":"setTdlibParameters","use_test_dc":true,"database_directory":"/tmp/a\"b""#))
        #expect(json.contains(#""database_encryption_key":"AAEC/w==""#))
        #expect(try SetTdlibParameters(json: json) == request)
        let answer = GetChatHistory(chatId: -100, fromMessageId: 1 << 60, offset: -1, limit: 100, onlyLocal: false)
        #expect(answer.jsonString().contains(#""from_message_id":1152921504606846976"#))
        let message = ParseTextEntities(text: "x", parseMode: .markdown(TextParseModeMarkdown(version: 2)))
        #expect(
            message.jsonString()
                == #"{"@type":"parseTextEntities","text":"x","parse_mode":{"@type":"textParseModeMarkdown","version":2}}"#
        )
        let edit = EditMessageText(
            chatId: 1, messageId: 2,
            inputMessageContent: .text(
                InputMessageText(text: FormattedText(text: "t", entities: []), clearDraft: false)))
        #expect(!edit.jsonString().contains("reply_markup"))
    }

    @Test("Strings with escapes, surrogate pairs and control characters round-trip")
    func strings() throws {
        let value = "h\u{e9}llo \"q\" \\ / \n\r\t\u{1} \u{1F600} 日本"
        let object = TestString(value: value)
        #expect(try roundTripped(object) == object)
        let fromTDLib = try TestString(json: #"{"@type":"testString","value":"h\u00e9llo \ud83d\ude00 \/ \u0001"}"#)
        #expect(fromTDLib.value == "h\u{e9}llo \u{1F600} / \u{1}")
        #expect(try foundationObject(object.jsonBytes()) as? NSDictionary == ["@type": "testString", "value": value])
    }

    @Test("Vectors of nullable objects keep their nulls")
    func nullElements() throws {
        let json = #"{"@type":"messages","total_count":2,"messages":[null,null]}"#
        let messages = try Messages(json: json)
        #expect(messages.messages == [nil, nil])
        #expect(messages.jsonString() == json)
    }

    @Test("Deep nesting is refused, not recursed into")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: TDDecodingError.self) {
            try TDRegistry.object(json: Array((#"{"@type":"x","a":"# + deep).utf8))
        }
        var nested = #"{"@type":"jsonValueArray","values":["#
        for _ in 0..<1000 { nested += #"{"@type":"jsonValueArray","values":["# }
        #expect(throws: TDDecodingError.self) { try JsonValue(json: nested) }
    }
}
