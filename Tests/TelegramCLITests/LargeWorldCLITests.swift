import Foundation
import Testing

/// A simulator world of 1,000 chats and 50,000 messages: chat -5001 holds 20,000 of them, the 999 others
/// about 30 each.
private func largeWorldScenario() -> String {
    let chatIDs = (1...1000).map { -5000 - $0 }
    let chats = chatIDs.map { #"{"id":\#($0),"kind":"basicGroup","title":"Group \#(-$0)","memberIds":[2001]}"# }
    var messages: [String] = []
    messages.reserveCapacity(50_000)
    for number in 0..<50_000 {
        let chatID = number < 20_000 ? -5001 : chatIDs[1 + (number - 20_000) % 999]
        messages.append(#"{"chatId":\#(chatID),"senderId":2001,"text":"word\#(number % 7) message \#(number)"}"#)
    }
    return """
        {"accounts": [{"phone": "+15550100001", "code": "11111", "userId": 1001, "firstName": "Alice"}],
         "users": [{"id": 2001, "firstName": "Dave"}],
         "chats": [\(chats.joined(separator: ","))],
         "messages": [\(messages.joined(separator: ","))]}
        """
}

@Suite("tg on a large simulator world", .serialized)
struct LargeWorldCLITests {
    @Test func chatsAndHistoryAreComplete() async throws {
        var tg = TG()
        try FileManager.default.createDirectory(atPath: tg.folder, withIntermediateDirectories: true)
        let scenario = tg.folder + "/large-world.json"
        try Data(largeWorldScenario().utf8).write(to: URL(fileURLWithPath: scenario))
        tg.environment["TG_SIMULATOR_SCENARIO"] = scenario
        #expect(try await tg.run("login", input: "11111\n").status == 0)

        let chats = try await jsonArray(tg.run("chats", "--json").output)
        let ids = chats.compactMap { $0["id"] as? Int }
        #expect(ids.count == 1000)
        #expect(Set(ids).count == 1000)
        let orders = chats.compactMap { chat in
            ((chat["positions"] as? [[String: Any]])?.first?["order"] as? String).flatMap(Int64.init)
        }
        #expect(orders.count == 1000)
        // TDLib's order: by position order, then by chat identifier, both descending.
        let keys: [(order: Int64, id: Int)] = Array(zip(orders, ids))
        let inOrder = zip(keys, keys.dropFirst()).allSatisfy { left, right in
            left.order != right.order ? left.order > right.order : left.id > right.id
        }
        #expect(inOrder)
        let firstSeven = try await tg.run("chats", "--limit", "7")
        #expect(firstSeven.output.split(separator: "\n").count == 8)

        let history = try await tg.run("history", "--all", "--", "-5001")
        #expect(history.status == 0)
        let rows = history.output.split(separator: "\n").dropFirst()
        #expect(rows.count == 20_000)
        let messageIDs = rows.compactMap { Int64($0.split(separator: " ").first ?? "") }
        #expect(Set(messageIDs).count == 20_000)
        #expect(messageIDs == messageIDs.sorted(by: >))
        #expect(rows.last?.hasSuffix("message 0") == true)
        let limited = try await jsonArray(tg.run("history", "--json", "--limit", "250", "--", "-5001").output)
        #expect(limited.count == 250)
    }
}
