import Foundation
import TDLib
import TDLibSimulator
import Telegram
import Testing

@Suite("Telegram store and sequences against the simulator")
struct StoreSimulatorTests {
    func loggedIn(_ simulator: TDSimulator) async throws -> Telegram {
        let tg = try await Telegram(
            configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100001"))
        _ = try await tg.login(blocking: false)
        try await tg.sendCode("11111")
        return tg
    }

    /// The default world without its scripted messages: the "ping" that arrives 2 s after the login would
    /// move chat 2001 to the top of the list while a slow run compares orders.
    static var quietWorld: SimulatorScenario {
        var scenario = SimulatorScenario.default
        scenario.events = []
        return scenario
    }

    @Test func theStoreFollowsTheListAndNamesResolve() async throws {
        try await withSimulator(Self.quietWorld) { simulator in
            let tg = try await loggedIn(simulator)
            let chats = try await tg.chats().collect()
            #expect(chats.count == 5)
            #expect(Set(chats.map(\.id)).count == 5)
            #expect(tg.store.chatList(.main).map(\.id) == chats.map(\.id))
            #expect(tg.store.chat(-3001)?.title == "Weekend plans")
            #expect(try await tg.chat(id: -3001).title == "Weekend plans")

            let dave = try await tg.chat(username: "@dave_sim")
            #expect(dave.id == 2001)
            #expect(try await tg.user(id: 2001).firstName == "Dave")
            #expect(tg.store.user(2001)?.firstName == "Dave")

            let members = try await tg.supergroupMembers(4001).collect()
            #expect(!members.isEmpty)
            #expect(Set(members.map(\.memberId)).count == members.count)

            let history = try await tg.history(chatID: -3001).collect()
            #expect(history.count == 2)
            #expect(history.map(\.id) == history.map(\.id).sorted(by: >))

            let found = try await tg.searchMessages(chatID: -3001, query: "lake").collect()
            #expect(found.map(\.id) == history.filter { plainText($0).contains("lake") }.map(\.id))
            #expect(!found.isEmpty)

            do {
                _ = try await tg.chat(id: 123_456_789)
                Issue.record("the simulator does not know chat 123456789")
            } catch let error as TDLibError {
                #expect(error == TDLibError(code: 400, message: "Chat not found"))
                #expect(error.hint?.contains("123456789") == true)
            }
            await tg.stop()
        }
    }
}

private func plainText(_ message: Message) -> String {
    if case .text(let text) = message.content { return text.text.text }
    return ""
}
