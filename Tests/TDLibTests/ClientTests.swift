import Foundation
import Testing

@testable import TDLib

@Suite("Real TDLib, offline")
struct ClientTests {
    @Test func executeParsesAndFindsTextEntities() throws {
        let manager = try RealTDLib.requireManager()
        let parsed = try manager.execute(
            json:
                #"{"@type":"parseTextEntities","text":"<b>bold</b> and <i>it</i>","parse_mode":{"@type":"textParseModeHTML"}}"#
        ).jsonObject()
        #expect(parsed["@type"] as? String == "formattedText")
        #expect(parsed["text"] as? String == "bold and it")
        let entities = try #require(parsed["entities"] as? [[String: Any]])
        #expect(entities.count == 2)
        #expect(entities.first?["offset"] as? Int == 0)
        #expect(entities.first?["length"] as? Int == 4)
        #expect((entities.first?["type"] as? [String: Any])?["@type"] as? String == "textEntityTypeBold")
        #expect(entities.last?["offset"] as? Int == 9)

        let found = try manager.execute(json: #"{"@type":"getTextEntities","text":"see @durov and #swift"}"#)
            .jsonObject()
        let types = (found["entities"] as? [[String: Any]])?.compactMap {
            ($0["type"] as? [String: Any])?["@type"] as? String
        }
        #expect(types == ["textEntityTypeMention", "textEntityTypeHashtag"])
    }

    @Test func executeReportsTDLibErrorsAndBadJSON() throws {
        let manager = try RealTDLib.requireManager()
        let error = #expect(throws: TDLibError.self) {
            try manager.execute(
                json: #"{"@type":"parseTextEntities","text":"<b>x","parse_mode":{"@type":"textParseModeHTML"}}"#)
        }
        #expect(error?.code == 400)
        let invalid = #expect(throws: TDClientError.self) { try manager.execute(json: "{not json") }
        #expect(invalid?.code == .invalidRequest)
    }

    @Test func clientReachesWaitPhoneNumberAndAnswersTestMethods() async throws {
        let manager = try RealTDLib.requireManager()
        let client = try await RealTDLib.clientAtPhoneNumber(manager)
        defer { Task { try? await client.close() } }

        let string = try await client.send(json: #"{"@type":"testCallString","x":"héllo \"quoted\" 🎉"}"#).jsonObject()
        #expect(string["@type"] as? String == "testString")
        #expect(string["value"] as? String == "héllo \"quoted\" 🎉")

        let square = try await client.send(json: #"{"@type":"testSquareInt","x":-12}"#).jsonObject()
        #expect(square["value"] as? Int == 144)

        let returned = await #expect(throws: TDLibError.self) {
            try await client.send(
                json: #"{"@type":"testReturnError","error":{"@type":"error","code":418,"message":"TEAPOT"}}"#)
        }
        #expect(returned == TDLibError(code: 418, message: "TEAPOT"))

        let unknown = await #expect(throws: TDLibError.self) {
            try await client.send(json: #"{"@type":"noSuchMethodAnywhere"}"#)
        }
        #expect(unknown?.code == 400)
        #expect(unknown?.message.isEmpty == false)

        try await client.close(timeout: .seconds(30))
        #expect(!client.isOpen)
    }

    @Test func rawRequestsAreCheckedBeforeSending() async throws {
        let manager = try RealTDLib.requireManager()
        let client = try manager.createClient(updateBuffering: .discard)
        defer { Task { try? await client.close() } }
        for bad in ["", "[1]", "{\"@type\":", #"{"x":1}"#, #"{"@type":"testCallEmpty","@extra":5}"#] {
            let error = await #expect(throws: TDClientError.self) { try await client.send(json: bad) }
            #expect(error?.code == .invalidRequest)
        }
        let answer = try await client.send(json: #"{"@type":"testCallEmpty"}"#)
        #expect(answer.type == "ok")
        try await client.close()
    }

    @Test func wrongDatabaseKeyIsError401AndTheRightKeyOpensAgain() async throws {
        let manager = try RealTDLib.requireManager()
        let directory = try RealTDLib.temporaryDirectory()
        let first = try await RealTDLib.clientAtPhoneNumber(manager, directory: directory, key: "right key")
        try await first.close()

        let second = try manager.createClient(updateBuffering: .discard)
        let error = await #expect(throws: TDLibError.self) {
            try await second.send(
                json: RealTDLib.parameters(directory: directory, key: "wrong key"), timeout: .seconds(30))
        }
        #expect(error?.code == 401)
        #expect(error?.message.contains("encryption key") == true)
        #expect(error?.message.contains("wrong key") == false)
        try await second.close()

        let third = try await RealTDLib.clientAtPhoneNumber(manager, directory: directory, key: "right key")
        try await third.close()
    }

    @Test func hundredClientsStartAndCloseTogether() async throws {
        let manager = try RealTDLib.requireManager()
        let clients = try await withThrowingTaskGroup(of: TDClient.self) { group in
            for _ in 0..<100 {
                group.addTask { try await RealTDLib.clientAtPhoneNumber(manager) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(clients.map(\.id)).count == 100)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { try await client.close(timeout: .seconds(60)) } }
            try await group.waitForAll()
        }
        #expect(clients.allSatisfy { !$0.isOpen })
    }

    @Test func requestsInFlightEndWhenTheClientCloses() async throws {
        let manager = try RealTDLib.requireManager()
        let client = try await RealTDLib.clientAtPhoneNumber(manager)
        // Offline, testNetwork never completes: these stay in flight until the close.
        let inFlight = (0..<20).map { _ in
            Task { try await client.send(json: #"{"@type":"testNetwork"}"#) }
        }
        try await waitUntil { client.pendingRequestCount == 20 }
        try await client.close(timeout: .seconds(30))
        for request in inFlight {
            await #expect(throws: (any Error).self) { try await request.value }
        }
        let after = await #expect(throws: TDClientError.self) {
            try await client.send(json: #"{"@type":"testCallEmpty"}"#)
        }
        #expect(after?.code == .clientClosed)
        try await client.close()
    }

    @Test func timeoutAndCancellationEndTheWait() async throws {
        let manager = try RealTDLib.requireManager()
        let client = try await RealTDLib.clientAtPhoneNumber(manager)
        defer { Task { try? await client.close() } }

        let timedOut = await #expect(throws: TDClientError.self) {
            try await client.send(json: #"{"@type":"testNetwork"}"#, timeout: .milliseconds(200))
        }
        #expect(timedOut?.code == .timedOut)

        let waiting = Task { try await client.send(json: #"{"@type":"testNetwork"}"#) }
        try await waitUntil { client.pendingRequestCount == 1 }  // sent, so the cancel ends a real wait
        waiting.cancel()
        let cancelled = await #expect(throws: TDClientError.self) { try await waiting.value }
        #expect(cancelled?.code == .cancelled)

        let square = try await client.send(json: #"{"@type":"testSquareInt","x":3}"#).jsonObject()
        #expect(square["value"] as? Int == 9)
        try await client.close()
    }

    @Test func updatesEndWhenTheClientCloses() async throws {
        let manager = try RealTDLib.requireManager()
        let client = try await RealTDLib.clientAtPhoneNumber(manager)
        let reader = Task {
            var states: [String] = []
            for await update in client.updates where update.hasType("updateAuthorizationState") {
                states.append(update.string)
            }
            return states
        }
        try await client.close()
        let states = await reader.value
        #expect(states.last?.contains("authorizationStateClosed") == true)
    }
}
