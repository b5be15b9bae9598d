import Foundation
import TDLib
import Telegram
import Testing

/// ``BotCommandCall`` against TDLib itself: `getTextEntities` (offline, `td_execute`) marks the same
/// commands at the start of a text.
@Suite struct BotCommandCallTests {
    static let texts: [String] = [
        "/start", "/start payload", "/START@Echo_Sim_Bot deep", "/start@ab", "/start@", "/start@abc", "/Start_2 args",
        "/start/x", "/start<b>", "/start>", "/старт", "/startж", "/ start", "/", "//start", "/start-now", "/start.",
        "/start,then", "/start\targs", "/start\nnext line", "/1", "/_", "/start😀", "/start@bot!", "/start@bot_name_",
        "/" + String(repeating: "a", count: 64), "/" + String(repeating: "a", count: 65),
        "/start@" + String(repeating: "b", count: 32), "/start@" + String(repeating: "b", count: 33),
        "/start@abc@def", "/start_é", "/start\u{301}", "/start٣", "text /start", " /start",
    ]

    @Test(arguments: texts)
    func readsTheCommandsTDLibMarksAtTheStart(text: String) throws {
        let library = try TDLibrary.load()
        let request = try JSONSerialization.data(withJSONObject: ["@type": "getTextEntities", "text": text])
        let answer: String? = String(decoding: request, as: UTF8.self).withCString { json in
            library.execute(request: json).map { String(cString: $0) }
        }
        let object = try #require(
            answer.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        let entities = object["entities"] as? [[String: Any]] ?? []
        let command = entities.first { entity in
            (entity["type"] as? [String: Any])?["@type"] as? String == "textEntityTypeBotCommand"
                && entity["offset"] as? Int == 0
        }
        let call = BotCommandCall(text: text)
        guard let command, let length = command["length"] as? Int else {
            #expect(call == nil, "TDLib marks no command at the start of \(text.debugDescription)")
            return
        }
        let marked = String(decoding: Array(text.utf16.prefix(length)).dropFirst(), as: UTF16.self)
        let parts = marked.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        #expect(call?.name == String(parts[0]))
        #expect(call?.botUsername == (parts.count > 1 ? String(parts[1]) : nil))
    }

    @Test func argumentsAreTheRestWithoutSurroundingWhiteSpace() throws {
        #expect(BotCommandCall(text: "/start  a b  ")?.arguments == "a b")
        #expect(BotCommandCall(text: "/start\nline one\nline two")?.arguments == "line one\nline two")
        #expect(BotCommandCall(text: "/start")?.arguments == "")
        let addressed = try #require(BotCommandCall(text: "/start@Echo_Sim_Bot"))
        #expect(addressed.isAddressed(to: "echo_sim_bot"))
        #expect(!addressed.isAddressed(to: "other_bot"))
        #expect(try #require(BotCommandCall(text: "/start")).isAddressed(to: "anyone"))
    }
}
