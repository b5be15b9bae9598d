import TDLibAPI

/// A condition on a message, for ``Telegram/onMessage(_:_:)`` and for filtering streams; combine
/// filters with `&&`, `||` and `!`.
///
/// ```swift
/// tg.onMessage(.incoming && .privateChat && .text(hasPrefix: "hi")) { message in … }
/// ```
public struct MessageFilter: Sendable {
    private let test: @Sendable (Message) -> Bool

    /// A filter that runs `test` on each message.
    public init(_ test: @escaping @Sendable (Message) -> Bool) {
        self.test = test
    }

    /// Whether `message` passes the filter.
    public func matches(_ message: Message) -> Bool { test(message) }

    /// Both filters.
    public static func && (lhs: MessageFilter, rhs: MessageFilter) -> MessageFilter {
        MessageFilter { lhs.test($0) && rhs.test($0) }
    }

    /// Either filter.
    public static func || (lhs: MessageFilter, rhs: MessageFilter) -> MessageFilter {
        MessageFilter { lhs.test($0) || rhs.test($0) }
    }

    /// The opposite of the filter.
    public static prefix func ! (filter: MessageFilter) -> MessageFilter {
        MessageFilter { !filter.test($0) }
    }
}

extension MessageFilter {
    /// Every message.
    public static let all = MessageFilter { _ in true }
    /// Messages sent by others.
    public static let incoming = MessageFilter { !$0.isOutgoing }
    /// Messages sent by this account.
    public static let outgoing = MessageFilter { $0.isOutgoing }
    /// Messages in a one-to-one chat (with a user or a bot).
    public static let privateChat = MessageFilter { ChatKind(chatID: $0.chatId) == .privateChat }
    /// Messages in a basic group or a supergroup, not in a channel.
    public static let group = MessageFilter { message in
        switch ChatKind(chatID: message.chatId) {
        case .basicGroup: true
        case .supergroupOrChannel: !message.isChannelPost
        default: false
        }
    }
    /// Posts in a channel.
    public static let channel = MessageFilter { $0.isChannelPost }
    /// Messages that were edited since they were sent.
    public static let edited = MessageFilter { $0.editDate != 0 }
    /// Messages forwarded from elsewhere.
    public static let forwarded = MessageFilter { $0.forwardInfo != nil }
    /// Replies to another message.
    public static let reply = MessageFilter { $0.replyTo != nil }
    /// Messages with text (not captions).
    public static let text = MessageFilter { if case .text = $0.content { true } else { false } }
    /// Photos.
    public static let photo = MessageFilter { if case .photo = $0.content { true } else { false } }
    /// Documents (files sent as files).
    public static let document = MessageFilter { if case .document = $0.content { true } else { false } }

    /// Messages sent by the user `userID`.
    public static func from(userID: Int64) -> MessageFilter {
        MessageFilter { if case .user(let sender) = $0.senderId { sender.userId == userID } else { false } }
    }

    /// Messages in the chat `chatID`.
    public static func inChat(_ chatID: Int64) -> MessageFilter {
        MessageFilter { $0.chatId == chatID }
    }

    /// Messages whose text or caption passes `test`.
    public static func text(where test: @escaping @Sendable (String) -> Bool) -> MessageFilter {
        MessageFilter { message in message.textOrCaption.map(test) ?? false }
    }

    /// Messages whose text or caption starts with `prefix`.
    public static func text(hasPrefix prefix: String) -> MessageFilter {
        text { $0.hasPrefix(prefix) }
    }

    /// Messages whose text or caption contains `part`, ignoring case.
    public static func text(contains part: String) -> MessageFilter {
        text { $0.localizedCaseInsensitiveContains(part) }
    }

    /// Messages that start with the bot command `/name` (any case), addressed to any bot; see
    /// ``BotCommandCall`` for the rules and for the check of the bot's username.
    public static func command(_ name: String) -> MessageFilter {
        MessageFilter { message in
            guard let call = message.textOrCaption.flatMap(BotCommandCall.init(text:)) else { return false }
            return call.isCommand(name)
        }
    }
}

/// What a chat is, read from its id as TDLib forms chat ids (`DialogId::get_type` in TDLib's source):
/// users' chats are positive, basic groups -1 to -(10^12 - 1), secret chats within 2^31 of -2·10^12, and
/// supergroups and channels the ranges on either side of those (-10^12 - id, and monoforums below).
enum ChatKind: Equatable {
    case privateChat
    case basicGroup
    case supergroupOrChannel
    case secretChat

    private static let zeroSecretChatID: Int64 = -2_000_000_000_000

    init(chatID: Int64) {
        let secretChats = (Self.zeroSecretChatID + Int64(Int32.min))...(Self.zeroSecretChatID + Int64(Int32.max))
        switch chatID {
        case 1...: self = .privateChat
        case -999_999_999_999 ... -1: self = .basicGroup
        case secretChats where chatID != Self.zeroSecretChatID: self = .secretChat
        default: self = .supergroupOrChannel
        }
    }
}

extension Message {
    /// The message's text, or its caption for media; `nil` when it has neither.
    public var textOrCaption: String? {
        switch content {
        case .text(let text): text.text.text
        case .photo(let photo): photo.caption.text
        case .document(let document): document.caption.text
        case .video(let video): video.caption.text
        case .audio(let audio): audio.caption.text
        case .animation(let animation): animation.caption.text
        case .voiceNote(let note): note.caption.text
        default: nil
        }
    }
}
