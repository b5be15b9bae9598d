import Foundation
import TDLibAPI

/// The synchronous utilities TDLib answers offline (`td/telegram/SynchronousRequests.cpp`, commit 022d602),
/// with the same checks and messages.
extension TDSimulator {
    /// Answers `request` when it is one of these utilities; false for any other method.
    func answerUtility(_ request: Request, outbox: inout Outbox) throws -> Bool {
        switch request.type {
        case "parseTextEntities":
            guard request.has("parse_mode") else {
                // TDLib reads the whole request first: a wrongly typed text fails before the missing mode.
                if let text = request.rawValue("text"), !(text is NSNull), !(text is String) {
                    _ = try request.decode(ParseTextEntities.self)
                }
                throw SimulatedError(code: 400, message: "Parse mode must be non-empty")
            }
            let decoded = try request.decode(ParseTextEntities.self)
            let (text, mode) = (Array(decoded.text.utf8), decoded.parseMode)
            do throws(TextParseError) {
                let parsed = try Self.parseEntities(text, mode: mode)
                outbox.answer(
                    FormattedText(
                        text: String(decoding: parsed.text, as: UTF8.self), entities: parsed.entities.map(\.textEntity))
                )
            } catch {
                throw SimulatedError(code: 400, message: "Can't parse entities: \(error.message)")
            }
        case "getCountryFlagEmoji":
            outbox.answer(Text(text: Self.countryFlagEmoji(try request.decode(GetCountryFlagEmoji.self).countryCode)))
        case "checkQuickReplyShortcutName":
            if let problem = Self.shortcutNameProblem(try request.decode(CheckQuickReplyShortcutName.self).name) {
                throw SimulatedError(code: 200, message: problem)
            }
            outbox.answer(Ok())
        case "getChatFolderDefaultIconName":
            guard request.has("folder") else {
                throw SimulatedError(code: 400, message: "Chat folder must be non-empty")
            }
            outbox.answer(
                ChatFolderIcon(name: Self.defaultIconName(request.rawValue("folder") as? [String: Any] ?? [:])))
        case "getJsonValue":
            let json = Array(try request.decode(GetJsonValue.self).json.utf8)
            do throws(TDLibJSON.Failure) {
                outbox.answer(try TDLibJSON.decode(json).jsonValue)
            } catch {
                throw SimulatedError(code: 400, message: error.message)
            }
        case "getPushReceiverId":
            let payload = Array(try request.decode(GetPushReceiverId.self).payload.utf8)
            do throws(TDLibJSON.Failure) {
                outbox.answer(PushReceiverId(id: try TDLibJSON.pushReceiverID(payload)))
            } catch {
                throw SimulatedError(code: 400, message: error.message)
            }
        case "getFileMimeType":
            outbox.answer(Text(text: MIMETypes.type(ofFileName: try request.decode(GetFileMimeType.self).fileName)))
        case "getFileExtension":
            outbox.answer(
                Text(text: MIMETypes.fileExtension(ofType: try request.decode(GetFileExtension.self).mimeType)))
        case "getJsonString":
            var json: [UInt8] = []
            do throws(TDLibJSON.Failure) {
                try TDLibJSON.encode(request.rawValue("json_value"), into: &json)
            } catch {
                throw SimulatedError(code: 400, message: error.message)
            }
            outbox.answer(Text(text: String(decoding: json, as: UTF8.self)))
        default:
            return false
        }
        return true
    }

    /// TDLib's `parseTextEntities` after its UTF-8 and parse mode checks.
    static func parseEntities(_ text: [UInt8], mode: TextParseMode) throws(TextParseError) -> (
        text: [UInt8], entities: [ParsedEntity]
    ) {
        if text.lazy.filter(TextBytes.isFirstCodeUnit).count > 65536 { throw TextParseError("Text is too long") }
        switch mode {
        case .hTML: return try HTMLTextParser.parse(text)
        case .markdown(let markdown):
            switch markdown.version {
            case 0, 1: return try MarkdownTextParser.parse(text)
            case 2: return try MarkdownV2TextParser.parse(text)
            default: throw TextParseError("Wrong Markdown version specified")
            }
        case .unknown: throw TextParseError("Unknown parse mode")
        }
    }

