import Foundation
import TDLib
import TDLibAPI
import TDLibSimulator
import Telegram

// tdlib-benchmarks store: the store kept from updates, against the receive loop's delivery rate in the
// same run; its memory; and the paged sequences on the simulator.

/// TDLib objects as TDLib writes them, for the store's figures.
enum StoreFixture {
    static func chat(_ id: Int64, order: Int64) -> String {
        let permissions = [
            "can_send_basic_messages", "can_send_audios", "can_send_documents", "can_send_photos",
            "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
            "can_send_other_messages", "can_add_link_previews", "can_react_to_messages", "can_edit_tag",
            "can_change_info", "can_invite_users", "can_pin_messages", "can_create_topics",
        ].map { "\"\($0)\":true" }.joined(separator: ",")
        let notifications = [
            "use_default_mute_for", "use_default_sound", "use_default_show_preview", "use_default_mute_stories",
            "use_default_story_sound", "use_default_show_story_poster",
            "use_default_disable_pinned_message_notifications", "use_default_disable_mention_notifications",
        ].map { "\"\($0)\":true" }.joined(separator: ",")
        return
            #"{"@type":"updateNewChat","chat":{"@type":"chat","id":\#(id),"type":{"@type":"chatTypePrivate","user_id":\#(id)},"title":"Chat number \#(id)","accent_color_id":3,"background_custom_emoji_id":"0","profile_accent_color_id":-1,"profile_background_custom_emoji_id":"0","permissions":{"@type":"chatPermissions",\#(permissions)},"last_message":\#(message(id * 100, chatID: id)),"positions":[{"@type":"chatPosition","list":{"@type":"chatListMain"},"order":"\#(order)","is_pinned":false}],"chat_lists":[{"@type":"chatListMain"}],"has_protected_content":false,"is_translatable":false,"is_marked_as_unread":false,"view_as_topics":false,"has_scheduled_messages":false,"can_be_deleted_only_for_self":true,"can_be_deleted_for_all_users":false,"can_be_reported":false,"default_disable_notification":false,"unread_count":2,"last_read_inbox_message_id":0,"last_read_outbox_message_id":0,"unread_mention_count":0,"unread_reaction_count":0,"unread_poll_vote_count":0,"notification_settings":{"@type":"chatNotificationSettings",\#(notifications),"mute_for":0,"sound_id":"0","show_preview":true,"mute_stories":false,"story_sound_id":"0","show_story_poster":true,"disable_pinned_message_notifications":false,"disable_mention_notifications":false},"available_reactions":{"@type":"chatAvailableReactionsAll","max_reaction_count":11},"message_auto_delete_time":0,"video_chat":{"@type":"videoChat","group_call_id":0,"has_participants":false},"reply_markup_message_id":0,"client_data":""}}"#
    }

    static func message(_ id: Int64, chatID: Int64) -> String {
        #"{"@type":"message","id":\#(id),"sender_id":{"@type":"messageSenderUser","user_id":\#(chatID)},"chat_id":\#(chatID),"is_outgoing":false,"is_pinned":false,"is_from_offline":false,"can_be_saved":true,"has_timestamped_media":true,"is_channel_post":false,"is_paid_star_suggested_post":false,"is_paid_gram_suggested_post":false,"contains_unread_mention":false,"contains_unread_poll_votes":false,"date":1767225600,"edit_date":0,"unread_reactions":[],"self_destruct_in":0,"auto_delete_in":0,"via_bot_user_id":0,"sender_business_bot_user_id":0,"sender_boost_count":0,"sender_tag":"","paid_message_star_count":0,"author_signature":"","media_album_id":"0","effect_id":"0","summary_language_code":"","content":{"@type":"messageText","text":{"@type":"formattedText","text":"A message of a usual length, a line or so.","entities":[]}},"ephemeral_message_id":0}"#
    }

    static func user(_ id: Int64) -> String {
        #"{"@type":"updateUser","user":{"@type":"user","id":\#(id),"first_name":"First\#(id)","last_name":"Last","usernames":{"@type":"usernames","active_usernames":["user\#(id)"],"disabled_usernames":[],"editable_username":"user\#(id)","collectible_usernames":[]},"phone_number":"","status":{"@type":"userStatusRecently","by_my_privacy_settings":false},"accent_color_id":0,"background_custom_emoji_id":"0","profile_accent_color_id":-1,"profile_background_custom_emoji_id":"0","is_contact":false,"is_mutual_contact":false,"is_close_friend":false,"is_premium":false,"is_support":false,"restricts_new_chats":false,"paid_message_star_count":0,"have_access":true,"type":{"@type":"userTypeRegular"},"language_code":"en","added_to_attachment_menu":false}}"#
    }

