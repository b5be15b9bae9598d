import Foundation
import TDLib
import Telegram

/// A TDLib stand-in whose answers a test scripts, method by method: pages of any length, errors midway,
/// updates before an answer, requests held until the test releases them.
final class ScriptedTDLib: TDJSONInterface, @unchecked Sendable {
    // @unchecked: every mutable field is read and written only while `condition` is locked.
    let name = "scripted-\(UUID().uuidString)"
    private let condition = NSCondition()
    private var outgoing: [String] = []
    private var lastReceived: UnsafeMutablePointer<CChar>?
    private var requests: [(method: String, fields: [String: Any])] = []
    private var held: [String: [String]] = [:]
    private var holding: Set<String> = []
    private var waiters: [(method: String, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private let script: @Sendable (_ method: String, _ fields: [String: Any]) -> [Reply]

    /// What the stand-in sends for a request, in this order.
    enum Reply {
        /// An update (a JSON object without `@client_id`).
        case update(String)
        /// The answer (a JSON object without `@extra`).
        case answer(String)
        /// TDLib's error answer.
        case error(Int, String)
    }

    init(_ script: @escaping @Sendable (_ method: String, _ fields: [String: Any]) -> [Reply]) {
        self.script = script
    }

    deinit { free(lastReceived) }

    func createClientID() -> Int32 { 1 }

    func send(clientID: Int32, request: UnsafePointer<CChar>) {
        let text = String(cString: request)
        guard let fields = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let method = fields["@type"] as? String
        else { return }
        let extra = (fields["@extra"] as? NSNumber)?.stringValue ?? "0"
        var replies: [String] = []
        if method == "close" {
            replies = [
                #"{"@type":"updateAuthorizationState","authorization_state":{"@type":"authorizationStateClosed"},"@client_id":1}"#,
                #"{"@type":"ok","@client_id":1,"@extra":\#(extra)}"#,
            ]
        } else {
            for reply in script(method, fields) {
                switch reply {
                case .update(let json): replies.append(Self.adding(#""@client_id":1"#, to: json))
                case .answer(let json): replies.append(Self.adding(#""@client_id":1,"@extra":\#(extra)"#, to: json))
                case .error(let code, let message):
                    replies.append(
                        #"{"@type":"error","code":\#(code),"message":"\#(message)","@client_id":1,"@extra":\#(extra)}"#)
                }
            }
        }
        condition.lock()
        requests.append((method, fields))
        if holding.contains(method) {
            held[method, default: []].append(contentsOf: replies)
        } else {
            outgoing.append(contentsOf: replies)
        }
        let count = requests.filter { $0.method == method }.count
        let ready = waiters.filter { $0.method == method && $0.count <= count }
        waiters.removeAll { $0.method == method && $0.count <= count }
        condition.broadcast()
        condition.unlock()
        for waiter in ready { waiter.continuation.resume() }
    }

    func receive(timeout: Double) -> UnsafePointer<CChar>? {
        condition.lock()
        defer { condition.unlock() }
        free(lastReceived)
        lastReceived = nil
        if outgoing.isEmpty { _ = condition.wait(until: Date(timeIntervalSinceNow: timeout)) }
        guard !outgoing.isEmpty else { return nil }
        lastReceived = strdup(outgoing.removeFirst())
        return lastReceived.map { UnsafePointer($0) }
    }

    func execute(request: UnsafePointer<CChar>) -> UnsafePointer<CChar>? {
        condition.lock()
        defer { condition.unlock() }
        free(lastReceived)
        lastReceived = strdup(#"{"@type":"ok"}"#)
        return lastReceived.map { UnsafePointer($0) }
    }

    func setLogMessageCallback(maxVerbosity: Int32, callback: TDLogMessageCallback?) {}

    /// Sends the updates of a script outside any request, as TDLib does on its own.
    func push(_ updates: [String]) {
        condition.lock()
        outgoing.append(contentsOf: updates.map { Self.adding(#""@client_id":1"#, to: $0) })
        condition.broadcast()
        condition.unlock()
    }

    /// Keeps the replies to `method` until ``release(_:)``.
    func hold(_ method: String) {
        condition.lock()
        holding.insert(method)
        condition.unlock()
    }

    /// Sends the replies kept for `method`, and stops holding it.
    func release(_ method: String) {
        condition.lock()
        holding.remove(method)
        outgoing.append(contentsOf: held.removeValue(forKey: method) ?? [])
        condition.broadcast()
        condition.unlock()
    }

    /// The requests of `method` received so far, with their fields.
    func requests(_ method: String) -> [[String: Any]] {
        condition.lock()
        defer { condition.unlock() }
        return requests.filter { $0.method == method }.map(\.fields)
    }

    /// Waits until `count` requests of `method` have come.
    func waitForRequests(_ method: String, count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            let ready = requests.filter { $0.method == method }.count >= count
            if !ready { waiters.append((method, count, continuation)) }
            condition.unlock()
            if ready { continuation.resume() }
        }
    }

    private static func adding(_ fields: String, to json: String) -> String {
        "{" + fields + (json.dropFirst().hasPrefix("}") ? "" : ",") + json.dropFirst()
    }
}

/// TDLib objects for scripted tests, as TDLib writes them.
enum Fixture {
    static func position(_ list: String = "chatListMain", folder: Int32? = nil, order: Int64, pinned: Bool = false)
        -> String
    {
        let folderField = folder.map { #","chat_folder_id":\#($0)"# } ?? ""
        return
            #"{"@type":"chatPosition","list":{"@type":"\#(list)"\#(folderField)},"order":"\#(order)","is_pinned":\#(pinned)}"#
    }

    static func chat(_ id: Int64, title: String = "", positions: [String] = []) -> String {
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
        let title = title.isEmpty ? "Chat \(id)" : title
        return
            #"{"@type":"chat","id":\#(id),"type":{"@type":"chatTypePrivate","user_id":\#(id)},"title":"\#(title)","accent_color_id":0,"background_custom_emoji_id":"0","profile_accent_color_id":-1,"profile_background_custom_emoji_id":"0","permissions":{"@type":"chatPermissions",\#(permissions)},"positions":[\#(positions.joined(separator: ","))],"chat_lists":[],"has_protected_content":false,"is_translatable":false,"is_marked_as_unread":false,"view_as_topics":false,"has_scheduled_messages":false,"can_be_deleted_only_for_self":true,"can_be_deleted_for_all_users":false,"can_be_reported":false,"default_disable_notification":false,"unread_count":0,"last_read_inbox_message_id":0,"last_read_outbox_message_id":0,"unread_mention_count":0,"unread_reaction_count":0,"unread_poll_vote_count":0,"notification_settings":{"@type":"chatNotificationSettings",\#(notifications),"mute_for":0,"sound_id":"0","show_preview":true,"mute_stories":false,"story_sound_id":"0","show_story_poster":true,"disable_pinned_message_notifications":false,"disable_mention_notifications":false},"available_reactions":{"@type":"chatAvailableReactionsAll","max_reaction_count":11},"message_auto_delete_time":0,"video_chat":{"@type":"videoChat","group_call_id":0,"has_participants":false},"reply_markup_message_id":0,"client_data":""}"#
    }

    static func message(_ id: Int64, chatID: Int64, date: Int32 = 1_700_000_000, text: String = "hi") -> String {
        #"{"@type":"message","id":\#(id),"sender_id":{"@type":"messageSenderUser","user_id":7},"chat_id":\#(chatID),"is_outgoing":false,"is_pinned":false,"is_from_offline":false,"can_be_saved":true,"has_timestamped_media":true,"is_channel_post":false,"is_paid_star_suggested_post":false,"is_paid_gram_suggested_post":false,"contains_unread_mention":false,"contains_unread_poll_votes":false,"date":\#(date),"edit_date":0,"unread_reactions":[],"self_destruct_in":0,"auto_delete_in":0,"via_bot_user_id":0,"sender_business_bot_user_id":0,"sender_boost_count":0,"sender_tag":"","paid_message_star_count":0,"author_signature":"","media_album_id":"0","effect_id":"0","summary_language_code":"","content":{"@type":"messageText","text":{"@type":"formattedText","text":"\#(text)","entities":[]}},"ephemeral_message_id":0}"#
    }

    static func user(_ id: Int64, firstName: String = "User") -> String {
        #"{"@type":"user","id":\#(id),"first_name":"\#(firstName)","last_name":"","phone_number":"","status":{"@type":"userStatusEmpty"},"accent_color_id":0,"background_custom_emoji_id":"0","profile_accent_color_id":-1,"profile_background_custom_emoji_id":"0","is_contact":false,"is_mutual_contact":false,"is_close_friend":false,"is_premium":false,"is_support":false,"restricts_new_chats":false,"paid_message_star_count":0,"have_access":true,"type":{"@type":"userTypeRegular"},"language_code":"","added_to_attachment_menu":false}"#
    }

    static func updateUser(_ id: Int64, firstName: String = "User") -> String {
        #"{"@type":"updateUser","user":\#(user(id, firstName: firstName))}"#
    }

    static func newChat(_ id: Int64, title: String = "", positions: [String] = []) -> String {
        #"{"@type":"updateNewChat","chat":\#(chat(id, title: title, positions: positions))}"#
    }

    static func chatPosition(_ chatID: Int64, _ position: String) -> String {
        #"{"@type":"updateChatPosition","chat_id":\#(chatID),"position":\#(position)}"#
    }

    /// Decodes an update written as TDLib writes it.
    static func update(_ json: String) throws -> Update { try Update(json: Array(json.utf8)) }
}

/// A client on a scripted TDLib, stopped and its manager shut down after `body`.
func withScriptedTelegram(
    _ library: ScriptedTDLib, _ body: (Telegram) async throws -> Void
) async throws {
    var configuration = try TelegramConfiguration(
        apiID: 1, apiHash: "scripted", databaseEncryptionKey: "key", phone: "+15550100001")
    configuration.library = library
    configuration.filesDirectory =
        FileManager.default.temporaryDirectory.appendingPathComponent("telegram-store-\(UUID().uuidString)").path
    let telegram = try await Telegram(configuration: configuration)
    do {
        try await body(telegram)
    } catch {
        await telegram.stop(closeTimeout: .seconds(10))
        try? await TDClientManager.shared(for: library).shutdown(timeout: .seconds(10))
        throw error
    }
    await telegram.stop(closeTimeout: .seconds(10))
    try await TDClientManager.shared(for: library).shutdown(timeout: .seconds(10))
}
