import Foundation
import Testing

@testable import TDLibSimulator

/// The order of a sending request's answer and updates, as TDLib 022d602 queues them (MessagesManager.cpp:
/// `send_message`, `forward_messages`, `on_send_message_success`, `do_delete_dialog_messages`): the
/// pending message's `updateNewMessage` and `updateChatLastMessage` before the answer, and after delivery
/// `updateMessageSendSucceeded` then `updateChatLastMessage` with the message's new identifier. A bot
/// gets only the answer and `updateMessageSendSucceeded`.
@Suite("Simulator: the order of sending")
struct SendOrderTests {
    static let sendHello =
        #"{"@type":"sendMessage","chat_id":2001,"input_message_content":{"@type":"inputMessageText","text":{"@type":"formattedText","text":"hello"}}}"#

    /// Alice logged in on a manual clock, with a message delivery of 150 ms and no scripted events.
    static func alice() throws -> (RawClient, SimulatorClock) {
        var scenario = SimulatorScenario.default
        scenario.events = []
        scenario.network = SimulatorScenario.Network(messageDeliveryMilliseconds: 150, codeDeliveryMilliseconds: 0)
        let clock = SimulatorClock.manual()
        let client = RawClient(TDSimulator(scenario: scenario, clock: clock))
        _ = try client.logIn()
        _ = try client.call(#"{"@type":"loadChats","limit":100}"#)
        return (client, clock)
    }

    static func id(_ object: [String: Any]?) -> Int64? { (object?["id"] as? NSNumber)?.int64Value }

    static func sendingState(_ message: [String: Any]?) -> String? {
        (message?["sending_state"] as? [String: Any])?.type
    }

    @Test func aUserSeesThePendingMessageBeforeTheAnswerAndItsNewIdentifierAfterDelivery() throws {
        let (client, clock) = try Self.alice()
        let sent = try client.call(Self.sendHello)
        #expect(sent.map(\.type) == ["updateNewMessage", "updateChatLastMessage", "message"])
        let pending = sent.last
        let pendingID = try #require(Self.id(pending))
        #expect(Self.sendingState(pending) == "messageSendingStatePending")
        #expect(Self.id(sent[0]["message"] as? [String: Any]) == pendingID)
        let lastPending = sent[1]["last_message"] as? [String: Any]
        #expect(Self.id(lastPending) == pendingID)
        #expect(Self.sendingState(lastPending) == "messageSendingStatePending")
        #expect((sent[1]["positions"] as? [Any])?.count == 1)

        clock.advance(by: .milliseconds(150))
        let delivered = try client.drain()
        #expect(delivered.map(\.type) == ["updateMessageSendSucceeded", "updateChatLastMessage"])
        #expect((delivered.first?["old_message_id"] as? NSNumber)?.int64Value == pendingID)
        let newID = try #require(Self.id(delivered.first?["message"] as? [String: Any]))
        #expect(newID != pendingID)
        let last = delivered.last?["last_message"] as? [String: Any]
        #expect(Self.id(last) == newID)
        #expect(Self.sendingState(last) == nil)
        try client.close()
    }

    @Test func aForwardOfTwoMessagesAnnouncesBothThenTheLastBeforeTheAnswer() throws {
        let (client, clock) = try Self.alice()
        // The two messages of "Weekend plans" (the scenario's third and fourth).
        let ids: [Int64] = [3 << 20, 4 << 20]
        let objects = try client.call(
            #"{"@type":"forwardMessages","chat_id":2001,"from_chat_id":-3001,"message_ids":[\#(ids[0]),\#(ids[1])]}"#)
        #expect(objects.map(\.type) == ["updateNewMessage", "updateNewMessage", "updateChatLastMessage", "messages"])
        let answered = ((objects.last?["messages"] as? [[String: Any]]) ?? []).compactMap { Self.id($0) }
        #expect(answered.count == 2)
        #expect(Self.id(objects[2]["last_message"] as? [String: Any]) == answered.last)
        clock.advance(by: .milliseconds(150))
        #expect(
            try client.drain().map(\.type) == [
                "updateMessageSendSucceeded", "updateChatLastMessage", "updateMessageSendSucceeded",
                "updateChatLastMessage",
            ])
        try client.close()
    }

    @Test func deletingTheLastMessageUpdatesTheChatThenDeletesThenAnswersAfterTheServer() throws {
        let (client, clock) = try Self.alice()
        _ = try client.call(Self.sendHello)
        clock.advance(by: .milliseconds(150))
        let delivered = try client.drain()
        let sentID = try #require(Self.id(delivered.first?["message"] as? [String: Any]))
        let deleted = try client.call(
            #"{"@type":"deleteMessages","chat_id":2001,"message_ids":[\#(sentID),1048576000],"revoke":true}"#)
        #expect(deleted.map(\.type) == ["updateChatLastMessage", "updateDeleteMessages"])
        #expect(Self.id(deleted[0]["last_message"] as? [String: Any]) != sentID)
        let removed = (deleted[1]["message_ids"] as? [NSNumber])?.map(\.int64Value)
        #expect(removed == [sentID])
        clock.advance(by: .milliseconds(150))
        #expect(try client.drain().map(\.type) == ["ok"])
        // Nothing the chat holds: the answer at once, and no update.
        #expect(
            try client.call(#"{"@type":"deleteMessages","chat_id":2001,"message_ids":[\#(sentID)],"revoke":true}"#)
                .map(\.type) == ["ok"])
        #expect(
            try client.call(#"{"@type":"deleteMessages","chat_id":2001,"message_ids":[-1],"revoke":true}"#).map {
                $0["message"] as? String
            } == ["Invalid message identifier"])
        try client.close()
    }

    @Test func deletingAMessageStillBeingSentAnswersFirstAndStopsItsDelivery() throws {
        let (client, clock) = try Self.alice()
        let pendingID = try #require(Self.id(try client.call(Self.sendHello).last))
        let deleted = try client.call(
            #"{"@type":"deleteMessages","chat_id":2001,"message_ids":[\#(pendingID)],"revoke":true}"#)
        // Nothing to delete on the server: TDLib's answer is queued before do_delete_dialog_messages' updates.
        #expect(deleted.map(\.type) == ["ok", "updateChatLastMessage", "updateDeleteMessages"])
        #expect(Self.id(deleted[1]["last_message"] as? [String: Any]) == 1 << 20)
        #expect((deleted[2]["message_ids"] as? [NSNumber])?.map(\.int64Value) == [pendingID])
        clock.advance(by: .milliseconds(150))
        #expect(try client.drain().isEmpty)
        try client.close()
    }

    @Test func aBotGetsTheAnswerAndTheSuccessOnly() throws {
        var scenario = SimulatorScenario.default
        scenario.events = []
        scenario.network = SimulatorScenario.Network(messageDeliveryMilliseconds: 150, codeDeliveryMilliseconds: 0)
        let clock = SimulatorClock.manual()
        let simulator = TDSimulator(scenario: scenario, clock: clock)
        let bot = RawClient(simulator)
        let directory = try SimulatedTelegram.temporaryDirectory()
        _ = try bot.call(
            #"{"@type":"setTdlibParameters","database_directory":"\#(directory)","api_id":94575,"api_hash":"x"}"#)
        _ = try bot.call(#"{"@type":"checkAuthenticationBotToken","token":"1000001:SIMULATOR-BOT-TOKEN"}"#)
        let alice = RawClient(simulator)
        _ = try alice.logIn()
        _ = try alice.call(#"{"@type":"searchPublicChat","username":"echo_sim_bot"}"#)
        _ = try alice.call(
            #"{"@type":"sendMessage","chat_id":1000001,"input_message_content":{"@type":"inputMessageText","text":{"@type":"formattedText","text":"hi"}}}"#
        )
        clock.advance(by: .milliseconds(150))
        let received = try bot.drain().filter { ($0["@client_id"] as? NSNumber)?.int32Value == bot.id }
        #expect(received.contains { $0.type == "updateNewMessage" })
        #expect(!received.contains { $0.type == "updateChatLastMessage" })
        let chatID = try #require(
            received.first { $0.type == "updateNewMessage" }.flatMap {
                (($0["message"] as? [String: Any])?["chat_id"] as? NSNumber)?.int64Value
            })
        let sent = try bot.call(
            #"{"@type":"sendMessage","chat_id":\#(chatID),"input_message_content":{"@type":"inputMessageText","text":{"@type":"formattedText","text":"hello"}}}"#
        ).filter { ($0["@client_id"] as? NSNumber)?.int32Value == bot.id }
        #expect(sent.map(\.type) == ["message"])
        clock.advance(by: .milliseconds(150))
        let delivered = try bot.drain().filter { ($0["@client_id"] as? NSNumber)?.int32Value == bot.id }
        #expect(delivered.map(\.type) == ["updateMessageSendSucceeded"])
        try alice.close()
        try bot.close()
    }

    /// A small local file to send.
    static func localFile(_ name: String) throws -> String {
        let path = try SimulatedTelegram.temporaryDirectory() + "/" + name
        try Data(repeating: 7, count: 2_048).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func album(_ contents: [String]) -> String {
        #"{"@type":"sendMessageAlbum","chat_id":2001,"input_message_contents":[\#(contents.joined(separator: ","))]}"#
    }

    static func photo(_ path: String) -> String {
        #"{"@type":"inputMessagePhoto","photo":{"@type":"inputPhoto","photo":{"@type":"inputFileLocal","path":"\#(path)"},"width":10,"height":10}}"#
    }

    @Test func anAlbumAnnouncesEachMessageThenTheLastBeforeTheAnswerAndChecksItsContents() throws {
        let (client, clock) = try Self.alice()
        let first = try Self.localFile("a.jpg")
        let second = try Self.localFile("b.jpg")
        let objects = try client.call(Self.album([Self.photo(first), Self.photo(second)]))
        #expect(objects.map(\.type) == ["updateNewMessage", "updateNewMessage", "updateChatLastMessage", "messages"])
        let messages = (objects.last?["messages"] as? [[String: Any]]) ?? []
        #expect(messages.count == 2)
        let albumIDs = Set(messages.compactMap { ($0["media_album_id"] as? String).flatMap { Int64($0) } })
        #expect(albumIDs.count == 1)
        #expect(albumIDs.first != 0)
        #expect(Self.id(objects[2]["last_message"] as? [String: Any]) == Self.id(messages.last))
        clock.advance(by: .seconds(60))
        let delivered = try client.drain().map(\.type).filter { $0 != "updateFile" }
        #expect(
            delivered == [
                "updateMessageSendSucceeded", "updateChatLastMessage", "updateMessageSendSucceeded",
                "updateChatLastMessage",
            ])

        func error(_ json: String) throws -> String? {
            let answer = try client.call(json).last
            return answer?.type == "error" ? answer?["message"] as? String : answer?.type
        }
        #expect(try error(Self.album([])) == "There are no messages to send")
        let text = #"{"@type":"inputMessageText","text":{"@type":"formattedText","text":"hi"}}"#
        #expect(try error(Self.album([Self.photo(first), text])) == "Invalid message content type")
        let document =
            #"{"@type":"inputMessageDocument","document":{"@type":"inputDocument","document":{"@type":"inputFileLocal","path":"\#(first)"}}}"#
        #expect(
            try error(Self.album([Self.photo(first), document])) == "Document can't be mixed with other media types")
        #expect(
            try error(Self.album(Array(repeating: Self.photo(first), count: 11)))
                == "Too many messages to send as an album")
        #expect(
            try error(Self.album([Self.photo("/nonexistent/file.jpg")])) == "Can't find real file path")
        try client.close()
    }
}