    /// The updates of a busy account: after `chats` new chats and their users, new messages move chats
    /// up, users come online, titles and read counts change, options tick.
    static func mix(chats: Int, changes: Int) throws -> [Update] {
        var updates: [Update] = []
        for id in 1...Int64(chats) {
            updates.append(try decode(user(id)))
            updates.append(try decode(chat(id, order: id << 20)))
        }
        let templates: [(Int64, Int) -> String] = [
            { chat, step in
                #"{"@type":"updateChatLastMessage","chat_id":\#(chat),"last_message":\#(message(Int64(step) << 20, chatID: chat)),"positions":[{"@type":"chatPosition","list":{"@type":"chatListMain"},"order":"\#((Int64(chats) + Int64(step)) << 20)","is_pinned":false}]}"#
            },
            { chat, step in
                #"{"@type":"updateUserStatus","user_id":\#(chat),"status":{"@type":"userStatusOnline","expires":\#(step)}}"#
            },
            { chat, step in
                #"{"@type":"updateChatReadInbox","chat_id":\#(chat),"last_read_inbox_message_id":\#(step),"unread_count":0}"#
            },
            { chat, step in #"{"@type":"updateChatTitle","chat_id":\#(chat),"title":"Renamed \#(step)"}"# },
            { _, step in
                #"{"@type":"updateOption","name":"unix_time","value":{"@type":"optionValueInteger","value":"\#(step)"}}"#
            },
        ]
        for step in 0..<changes {
            let chat = Int64(step * 7919 % chats + 1)
            updates.append(try decode(templates[step % templates.count](chat, step)))
        }
        return updates
    }

    static func decode(_ json: String) throws -> Update { try Update(json: Array(json.utf8)) }
}

/// Updates applied a second by `stores` stores at once, each on its own task, `updates` each.
func storeApplyRate(stores: Int, updates: [Update]) async -> Double {
    let start = ContinuousClock.now
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<stores {
            group.addTask {
                let store = TelegramStore(changeBufferSize: 100)
                for update in updates { store.apply(update) }
                _ = store.chatIDs(in: .main)
            }
        }
    }
    return Double(stores * updates.count) / seconds(ContinuousClock.now - start)
}

/// Kilobytes of resident memory that `count` objects take in a store, built and applied in batches so
/// that the update objects themselves are freed.
func storeMemory(count: Int, object: (Int64) -> String) throws -> (kilobytes: Int, store: TelegramStore) {
    let store = TelegramStore(changeBufferSize: 100)
    let before = processStatus("VmRSS")
    for batch in stride(from: 1, through: count, by: 1_000) {
        for id in batch..<min(batch + 1_000, count + 1) { store.apply(try StoreFixture.decode(object(Int64(id)))) }
    }
    return (processStatus("VmRSS") - before, store)
}

