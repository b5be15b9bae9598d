import TDLibAPI

/// The options a client may set with `setOption`, and how TDLib checks their values.
///
/// From `OptionManager::set_option` in `td/telegram/OptionManager.cpp` (tdlib/td at commit 022d602).
/// Options that only a user account (not a bot) may set are accepted for both here.
enum SettableOption {
    case boolean
    case integer(ClosedRange<Int64>)
    case string

    static let all: [String: SettableOption] = {
        var options: [String: SettableOption] = [:]
        for name in [
            "always_parse_markdown", "disable_animated_emoji", "disable_contact_registered_notifications",
            "disable_network_statistics", "disable_persistent_network_statistics",
            "disable_sent_scheduled_message_notifications", "disable_time_adjustment_protection", "disable_top_chats",
            "ignore_background_updates", "ignore_default_disable_notification", "ignore_file_names",
            "ignore_inline_thumbnails", "ignore_platform_restrictions", "is_emulator", "online", "prefer_ipv6",
            "process_pinned_messages_as_mentions", "reuse_uploaded_photos_by_hash",
            "store_all_files_in_files_directory", "test_flood_wait", "use_pfs", "use_quick_ack",
            "use_storage_optimizer",
        ] {
            options[name] = .boolean
        }
        let anyCount = Int64(0)...Int64(Int32.max)
        for name in [
            "storage_max_files_size", "storage_max_time_from_last_access", "storage_max_file_count",
            "storage_immunity_delay", "notification_group_count_max", "notification_group_size_max",
        ] {
            options[name] = .integer(anyCount)
        }
        options["message_unload_delay"] = .integer(60...86_400)
        options["utc_time_offset"] = .integer(-12 * 60 * 60...14 * 60 * 60)
        for name in ["connection_parameters", "language_pack_database_path", "language_pack_id", "localization_target"]
        {
            options[name] = .string
        }
        return options
    }()
}

extension TDSimulator {
    /// `setOption`: checks the name and the value as TDLib does, keeps the value and reports it.
    func setOption(_ request: Request, session: inout ClientSession, outbox: inout Outbox) throws {
        let set = try request.decode(SetOption.self)
        let name = set.name
        let value = set.value ?? .empty(OptionValueEmpty())
        if name.hasPrefix("x") || name.hasPrefix("X") {
            guard name.utf8.count <= 255 else { throw SimulatedError(code: 400, message: "Option name is too long") }
        } else {
            guard let kind = SettableOption.all[name] else {
                throw SimulatedError(code: 400, message: "Option can't be set")
            }
            try check(value, of: name, as: kind)
        }
        if case .string(let text) = value, text.value.isEmpty {
            session.options[name] = nil
        } else if case .empty = value {
            session.options[name] = nil
        } else {
            session.options[name] = value
        }
        outbox.update(.option(UpdateOption(name: name, value: session.options[name] ?? .empty(OptionValueEmpty()))))
        outbox.answer(Ok())
    }

    private func check(_ value: OptionValue, of name: String, as kind: SettableOption) throws {
        switch (kind, value) {
        case (_, .empty), (.boolean, .boolean), (.string, .string):
            return
        case (.integer(let range), .integer(let number)):
            guard range.contains(number.value) else {
                throw SimulatedError(
                    code: 400,
                    message:
                        "Option's \"\(name)\" value \(number.value) is outside of the valid range [\(range.lowerBound), \(range.upperBound)]"
                )
            }
        case (.boolean, _): throw SimulatedError(code: 400, message: "Option \"\(name)\" must have boolean value")
        case (.integer, _): throw SimulatedError(code: 400, message: "Option \"\(name)\" must have integer value")
        case (.string, _): throw SimulatedError(code: 400, message: "Option \"\(name)\" must have string value")
        }
    }
}
