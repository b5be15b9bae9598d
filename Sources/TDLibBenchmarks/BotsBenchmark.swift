import Foundation
import TDLibAPI
import TDLibSimulator
import Telegram

// `tdlib-benchmarks bots [messages]`: incoming messages through routes and filters, against a raw update
// stream of the same client kind in the same run, and the cost of routing one message in isolation.

/// How one run consumes the messages.
private enum Consumer: String, CaseIterable {
    case stream = "raw update stream"
    case handler = "one plain handler"
    case route = "one route (onMessage)"
    case tenRoutes = "ten filtered routes, the last matches"
    case commands = "ten command routes, the last matches"
}

/// Seconds from login until `count` incoming messages ("/cmd9 n") reached the consumer.
private func deliver(_ count: Int, to consumer: Consumer) async throws -> Double {
    var scenario = SimulatorScenario.default
    scenario.events = (0..<count).map {
        SimulatorScenario.Event(type: "incomingMessage", chatID: 2001, senderID: 2001, text: "/cmd9 \($0)")
    }
    let simulator = TDSimulator(scenario: scenario)
    var configuration = try TelegramConfiguration(
        apiID: 1, apiHash: "x", databaseEncryptionKey: "k", botToken: "1000001:SIMULATOR-BOT-TOKEN")
    configuration.library = simulator
    configuration.updateBufferSize = count * 4
    configuration.filesDirectory =
        FileManager.default.temporaryDirectory.appendingPathComponent("bots-\(UUID().uuidString)").path
    let telegram = try await Telegram(configuration: configuration)
    let (done, finish) = AsyncStream<Void>.makeStream()
    let counted = Counter()
    let count1 = count
    @Sendable func seen() {
        counted.add()
        if counted.value == count1 { finish.yield() }
    }
    var reader: Task<Void, Never>?
    switch consumer {
    case .stream:
        let stream = telegram.updates(types: ["updateNewMessage"])
        reader = Task { for await _ in stream { seen() } }
    case .handler:
        telegram.addMessageHandler { _ in seen() }
    case .route:
        telegram.onMessage { _ in seen() }
    case .tenRoutes:
        for index in 0..<9 { telegram.onMessage(.outgoing || .text(hasPrefix: "/other\(index)")) { _ in } }
        telegram.onMessage(.incoming && .privateChat && .text(hasPrefix: "/cmd")) { _ in seen() }
    case .commands:
        for index in 0..<9 { telegram.onCommand("cmd\(index)") { _, _ in } }
        telegram.onCommand("cmd9") { _, _ in seen() }
    }
    let start = ContinuousClock.now
    _ = try await telegram.login(blocking: false)
    for await _ in done { break }
    let elapsed = seconds(ContinuousClock.now - start)
    reader?.cancel()
    await telegram.stop()
    try await TDClientManager.shared(for: simulator).shutdown()
    return elapsed
}

/// Nanoseconds to decide one message against ten command routes, without the client around it.
private func routingCost(iterations: Int) throws -> Double {
    let message = try Message(json: Array(sampleMessageJSON.utf8))
    let filters = (0..<10).map { MessageFilter.command("cmd\($0)") }
    var matched = 0
    let start = ContinuousClock.now
    for _ in 0..<iterations {
        for filter in filters where filter.matches(message) { matched += 1 }
    }
    let elapsed = seconds(ContinuousClock.now - start)
    precondition(matched == iterations, "the last filter matches every time")
    return elapsed / Double(iterations) * 1e9
}

func botsBenchmark(messages: Int) async throws {
    print("Bots: \(messages) incoming messages (\"/cmd9 n\") from the simulator to one bot client")
    var baseline = 0.0
    for consumer in Consumer.allCases {
        let elapsed = try await deliver(messages, to: consumer)
        let rate = Double(messages) / elapsed
        if consumer == .stream { baseline = rate }
        let ratio = baseline > 0 ? rate / baseline : 0
        print(
            "  \(pad(consumer.rawValue, 40)) \(format(rate)) messages/s  (\(String(format: "%.2f", ratio)) of the stream)"
        )
        record(["benchmark": "bots", "consumer": consumer.rawValue, "messages_per_s": rate, "ratio_to_stream": ratio])
    }
    let cost = try routingCost(iterations: 200_000)
    print("  routing one message through ten command filters: \(String(format: "%.0f", cost)) ns")
    record(["benchmark": "bots-routing", "ns_per_message_ten_commands": cost])
}

/// A message as the simulator sends it, for the routing micro-benchmark.
private let sampleMessageJSON = """
    {"@type":"message","id":1048576,"sender_id":{"@type":"messageSenderUser","user_id":2001},"chat_id":2001,
    "is_outgoing":false,"is_pinned":false,"is_from_offline":false,"can_be_saved":true,"has_timestamped_media":true,
    "is_channel_post":false,"is_paid_star_suggested_post":false,"is_paid_gram_suggested_post":false,
    "contains_unread_mention":false,"contains_unread_poll_votes":false,"date":1767225600,"edit_date":0,
    "unread_reactions":[],"self_destruct_in":0,"auto_delete_in":0,"via_bot_user_id":0,
    "sender_business_bot_user_id":0,"sender_boost_count":0,"sender_tag":"","paid_message_star_count":0,
    "author_signature":"","media_album_id":"0","effect_id":"0","summary_language_code":"",
    "ephemeral_message_id":0,
    "content":{"@type":"messageText","text":{"@type":"formattedText","text":"/cmd9 42","entities":[]}}}
    """
