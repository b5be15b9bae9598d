import Foundation
import TDLibSimulator
import Telegram
import TelegramText
import Testing

/// Issue 10: bad input on every public entry point gives a clear typed error or a correct result,
/// never a crash or a hang, and no secret in any error.
@Suite("Reliability: bad input against the simulator")
struct BadInputTests {
    static let huge = String(repeating: "0123456789", count: 1_000_000)  // 10 MB

    /// Bytes a Swift `String` cannot hold: invalid UTF-8 and a lone surrogate, raw and escaped.
    static let undeliverable: [[UInt8]] = [
        Array(#"{"@type":"testCallString","x":"a"#.utf8) + [0xFF] + Array(#"b"}"#.utf8),
        Array(#"{"@type":"testCallString","x":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),
        Array(#"{"@type":"testCallString","x":""#.utf8) + [0xC0, 0x80] + Array(#""}"#.utf8),
        Array(#"{"@type":"testCallString","x":"\ud800"}"#.utf8),
        Array(#"{"@type":"testCallString","x":"\udc00\ud800"}"#.utf8),
        Array(#"{"@type":"test"#.utf8) + [0xFE] + Array(#"Call"}"#.utf8),
        Array(#"{"@type":"testCallEmpty"}"#.utf8) + [0],
        Array(#"{"@type":"testCallString","x":"a"#.utf8) + [0] + Array(#"b"}"#.utf8),
        Array(#"{"@type":"testCallEmpty","z":"#.utf8) + nested(101),
        [], Array("   ".utf8), Array("null".utf8), Array(#"{"@type":5}"#.utf8),
        Array(#"{"@type":"testCallEmpty","@extra":"mine"}"#.utf8),
    ]

    static func nested(_ depth: Int) -> [UInt8] {
        Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}").utf8)
    }

    @Test func rawJSONTheClientCannotDeliverIsRefusedLocally() async throws {
        try await withSimulator { simulator in
            let manager = try TDClientManager.shared(for: simulator)
            let client = try manager.createClient(updateBuffering: .discard)
            let refused = await runConcurrently(Self.undeliverable.count) { index in
                _ = try await client.send(json: Self.undeliverable[index], timeout: .seconds(30))
            }
            report("raw requests that cannot be delivered", refused)
            #expect(refused.failed == ["invalidRequest": Self.undeliverable.count])
            // td_execute hands `@extra` back, so only that last request is one execute may take.
            for bytes in Self.undeliverable.dropLast() {
                let error = #expect(throws: TDClientError.self) { try manager.execute(json: bytes) }
                #expect(error?.code == .invalidRequest)
            }
            try await client.close()
        }
    }

    @Test func rawJSONAtTheEdgesIsAnsweredOrRefusedByTDLibWithItsError() async throws {
        try await withSimulator { simulator in
            let client = try TDClientManager.shared(for: simulator).createClient(updateBuffering: .discard)
            @Sendable func send(_ json: String) async throws -> [String: Any] {
                try await client.send(json: json, timeout: .seconds(30)).jsonObject()
            }
            // What TDLib accepts: NUL as an escape, surrogate pairs, 100 nested arrays, 10 MB of text.
            #expect(try await send(#"{"@type":"testCallString","x":"a\u0000b"}"#)["value"] as? String == "a\u{0}b")
            #expect(try await send(#"{"@type":"testCallString","x":"\ud83d\ude00"}"#)["value"] as? String == "😀")
            let deep = String(decoding: Self.nested(100), as: UTF8.self)
            #expect(try await send(#"{"@type":"testCallEmpty","z":\#(deep)"#)["@type"] as? String == "ok")
            #expect(try await send(#"{"@type":"testCallString","x":"\#(Self.huge)"}"#)["value"] as? String == Self.huge)

            // Numbers TDLib cannot take and malformed parameters: its 400, with the request's @extra kept.
            let malformed = [
                #"{"@type":"testSquareInt","x":18446744073709551616}"#,
                #"{"@type":"testSquareInt","x":9223372036854775807}"#,
                #"{"@type":"testSquareInt","x":-9223372036854775808}"#,
                #"{"@type":"testSquareInt","x":1e400}"#,
                #"{"@type":"testSquareInt","x":"abc"}"#,
                #"{"@type":"testSquareInt","x":[1]}"#,
                #"{"@type":"testCallString","x":{"nested":true}}"#,
                #"{"@type":"getUser","user_id":18446744073709551616}"#,
                #"{"@type":""}"#,
                #"{"@type":"noSuchMethod"}"#,
            ]
            let outcomes = await runConcurrently(malformed.count) { index in _ = try await send(malformed[index]) }
            report("malformed raw parameters", outcomes)
            #expect(outcomes.lost == 0)
            #expect(outcomes.answered == 0)
            #expect(outcomes.failed.keys.allSatisfy { $0.hasPrefix("TDLib 400 ") || $0.hasPrefix("TDLib 401 ") })
            try await client.close()
        }
    }

    @Test func typedCallsWithExtremeIdentifiersGetTDLibsErrors() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN")
            )
            #expect(try await tg.login(blocking: false) == .ready)
            for id in [Int64.min, -1, 0, Int64.max] {
                await expectTDLibError("Chat not found") { _ = try await tg.getChat(id) }
                await expectTDLibError("User not found") { _ = try await tg.getUser(id) }
                await expectTDLibError("Chat not found") { _ = try await tg.sendMessage(chatID: id, text: "hi") }
                await expectTDLibError("Not Found") { _ = try await tg.getMessage(chatID: 2001, messageID: id) }
            }
            for limit in [Int32.min, -1, 0] {
                await expectTDLibError("Parameter limit must be positive") {
                    _ = try await tg.getChatHistory(chatID: 2001, limit: limit)
                }
                await expectTDLibError("Parameter limit must be positive") { _ = try await tg.getChats(limit: limit) }
            }
            // TDLib's checks of the offset (MessagesManager::get_dialog_history); a huge limit is cut to 100.
            await expectTDLibError("Parameter offset must be greater than -100") {
                _ = try await tg.getChatHistory(chatID: 2001, limit: Int32.max, offset: Int32.min)
            }
            await expectTDLibError("Parameter offset must be non-positive") {
                _ = try await tg.getChatHistory(chatID: 2001, limit: Int32.max, offset: Int32.max)
            }
            _ = try await tg.getChatHistory(chatID: 2001, limit: Int32.max, offset: -99)
            await tg.stop()
        }
    }

    @Test func rawCallsByNameRefuseWhatTDLibCannotTakeAndKeepTheRest() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN")
            )
            #expect(try await tg.login(blocking: false) == .ready)
            let echoed = try await tg.callMethod("testCallString", ["x": .string("nul\u{0}inside")]).jsonObject()
            #expect(echoed["value"] as? String == "nul\u{0}inside")
            let big = try await tg.callMethod("testCallString", ["x": .string(Self.huge)]).jsonObject()
            #expect((big["value"] as? String)?.count == Self.huge.count)

            await expectTDLibError("Failed to parse JSON object as TDLib request: Unknown class \"\"") {
                _ = try await tg.callMethod("")
            }
            for value: TDJSONValue in [.string("abc"), .double(.nan), .double(1e300), .array([1]), .null] {
                await #expect(throws: TDLibError.self) { _ = try await tg.callMethod("getChat", ["chat_id": value]) }
            }
            var deep: TDJSONValue = 1
            for _ in 0..<200 { deep = .array([deep]) }
            let tooDeep = await #expect(throws: TDClientError.self) {
                _ = try await tg.callMethod("testCallEmpty", ["z": deep])
            }
            #expect(tooDeep?.code == .invalidRequest)
            let extra = await #expect(throws: TDClientError.self) {
                _ = try await tg.callMethod("testCallEmpty", ["@extra": 5])
            }
            #expect(extra?.code == .invalidRequest)
            await tg.stop()
        }
    }

    @Test func messagesEmptyHugeOrWithNULGetTDLibsAnswers() async throws {
        try await withSimulator { simulator in
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, botToken: "1000001:SIMULATOR-BOT-TOKEN")
            )
            #expect(try await tg.login(blocking: false) == .ready)
            await expectTDLibError("Message must be non-empty") { _ = try await tg.sendMessage(chatID: 2001, text: "") }
            await expectTDLibError("Message must be non-empty") {
                _ = try await tg.sendMessage(chatID: 2001, text: " \n\t")
            }
            await expectTDLibError("MESSAGE_TOO_LONG") { _ = try await tg.sendMessage(chatID: 2001, text: Self.huge) }
            await expectTDLibError("MESSAGE_TOO_LONG") {
                _ = try await tg.sendMessage(chatID: 2001, StyledText { Bold(Self.huge) })
            }
            let withNUL = try await tg.sendMessage(chatID: 2001, text: "a\u{0}b")
            guard case .text(let text) = withNUL.content else {
                Issue.record("expected a text message")
                await tg.stop()
                return
            }
            #expect(text.text.text == "a\u{0}b")
            // Entities beyond the text are the server's to judge; the client sends them as given.
            let outside = TextEntity(offset: Int32.max, length: Int32.max, type: .bold(TextEntityTypeBold()))
            _ = try await tg.sendMessage(chatID: 2001, text: "x", entities: [outside])
            await tg.stop()
        }
    }