/// A logged-in client on a simulator world of `chats` chats, the first of which has `messages` messages.
func simulatedWorld(chats: Int, messages: Int) async throws -> (Telegram, TDSimulator) {
    let chatList = (1...chats).map { #"{"id":\#(-$0),"kind":"basicGroup","title":"Group \#($0)","memberIds":[2001]}"# }
    // Each chat gets a message, so that the simulator gives every chat a positive order.
    let perChat = (1...chats).map { #"{"chatId":\#(-$0),"senderId":2001,"text":"hello"}"# }
    let history = (0..<messages).map { #"{"chatId":-1,"senderId":2001,"text":"message \#($0)"}"# }
    let json = """
        {"accounts": [{"phone": "+15550100001", "code": "11111", "userId": 1001, "firstName": "Alice"}],
         "users": [{"id": 2001, "firstName": "Dave"}], "chats": [\(chatList.joined(separator: ","))],
         "messages": [\((history + perChat).joined(separator: ","))]}
        """
    let simulator = TDSimulator(scenario: try SimulatorScenario(json: Data(json.utf8)))
    var configuration = try TelegramConfiguration(
        apiID: 1, apiHash: "x", databaseEncryptionKey: "k", phone: "+15550100001")
    configuration.library = simulator
    configuration.filesDirectory =
        FileManager.default.temporaryDirectory.appendingPathComponent("store-bench-\(UUID().uuidString)").path
    configuration.stepTimeout = .seconds(600)
    let telegram = try await Telegram(configuration: configuration)
    _ = try await telegram.login(blocking: false)
    _ = try await telegram.sendCode("11111")
    return (telegram, simulator)
}

func storeBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let changes = Int(environment["BENCH_STORE_UPDATES"] ?? "") ?? 200_000
    let updates = try StoreFixture.mix(chats: 1_000, changes: changes)
    print("Store kept from updates (\(updates.count) updates: 1,000 new chats and users, then \(changes) changes)")
    let one = await storeApplyRate(stores: 1, updates: updates)
    print("applied to the store: \(format(one))/s on 1 client")
    let hundred = await storeApplyRate(stores: 100, updates: Array(updates.prefix(updates.count / 10)))
    print("applied to the store: \(format(hundred))/s in all on 100 clients")
    // BENCH_STORE_DELIVERY=0 skips the flood: a debug build cannot drain it, and its backlog grows.
    guard environment["BENCH_STORE_DELIVERY"] != "0" else { return try await storeFootprint(environment) }
    let deliveryOne = try await floodRate(clients: 1, slowConsumer: false)
    let deliveryHundred = try await floodRate(clients: 100, slowConsumer: false)
    print(
        "receive loop's delivery without the store: \(format(deliveryOne))/s on 1 client, "
            + "\(format(deliveryHundred))/s on 100 (store/delivery: \(String(format: "%.1f", one / deliveryOne)), "
            + "\(String(format: "%.1f", hundred / deliveryHundred)))")
    record([
        "benchmark": "store-apply", "one_client_per_s": one, "hundred_clients_per_s": hundred,
        "delivery_one_client_per_s": deliveryOne, "delivery_hundred_clients_per_s": deliveryHundred,
    ])
    try await storeFootprint(environment)
}

/// The store's memory, and the sequences on the simulator.
func storeFootprint(_ environment: [String: String]) async throws {

    let (chatMemory, chatStore) = try storeMemory(count: 10_000) { StoreFixture.chat($0, order: $0 << 20) }
    let (userMemory, userStore) = try storeMemory(count: 100_000) { StoreFixture.user($0) }
    let listStart = ContinuousClock.now
    let listed = chatStore.chatList(.main).count
    let listTime = seconds(ContinuousClock.now - listStart)
    print(
        "memory: \(chatMemory / 1024) MB per 10,000 chats (with a last message each), \(userMemory / 1024) MB per "
            + "100,000 users (\(userStore.counts.users)); an ordered snapshot of \(listed) chats: "
            + "\(String(format: "%.1f", listTime * 1000)) ms")
    record([
        "benchmark": "store-memory", "kb_per_10000_chats": chatMemory, "kb_per_100000_users": userMemory,
        "ordered_snapshot_10000_chats_ms": listTime * 1000,
    ])

    let chatCount = Int(environment["BENCH_STORE_CHATS"] ?? "") ?? 10_000
    let messageCount = Int(environment["BENCH_STORE_MESSAGES"] ?? "") ?? 100_000
    // Two worlds: the simulator's world takes time in proportion to chats × messages to build.
    let (telegram, simulator) = try await simulatedWorld(chats: chatCount, messages: 0)
    var start = ContinuousClock.now
    let chats = try await telegram.chats(in: .main).collect()
    let chatsTime = seconds(ContinuousClock.now - start)
    await telegram.stop()
    try await TDClientManager.shared(for: simulator).shutdown()
    let (reader, historySimulator) = try await simulatedWorld(chats: 1, messages: messageCount)
    start = ContinuousClock.now
    var messages = 0
    for try await _ in reader.history(chatID: -1) { messages += 1 }
    let historyTime = seconds(ContinuousClock.now - start)
    await reader.stop()
    try await TDClientManager.shared(for: historySimulator).shutdown()
    print(
        "simulator: \(chats.count) chats listed in \(String(format: "%.2f", chatsTime)) s (chats(in:), loadChats "
            + "until 404); \(messages) messages paged in \(String(format: "%.2f", historyTime)) s (history)")
    record([
        "benchmark": "store-sequences", "chats": chats.count, "list_chats_s": chatsTime, "messages": messages,
        "page_history_s": historyTime,
    ])
}
