import Foundation
import TDLib
import Telegram
import Testing

/// A deterministic page length in 1...limit, so that pages are as short as TDLib may make them.
private func shortLength(_ request: Int, limit: Int) -> Int {
    [1, 7, 3, 100, 2, 1, 50, 13][request % 8] % limit + 1
}

/// A chat list of `count` chats (identifiers 1...count, chat 1 first) that `loadChats` hands out in short
/// pages through updates, then answers 404, as TDLib does.
private func chatListBackend(count: Int, extraUpdates: @escaping @Sendable (Int) -> [String] = { _ in [] })
    -> ScriptedTDLib
{
    let loaded = Locked((chats: 0, requests: 0))
    return ScriptedTDLib { method, fields in
        guard method == "loadChats" else { return [.error(400, "unexpected \(method)")] }
        let limit = (fields["limit"] as? Int) ?? 0
        let (range, request) = loaded.withLock { loaded in
            let length = min(shortLength(loaded.requests, limit: limit), count - loaded.chats)
            defer {
                loaded.chats += length
                loaded.requests += 1
            }
            return ((loaded.chats + 1)..<(loaded.chats + 1 + length), loaded.requests)
        }
        guard !range.isEmpty else { return [.error(404, "Not Found")] }
        let updates = range.map { id in
            ScriptedTDLib.Reply.update(
                Fixture.newChat(Int64(id), positions: [Fixture.position(order: 10_000 - Int64(id))]))
        }
        return updates + extraUpdates(request).map { .update($0) } + [.answer(#"{"@type":"ok"}"#)]
    }
}

/// A chat of `count` messages (identifiers 2, 4... 2×count, one a minute) that `getChatHistory` pages
/// in short pages, leaving `from_message_id` out as TDLib does (OrderedMessages::get_history); `fail`
/// may turn the n-th request into an error.
private func historyBackend(count: Int, fail: @escaping @Sendable (Int) -> (Int, String)? = { _ in nil })
    -> ScriptedTDLib
{
    let requests = Locked(0)
    return ScriptedTDLib { method, fields in
        guard method == "getChatHistory" else { return [.error(400, "unexpected \(method)")] }
        let request = requests.withLock { count in
            defer { count += 1 }
            return count
        }
        if let (code, message) = fail(request) { return [.error(code, message)] }
        let from = Int64((fields["from_message_id"] as? Int) ?? 0)
        let limit = (fields["limit"] as? Int) ?? 0
        let newestFirst = stride(from: Int64(2 * count), through: 2, by: -2)
        let older = newestFirst.filter { from == 0 || $0 < from }
        let page = older.prefix(shortLength(request, limit: limit)).map {
            Fixture.message($0, chatID: 9, date: 1_700_000_000 + Int32($0) * 30)
        }
        return [
            .answer(#"{"@type":"messages","total_count":\#(page.count),"messages":[\#(page.joined(separator: ","))]}"#)
        ]
    }
}

@Suite("Telegram sequences: pages as TDLib makes them")
struct SequenceTests {
    @Test func chatsLoadUntil404InTDLibsOrderWithNoDuplicate() async throws {
        let backend = chatListBackend(count: 250)
        try await withScriptedTelegram(backend) { telegram in
            let chats = try await telegram.chats(in: .main, pageSize: 40).collect()
            #expect(chats.map(\.id) == Array(1...250))
            #expect(backend.requests("loadChats").count > 250 / 40)
            // Read again: everything is in the store; TDLib is asked once more and answers 404.
            let again = try await telegram.chats().collect()
            #expect(again.map(\.id) == Array(1...250))
            #expect(telegram.store.chatList(.main).count == 250)
        }
    }

    @Test func aChatThatMovesWhileTheListLoadsComesOnce() async throws {
        // On every page, chat 1 (already read) gets a new message and moves to the top again.
        let backend = chatListBackend(count: 120) { request in
            [Fixture.chatPosition(1, Fixture.position(order: 20_000 + Int64(request)))]
        }
        try await withScriptedTelegram(backend) { telegram in
            let ids = try await telegram.chats().collect().map(\.id)
            #expect(ids.count == 120)
            #expect(Set(ids).count == 120)
        }
    }

    @Test func chatsStopAtALimitWithoutLoadingTheRest() async throws {
        let backend = chatListBackend(count: 500)
        try await withScriptedTelegram(backend) { telegram in
            let first = try await telegram.chats(pageSize: 100).collect(limit: 5)
            #expect(first.map(\.id) == [1, 2, 3, 4, 5])
            #expect(backend.requests("loadChats").count < 5)
        }
    }

    @Test func historyCrossesShortPagesWithNoDuplicateAndNoGap() async throws {
        let backend = historyBackend(count: 1000)
        try await withScriptedTelegram(backend) { telegram in
            let ids = try await telegram.history(chatID: 9).collect().map(\.id)
            #expect(ids == Array(stride(from: Int64(2000), through: 2, by: -2)))
            let older = try await telegram.history(chatID: 9, from: 1000, limit: 3).collect().map(\.id)
            #expect(older == [998, 996, 994])
        }
    }

    @Test func historyStopsAtADate() async throws {
        let backend = historyBackend(count: 300)
        try await withScriptedTelegram(backend) { telegram in
            // Message n×2 is dated 1_700_000_000 + 60n: from message 400 on, dates are this one or later.
            let since = Date(timeIntervalSince1970: 1_700_000_000 + 400 * 30)
            let ids = try await telegram.history(chatID: 9, until: since).collect().map(\.id)
            #expect(ids == Array(stride(from: Int64(600), through: 400, by: -2)))
        }
    }

    @Test func anErrorMidwayIsThrownTypedAfterTheMessagesBeforeIt() async throws {
        let backend = historyBackend(count: 1000) { $0 == 3 ? (500, "Internal Server Error") : nil }
        try await withScriptedTelegram(backend) { telegram in
            var iterator = telegram.history(chatID: 9).makeAsyncIterator()
            var read: [Int64] = []
            do {
                while let message = try await iterator.next() { read.append(message.id) }
                Issue.record("the fourth page fails")
            } catch let error as TDLibError {
                #expect(error.code == 500)
                #expect(error.message == "Internal Server Error")
            }
            #expect(read == Array(stride(from: Int64(2000), through: 2, by: -2).prefix(read.count)))
            #expect(!read.isEmpty)
            #expect(try await iterator.next() == nil)
        }
    }

    @Test func anUnknownChatIsExplained() async throws {
        let backend = historyBackend(count: 10) { _ in (400, "Chat not found") }
        try await withScriptedTelegram(backend) { telegram in
            do {
                _ = try await telegram.history(chatID: 12345).collect()
                Issue.record("TDLib does not know the chat")
            } catch let error as TDLibError {
                #expect(error.code == 400)
                #expect(error.message == "Chat not found")
                #expect(error.hint?.contains("loadChats") == true)
                #expect(error.description.contains("Chat not found"))
            }
        }
    }

    @Test func cancellingWhileAPageIsAwaitedEndsCleanly() async throws {
        let backend = historyBackend(count: 1000)
        try await withScriptedTelegram(backend) { telegram in
            let firstPage = shortLength(0, limit: 100)
            let reading = Task {
                var read = 0
                for try await _ in telegram.history(chatID: 9) {
                    read += 1
                    if read == firstPage { backend.hold("getChatHistory") }
                }
                return read
            }
            await backend.waitForRequests("getChatHistory", count: 2)
            reading.cancel()
            let read = try await reading.value
            #expect(read == firstPage)
            backend.release("getChatHistory")
        }
    }

    @Test func cancellingBetweenPagesAsksForNoMore() async throws {
        let backend = historyBackend(count: 1000)
        try await withScriptedTelegram(backend) { telegram in
            let reading = Task {
                var read = 0
                for try await _ in telegram.history(chatID: 9) {
                    read += 1
                    if read == 1 { withUnsafeCurrentTask { $0?.cancel() } }
                }
                return read
            }
            let read = try await reading.value
            #expect(read == shortLength(0, limit: 100))
            #expect(backend.requests("getChatHistory").count == 1)
        }
    }

    @Test func searchFollowsNextFromMessageIDToItsEnd() async throws {
        // 300 matches (ids 3, 6... 900), in short pages; next_from_message_id is the oldest given, 0 at the end.
        let backend = ScriptedTDLib { method, fields in
            guard method == "searchChatMessages" else { return [.error(400, "unexpected \(method)")] }
            let from = Int64((fields["from_message_id"] as? Int) ?? 0)
            let matches = stride(from: Int64(900), through: 3, by: -3).filter { from == 0 || $0 < from }
            let page = Array(matches.prefix(shortLength(Int(from % 8), limit: 100)))
            let next = page.count == matches.count ? 0 : page.last ?? 0
            let messages = page.map { Fixture.message($0, chatID: 9) }.joined(separator: ",")
            return [
                .answer(
                    #"{"@type":"foundChatMessages","total_count":300,"messages":[\#(messages)],"next_from_message_id":\#(next)}"#
                )
            ]
        }
        try await withScriptedTelegram(backend) { telegram in
            let ids = try await telegram.searchMessages(chatID: 9, query: "lake").collect().map(\.id)
            #expect(ids == Array(stride(from: Int64(900), through: 3, by: -3)))
            #expect(backend.requests("searchChatMessages").allSatisfy { $0["query"] as? String == "lake" })
        }
    }
}