    /// `CountryInfoManager::get_country_flag_emoji`: regional indicator letters, with Telegram's exceptions.
    static func countryFlagEmoji(_ code: String) -> String {
        let bytes = Array(code.utf8)
        guard bytes.count == 2, TextBytes.isAlpha(bytes[0]), TextBytes.isAlpha(bytes[1]) else { return "" }
        let letters = String(decoding: bytes.map { $0 & ~0x20 }, as: UTF8.self)
        switch letters {
        case "YL": return "\u{1F52E}"
        case "FT": return "\u{1F3F4}\u{200D}\u{2620}\u{FE0F}"
        case "XG": return "\u{1F6F0}"
        case "XV": return "\u{1F30D}"
        default:
            return String(
                String.UnicodeScalarView(
                    letters.utf8.compactMap { Unicode.Scalar(0x1F1A5 + UInt32($0)) }))
        }
    }

    /// `QuickReplyManager::check_shortcut_name`: nil when the name is allowed, else TDLib's reason.
    static func shortcutNameProblem(_ name: String) -> String? {
        var length = 0
        for scalar in name.unicodeScalars {
            let value = scalar.value
            let allowed: Bool
            if value == 0x5F || value == 0x200C || value == 0xB7 || (0xD80...0xDFF).contains(value) {
                allowed = true
            } else {
                switch scalar.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                    .decimalNumber:
                    allowed = true
                default: allowed = false
                }
            }
            if !allowed { return "A letter is not allowed" }
            length += 1
        }
        if length == 0 { return "Name must be non-empty" }
        if length > 32 { return "Name is too long" }
        return nil
    }

    /// The icon names TDLib knows (`DialogFilter::init_icon_names`).
    static let chatFolderIconNames: Set<String> = [
        "All", "Unread", "Unmuted", "Bots", "Channels", "Groups", "Private", "Custom", "Setup", "Cat", "Crown",
        "Favorite", "Flower", "Game", "Home", "Love", "Mask", "Party", "Sport", "Study", "Trade", "Travel", "Work",
        "Airplane", "Book", "Light", "Like", "Money", "Note", "Palette",
    ]

    /// `DialogFilter::get_default_icon_name`, on the folder as the request gives it (TDLib reads a missing
    /// field as its default, so a folder of only `@type` is valid).
    static func defaultIconName(_ folder: [String: Any]) -> String {
        func flag(_ key: String) -> Bool {
            switch folder[key] {
            case let number as NSNumber: number.boolValue
            case let text as String: (Int64(text) ?? 0) != 0
            default: false
            }
        }
        func hasChats(_ key: String) -> Bool { !((folder[key] as? [Any]) ?? []).isEmpty }
        if let name = (folder["icon"] as? [String: Any])?["name"] as? String, chatFolderIconNames.contains(name) {
            return name
        }
        if hasChats("pinned_chat_ids") || hasChats("included_chat_ids") || hasChats("excluded_chat_ids") {
            return "Custom"
        }
        let (bots, groups, channels) = (flag("include_bots"), flag("include_groups"), flag("include_channels"))
        if flag("include_contacts") || flag("include_non_contacts") {
            if !bots && !groups && !channels { return "Private" }
        } else {
            if !bots && !channels { return groups ? "Groups" : "Custom" }
            if !bots && !groups { return "Channels" }
            if !groups && !channels { return "Bots" }
        }
        let (read, muted) = (flag("exclude_read"), flag("exclude_muted"))
        if read && !muted { return "Unread" }
        if muted && !read { return "Unmuted" }
        return "Custom"
    }
}
