import Foundation
import TDLibAPI

/// TDLib objects of the world, written as JSON and read back through the generated types, so that
/// every object the simulator emits is checked against the schema.
enum SimulatorObjects {
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20:
                result += String(format: "\\u%04x", control.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static func decode<T: TDDecodable>(_ type: T.Type, _ json: String) throws -> T {
        try T(json: json)
    }

    static func user(_ record: SimulatorWorld.UserRecord) throws -> User {
        let usernames =
            record.username.map {
                #","usernames":{"@type":"usernames","active_usernames":[\#(quoted($0))],"disabled_usernames":[],"editable_username":\#(quoted($0)),"collectible_usernames":[]}"#
            } ?? ""
        let type =
            record.isBot
            ? #"{"@type":"userTypeBot","can_be_edited":false,"can_join_groups":true,"can_read_all_group_messages":false,"has_main_web_app":false,"has_topics":false,"allows_users_to_create_topics":false,"can_manage_bots":false,"is_inline":false,"inline_query_placeholder":"","supports_guest_queries":false,"is_guard":false,"need_location":false,"can_connect_to_business":false,"can_be_added_to_attachment_menu":false,"active_user_count":0}"#
            : #"{"@type":"userTypeRegular"}"#
        return try decode(
            User.self,
            #"{"@type":"user","id":\#(record.id),"first_name":\#(quoted(record.firstName)),"last_name":\#(quoted(record.lastName))\#(usernames),"phone_number":\#(quoted(record.phone)),"status":{"@type":"userStatusRecently","by_my_privacy_settings":false},"accent_color_id":\#(record.id % 7),"background_custom_emoji_id":"0","profile_accent_color_id":-1,"profile_background_custom_emoji_id":"0","is_contact":\#(record.isContact),"is_mutual_contact":\#(record.isContact),"is_close_friend":false,"is_premium":false,"is_support":false,"restricts_new_chats":false,"paid_message_star_count":0,"have_access":true,"type":\#(type),"language_code":"","added_to_attachment_menu":false}"#
        )
    }

    static func userFullInfo(_ record: SimulatorWorld.UserRecord) throws -> UserFullInfo {
        try decode(
            UserFullInfo.self,
            #"{"@type":"userFullInfo","community_id":0,"can_be_called":\#(!record.isBot),"supports_video_calls":\#(!record.isBot),"has_private_calls":false,"has_private_forwards":false,"has_restricted_voice_and_video_note_messages":false,"has_posted_to_profile_stories":false,"has_sponsored_messages_enabled":false,"need_phone_number_privacy_exception":false,"set_chat_background":false,"uses_unofficial_app":false,"bio":{"@type":"formattedText","text":"","entities":[]},"personal_chat_id":0,"gift_count":0,"group_in_common_count":0,"incoming_paid_message_star_count":0,"outgoing_paid_message_star_count":0,"gift_settings":{"@type":"giftSettings","show_gift_button":false,"accepted_gift_types":{"@type":"acceptedGiftTypes","unlimited_gifts":true,"limited_gifts":true,"upgraded_gifts":true,"gifts_from_channels":true,"premium_subscription":true}},"pending_rating_date":0}"#
        )
    }

    static func chatType(_ kind: SimulatorWorld.ChatKind) -> String {
        switch kind {
        case .privateChat(let userID): #"{"@type":"chatTypePrivate","user_id":\#(userID)}"#
        case .basicGroup(let id): #"{"@type":"chatTypeBasicGroup","basic_group_id":\#(id)}"#
        case .supergroup(let id, let isChannel):
            #"{"@type":"chatTypeSupergroup","supergroup_id":\#(id),"is_channel":\#(isChannel)}"#
        }
    }

    static func chat(
        _ record: SimulatorWorld.ChatRecord, lastMessage: Message?, positions: [ChatPosition]
    ) throws -> Chat {
        let permissions = (0..<16).map { _ in "true" }
        let permissionNames = [
            "can_send_basic_messages", "can_send_audios", "can_send_documents", "can_send_photos",
            "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
            "can_send_other_messages", "can_add_link_previews", "can_react_to_messages", "can_edit_tag",
            "can_change_info", "can_invite_users", "can_pin_messages", "can_create_topics",
        ]
        let permissionFields = zip(permissionNames, permissions).map { "\"\($0)\":\($1)" }.joined(separator: ",")
        let last = lastMessage.map { ",\"last_message\":" + $0.jsonString() } ?? ""
        let positionsJSON = "[" + positions.map { $0.jsonString() }.joined(separator: ",") + "]"
        let notificationFields = [
            "use_default_mute_for", "use_default_sound", "use_default_show_preview", "use_default_mute_stories",
            "use_default_story_sound", "use_default_show_story_poster",
            "use_default_disable_pinned_message_notifications", "use_default_disable_mention_notifications",
        ].map { "\"\($0)\":true" }.joined(separator: ",")
        return try decode(
            Chat.self,
            #"{"@type":"chat","id":\#(record.id),"type":\#(chatType(record.kind)),"title":\#(quoted(record.title)),"accent_color_id":\#(abs(record.id) % 7),"background_custom_emoji_id":"0","profile_accent_color_id":-1,"profile_background_custom_emoji_id":"0","permissions":{"@type":"chatPermissions",\#(permissionFields)}\#(last),"positions":\#(positionsJSON),"chat_lists":[\#(record.list.object.jsonString())],"has_protected_content":false,"is_translatable":false,"is_marked_as_unread":false,"view_as_topics":false,"has_scheduled_messages":false,"can_be_deleted_only_for_self":true,"can_be_deleted_for_all_users":false,"can_be_reported":false,"default_disable_notification":false,"unread_count":0,"last_read_inbox_message_id":0,"last_read_outbox_message_id":0,"unread_mention_count":0,"unread_reaction_count":0,"unread_poll_vote_count":0,"notification_settings":{"@type":"chatNotificationSettings",\#(notificationFields),"mute_for":0,"sound_id":"0","show_preview":true,"mute_stories":false,"story_sound_id":"0","show_story_poster":true,"disable_pinned_message_notifications":false,"disable_mention_notifications":false},"available_reactions":{"@type":"chatAvailableReactionsAll","max_reaction_count":11},"message_auto_delete_time":0,"video_chat":{"@type":"videoChat","group_call_id":0,"has_participants":false},"reply_markup_message_id":0,"client_data":""}"#
        )
    }

    static func message(
        _ record: SimulatorWorld.MessageRecord, myID: Int64, isChannel: Bool, pendingSendingID: Int32? = nil
    ) throws -> Message {
        let sendingState =
            pendingSendingID.map {
                #","sending_state":{"@type":"messageSendingStatePending","sending_id":\#($0)}"#
            } ?? ""
        let sender =
            isChannel
            ? #"{"@type":"messageSenderChat","chat_id":\#(record.chatID)}"#
            : #"{"@type":"messageSenderUser","user_id":\#(record.senderID)}"#
        return try decode(
            Message.self,
            #"{"@type":"message","id":\#(record.id),"sender_id":\#(sender),"chat_id":\#(record.chatID)\#(sendingState),"is_outgoing":\#(record.senderID == myID),"is_pinned":false,"is_from_offline":false,"can_be_saved":true,"has_timestamped_media":true,"is_channel_post":\#(isChannel),"is_paid_star_suggested_post":false,"is_paid_gram_suggested_post":false,"contains_unread_mention":false,"contains_unread_poll_votes":false,"date":\#(record.date),"edit_date":0,"unread_reactions":[],"self_destruct_in":0,"auto_delete_in":0,"via_bot_user_id":0,"sender_business_bot_user_id":0,"sender_boost_count":0,"sender_tag":"","paid_message_star_count":0,"author_signature":"","media_album_id":"0","effect_id":"0","summary_language_code":"","content":{"@type":"messageText","text":{"@type":"formattedText","text":\#(quoted(record.text)),"entities":[]}},"ephemeral_message_id":0}"#
        )
    }

    static func chatMember(_ userID: Int64) throws -> ChatMember {
        try decode(
            ChatMember.self,
            #"{"@type":"chatMember","member_id":{"@type":"messageSenderUser","user_id":\#(userID)},"tag":"","inviter_user_id":0,"joined_chat_date":1767225600,"status":{"@type":"chatMemberStatusMember","member_until_date":0}}"#
        )
    }

    static func basicGroup(id: Int64, memberCount: Int) throws -> BasicGroup {
        try decode(
            BasicGroup.self,
            #"{"@type":"basicGroup","id":\#(id),"member_count":\#(memberCount),"status":{"@type":"chatMemberStatusMember","member_until_date":0},"is_active":true,"upgraded_to_supergroup_id":0}"#
        )
    }

    static func supergroup(id: Int64, isChannel: Bool, memberCount: Int, username: String? = nil) throws
        -> Supergroup
    {
        let usernames =
            username.map {
                #","usernames":{"@type":"usernames","active_usernames":[\#(quoted($0))],"disabled_usernames":[],"editable_username":\#(quoted($0)),"collectible_usernames":[]}"#
            } ?? ""
        return try decode(
            Supergroup.self,
            #"{"@type":"supergroup","id":\#(id)\#(usernames),"date":1767225600,"status":{"@type":"chatMemberStatusMember","member_until_date":0},"member_count":\#(memberCount),"boost_level":0,"has_automatic_translation":false,"has_linked_chat":false,"has_location":false,"sign_messages":false,"show_message_sender":false,"join_to_send_messages":false,"join_by_request":false,"is_slow_mode_enabled":false,"is_channel":\#(isChannel),"is_broadcast_group":false,"is_forum":false,"is_direct_messages_group":false,"is_administered_direct_messages_group":false,"has_direct_messages_group":false,"has_forum_tabs":false,"paid_message_star_count":0}"#
        )
    }

    static func supergroupFullInfo(memberCount: Int) throws -> SupergroupFullInfo {
        let flags = [
            "can_enable_paid_messages", "can_enable_paid_reaction", "can_get_members", "has_hidden_members",
            "can_hide_members", "can_set_sticker_set", "can_set_location", "can_get_statistics",
            "can_get_revenue_statistics", "can_get_star_revenue_statistics", "can_send_gift",
            "can_toggle_aggressive_anti_spam", "is_all_history_available", "can_have_sponsored_messages",
            "has_aggressive_anti_spam_enabled", "has_paid_media_allowed", "has_pinned_stories",
        ].map { "\"\($0)\":\($0 == "can_get_members" || $0 == "is_all_history_available")" }
            .joined(separator: ",")
        return try decode(
            SupergroupFullInfo.self,
            #"{"@type":"supergroupFullInfo","community_id":0,"description":"A simulated supergroup.","member_count":\#(memberCount),"administrator_count":1,"restricted_count":0,"banned_count":0,"linked_chat_id":0,"direct_messages_chat_id":0,"slow_mode_delay":0,"slow_mode_delay_expires_in":0,\#(flags),"gift_count":0,"my_boost_count":0,"unrestrict_boost_count":0,"outgoing_paid_message_star_count":0,"sticker_set_id":"0","custom_emoji_sticker_set_id":"0","guard_bot_user_id":0,"bot_commands":[],"upgraded_from_basic_group_id":0,"upgraded_from_max_message_id":0}"#
        )
    }
}
