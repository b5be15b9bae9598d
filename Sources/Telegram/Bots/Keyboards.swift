import Foundation
import TDLibAPI

/// A button under a message; pressing it sends the bot a callback query, opens a link or copies text.
public struct InlineButton: Sendable, Hashable {
    /// The button as TDLib takes it.
    public var button: InlineKeyboardButton

    /// A button that sends `callbackData` (at most 64 bytes of UTF-8, Telegram's limit) to the bot.
    public init(_ text: String, callbackData: String) {
        self.init(text, type: .callback(InlineKeyboardButtonTypeCallback(data: Array(callbackData.utf8))))
    }

    /// A button that opens `url`.
    public init(_ text: String, url: String) {
        self.init(text, type: .url(InlineKeyboardButtonTypeUrl(url: url)))
    }

    /// A button that copies `copyText` to the user's clipboard.
    public init(_ text: String, copyText: String) {
        self.init(text, type: .copyText(InlineKeyboardButtonTypeCopyText(text: copyText)))
    }

    /// A button of any type TDLib knows.
    public init(_ text: String, type: InlineKeyboardButtonType) {
        button = InlineKeyboardButton(
            text: text, iconCustomEmojiId: 0, style: .default(ButtonStyleDefault()), type: type)
    }
}

/// A button of a keyboard that replaces the user's own; pressing it sends its text or shares data.
public struct ReplyButton: Sendable, Hashable {
    /// The button as TDLib takes it.
    public var button: KeyboardButton

    /// A button that sends its text as a message.
    public init(_ text: String) {
        self.init(text, type: .text(KeyboardButtonTypeText()))
    }

    /// A button of any type TDLib knows (request a phone number, a location, a poll…).
    public init(_ text: String, type: KeyboardButtonType) {
        button = KeyboardButton(text: text, iconCustomEmojiId: 0, style: .default(ButtonStyleDefault()), type: type)
    }

    /// A button that shares the user's phone number with the bot.
    public static func requestPhoneNumber(_ text: String) -> ReplyButton {
        ReplyButton(text, type: .requestPhoneNumber(KeyboardButtonTypeRequestPhoneNumber()))
    }

    /// A button that shares the user's location with the bot.
    public static func requestLocation(_ text: String) -> ReplyButton {
        ReplyButton(text, type: .requestLocation(KeyboardButtonTypeRequestLocation()))
    }
}

/// One row of buttons, in a ``InlineKeyboard`` or a ``ReplyKeyboard``.
public struct ButtonRow<Button: Sendable & Hashable>: Sendable, Hashable {
    /// The buttons, left to right.
    public var buttons: [Button]

    /// A row of the buttons the closure lists.
    public init(@ListBuilder<Button> _ buttons: () -> [Button]) {
        self.buttons = buttons()
    }
}

/// Buttons under a message:
///
/// ```swift
/// let keyboard = InlineKeyboard {
///     ButtonRow { InlineButton("Yes", callbackData: "yes"); InlineButton("No", callbackData: "no") }
///     ButtonRow { InlineButton("Help", url: "https://telegram.org/faq") }
/// }
/// try await tg.sendMessage(chatID: chatID, text: "Sure?", replyMarkup: keyboard.replyMarkup)
/// ```
public struct InlineKeyboard: Sendable, Hashable {
    /// The rows, top to bottom.
    public var rows: [ButtonRow<InlineButton>]

    /// A keyboard of the rows the closure lists.
    public init(@ListBuilder<ButtonRow<InlineButton>> _ rows: () -> [ButtonRow<InlineButton>]) {
        self.rows = rows()
    }

    /// The keyboard as TDLib takes it in `sendMessage` and `editMessageReplyMarkup`.
    public var replyMarkup: ReplyMarkup {
        .inlineKeyboard(ReplyMarkupInlineKeyboard(rows: rows.map { $0.buttons.map(\.button) }))
    }
}

/// A keyboard that replaces the user's own while the chat is open (bots only).
public struct ReplyKeyboard: Sendable, Hashable {
    /// The rows, top to bottom.
    public var rows: [ButtonRow<ReplyButton>]
    /// Hide the keyboard once a button is pressed.
    public var oneTime = false
    /// Fit the keyboard's height to its buttons.
    public var resizeToFit = true
    /// Show it only to the users the message mentions or replies to.
    public var isPersonal = false
    /// Keep it shown when the user opens their own keyboard.
    public var isPersistent = false
    /// The hint shown in the empty input field.
    public var placeholder = ""

    /// A keyboard of the rows the closure lists.
    public init(oneTime: Bool = false, @ListBuilder<ButtonRow<ReplyButton>> _ rows: () -> [ButtonRow<ReplyButton>]) {
        self.oneTime = oneTime
        self.rows = rows()
    }

    /// The keyboard as TDLib takes it in `sendMessage`.
    public var replyMarkup: ReplyMarkup {
        .showKeyboard(
            ReplyMarkupShowKeyboard(
                rows: rows.map { $0.buttons.map(\.button) }, isPersistent: isPersistent, resizeKeyboard: resizeToFit,
                oneTime: oneTime, isPersonal: isPersonal, inputFieldPlaceholder: placeholder))
    }

    /// Markup that removes a reply keyboard shown earlier.
    public static let remove = ReplyMarkup.removeKeyboard(ReplyMarkupRemoveKeyboard(isPersonal: false))
}

/// Builds a list from the values a closure lists, with `if`, `switch` and `for` (keyboards and rows).
@resultBuilder
public enum ListBuilder<Element> {
    /// One listed value.
    public static func buildExpression(_ element: Element) -> [Element] { [element] }
    /// Values listed one after another.
    public static func buildBlock(_ parts: [Element]...) -> [Element] { parts.flatMap { $0 } }
    /// An `if` without `else`.
    public static func buildOptional(_ part: [Element]?) -> [Element] { part ?? [] }
    /// The first branch of an `if`/`else` or `switch`.
    public static func buildEither(first part: [Element]) -> [Element] { part }
    /// The second branch of an `if`/`else` or `switch`.
    public static func buildEither(second part: [Element]) -> [Element] { part }
    /// A `for` loop.
    public static func buildArray(_ parts: [[Element]]) -> [Element] { parts.flatMap { $0 } }
}
