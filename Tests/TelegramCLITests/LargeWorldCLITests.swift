import Foundation
import Testing

/// A simulator world of 1,000 chats and 50,000 messages: chat -5001 holds 20,000 of them, the 999 others
/// about 30 each.
private func largeWorldScenario(chats chatCount: Int = 1000, messages messageCount: Int = 50_000) -> String {
    let chatIDs = (0..<chatCount).map { -5001 - $0 }
    let chats = chatIDs.map { #"{"id":\#($0),"kind":"basicGroup","title":"Group \#(-$0)","memberIds":[2001]}"# }
    var messages: [String] = []
    messages.reserveCapacity(messageCount)
    for number in 0..<messageCount {
        let chatID = number < 20_000 ? -5001 : chatIDs[1 + (number - 20_000) % (chatCount - 1)]
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
        // The login runs on a world with the same account and no chats: the simulator builds its world at
        // every start, and the session it keeps in the folder logs the large world's runs in.
        var tg = TG()
        try FileManager.default.createDirectory(atPath: tg.folder, withIntermediateDirectories: true)
        let empty = tg.folder + "/empty-world.json"
        try Data(largeWorldScenario(chats: 0, messages: 0).utf8).write(to: URL(fileURLWithPath: empty))
        tg.environment["TG_SIMULATOR_SCENARIO"] = empty
        #expect(try await tg.run("login", input: "11111\n").status == 0)
        let scenario = tg.folder + "/large-world.json"
        try Data(largeWorldScenario().utf8).write(to: URL(fileURLWithPath: scenario))
        tg.environment["TG_SIMULATOR_SCENARIO"] = scenario

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

        let history = try await tg.run("history", "--all", "--", "-5001")
        #expect(history.status == 0)
        let rows = history.output.split(separator: "\n").dropFirst()
        #expect(rows.count == 20_000)
        let messageIDs = rows.compactMap { Int64($0.split(separator: " ").first ?? "") }
        #expect(Set(messageIDs).count == 20_000)
        #expect(messageIDs == messageIDs.sorted(by: >))
        #expect(rows.last?.hasSuffix("message 0") == true)
    }
}
