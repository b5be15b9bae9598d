import TDLibAPI
import Telegram

/// Something a message can be sent to: a person (their private chat) or a group.
///
/// A private chat has a different identifier on each side, as on Telegram: the chat with Ada is
/// `ada.id` for everyone else. So a test names the person, and each side finds its own chat.
public protocol TestChatTarget: Sendable {
    /// The chat's identifier as seen by everyone but the person themselves.
    var chatID: Int64 { get }
    /// The name of the person or the title of the group, as transcripts show it.
    var displayName: String { get }
}

/// An account of a ``TestWorld``: a user or a bot, with its identity on the simulated Telegram.
public struct TestAccount: TestChatTarget, Hashable {
    /// How the account logs in.
    enum Credentials: Hashable, Sendable {
        case phone(String, code: String, password: String?)
        case botToken(String)
    }

    /// The account's user identifier.
    public let id: Int64
    /// Its first name, as the test gave it.
    public let name: String
    /// Its public username, without `@`; always set for bots.
    public let username: String
    /// Whether it is a bot.
    public var isBot: Bool {
        if case .botToken = credentials { return true }
        return false
    }
    let credentials: Credentials

    /// The private chat with this account, as everyone else sees it.
    public var chatID: Int64 { id }
    /// The account's name.
    public var displayName: String { name }
}

/// A group, supergroup or channel of a ``TestWorld``.
public struct TestChat: TestChatTarget, Hashable {
    /// The chat's identifier (the same for every member).
    public let chatID: Int64
    /// The chat's title.
    public let title: String
    /// The title.
    public var displayName: String { title }
}

extension Message {
    /// The labels of the message's inline buttons, row by row; empty when it has none.
    public var inlineButtonLabels: [[String]] {
        guard case .inlineKeyboard(let keyboard)? = replyMarkup else { return [] }
        return keyboard.rows.map { $0.map(\.text) }
    }
}