    @Test func loginStepsRefuseBadAnswersTypedAndNeverEchoTheSecret() async throws {
        try await withSimulator { simulator in
            let alice = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
            let early = await #expect(throws: TelegramError.self) { try await alice.sendPassword("hunter2") }
            #expect(early?.code == .unexpectedState)
            #expect(early?.description.contains("hunter2") == false)
            guard case .waitCode = try await alice.login(blocking: false) else {
                Issue.record("expected WAIT_CODE")
                await alice.stop()
                return
            }
            for wrong in ["", "\u{0}", "1111\u{0}1", Self.huge] {
                let error = await #expect(throws: TDLibError.self) { try await alice.sendCode(wrong) }
                #expect(error?.message == "PHONE_CODE_INVALID")
                if case .waitCode = alice.authorizationState {} else { Issue.record("the state must stay WAIT_CODE") }
            }
            #expect(try await alice.sendCode("11111") == .ready)
            await alice.stop()

            let bob = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100002"))
            _ = try await bob.login(blocking: false)
            _ = try await bob.sendCode("22222")
            for wrong in ["", "correct horse\u{0}", "not the password \(UUID())", Self.huge] {
                let error = await #expect(throws: TDLibError.self) { try await bob.sendPassword(wrong) }
                #expect(error?.message == "PASSWORD_HASH_INVALID")
                if !wrong.isEmpty { #expect(error?.description.contains(wrong) == false) }
            }
            #expect(try await bob.sendPassword("correct horse") == .ready)
            await bob.stop()

            let carol = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100003"))
            _ = try await carol.login(blocking: false)
            _ = try await carol.sendCode("33333")
            for wrong in ["", "@", "a@b", "a@b@c.d", Self.huge] {
                await expectTDLibError("EMAIL_INVALID") { try await carol.sendEmailAddress(wrong) }
            }
            await carol.stop()

            let newcomer = try await Telegram(
                configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100004"))
            _ = try await newcomer.login(blocking: false)
            _ = try await newcomer.sendCode("55555")
            for wrong in ["", "   ", Self.huge] {
                await expectTDLibError("FIRSTNAME_INVALID") { try await newcomer.registerUser(firstName: wrong) }
            }
            await newcomer.stop()

            for phone in ["\u{0}", "+1555010000\u{0}1", "-1", "+" + Self.huge, "9223372036854775808000"] {
                let tg = try await Telegram(
                    configuration: try simulatedConfiguration(simulator: simulator, phone: phone))
                await expectTDLibError("PHONE_NUMBER_INVALID") { _ = try await tg.login(blocking: false) }
                await tg.stop()
            }
        }
    }

    @Test func formattedTextReadsBadJSONAsAnErrorAndBadEntitiesWithoutCrashing() throws {
        let invalidUTF8 = Array(#"{"@type":"formattedText","text":"a"#.utf8) + [0xFF] + Array(#"","entities":[]}"#.utf8)
        #expect(throws: TextJSONError.self) { try TextWithEntities(tdJSON: invalidUTF8) }
        for bad in ["", "null", "[]", #"{"text":5}"#, #"{"text":"a","entities":[{"offset":"x"}]}"#] {
            #expect(throws: TextJSONError.self) { try TextWithEntities(tdJSON: Array(bad.utf8)) }
        }
        let bold = #"{"@type":"textEntityTypeBold"}"#
        let extremes = [
            "9223372036854775807", "-9223372036854775808", "18446744073709551616", "-1", "0", "1e300",
            "2147483648",
        ]
        for offset in extremes {
            for length in extremes {
                let json = #"""
                    {"@type":"formattedText","text":"ab😀c","entities":[
                     {"@type":"textEntity","offset":\#(offset),"length":\#(length),"type":\#(bold)},
                     {"@type":"textEntity","offset":1,"length":1,"type":\#(bold)}]}
                    """#
                guard let parsed = try? TextWithEntities(tdJSON: Array(json.utf8)) else { continue }
                let styled = StyledText(parsed)
                #expect(styled.textWithEntities().text == "ab😀c")
                _ = styled.html()
                _ = try? styled.markdownV2()
            }
        }
        let hugeStyled = StyledText { Bold(Self.huge + "<&>") }
        #expect(hugeStyled.html().count == Self.huge.count + "<b>&lt;&amp;&gt;</b>".count)
        #expect(hugeStyled.textWithEntities().entities.first?.length == Self.huge.count + 3)
        let nul = StyledText { Italic("a\u{0}b") }
        #expect(StyledText(nul.textWithEntities()).textWithEntities() == nul.textWithEntities())
    }
}

@Suite struct InitializerFailureTests {
    @Test func anInitializerWhoseLoginAtStartFailsClosesTheClientItMade() async throws {
        try await withSimulator { simulator in
            var configuration = try simulatedConfiguration(simulator: simulator, botToken: "1000001:WRONG-TOKEN")
            configuration.loginAtStart = true
            let manager = try TDClientManager.shared(for: simulator)
            await #expect(throws: TDLibError.self) { _ = try await Telegram(configuration: configuration) }
            #expect(manager.openClientIDs.isEmpty, "the failed initializer left a TDLib client open")
        }
    }
}
