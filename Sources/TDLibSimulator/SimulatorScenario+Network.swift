import Foundation

extension SimulatorScenario {
    /// How much TDLib holds and loads at a time; each value is TDLib's own when absent
    /// (td/telegram/MessagesManager.cpp at the commit of our libtdjson).
    public struct Paging: Codable, Sendable, Hashable {
        /// Chats a `loadChats` or `getChats` gets from Telegram in one server request; 100 when absent.
        public var chatsPerServerPage: Int?
        /// Messages of a chat a client holds when it learns of the chat: its last message, 1 when absent.
        /// `getChatHistory` answers from what the client holds, so its first answer is that short.
        public var messagesHeldOnNewChat: Int?
        /// Older messages TDLib preloads after an answer that leaves few held below it; 50 when absent.
        public var historyPreloadCount: Int?
        /// Fewer held messages than this at and below an answer's oldest trigger the preload; 31 when absent.
        public var historyPreloadThreshold: Int?

        /// Creates paging settings; absent values take TDLib's.
        public init(
            chatsPerServerPage: Int? = nil, messagesHeldOnNewChat: Int? = nil, historyPreloadCount: Int? = nil,
            historyPreloadThreshold: Int? = nil
        ) {
            self.chatsPerServerPage = chatsPerServerPage
            self.messagesHeldOnNewChat = messagesHeldOnNewChat
            self.historyPreloadCount = historyPreloadCount
            self.historyPreloadThreshold = historyPreloadThreshold
        }

        var chatPage: Int { max(1, chatsPerServerPage ?? 100) }
        var heldOnNewChat: Int { max(1, messagesHeldOnNewChat ?? 1) }
        var preloadCount: Int { max(0, historyPreloadCount ?? 50) }
        var preloadThreshold: Int { max(0, historyPreloadThreshold ?? 31) }
    }

    /// How long a round trip to Telegram's servers takes, for what goes through them; 0 makes it instant.
    ///
    /// A value set here also holds on a manual clock, where it waits for ``SimulatorClock/advance(by:)``.
    /// An absent value takes its realistic default on the wall clock, and is 0 on a manual clock (as
    /// ``SimulatorScenario/closingMilliseconds`` is), so that a test opts into network time where it wants it.
    public struct Network: Codable, Sendable, Hashable {
        /// From `sendMessage` to `updateMessageSendSucceeded`; 150 ms when absent.
        public var messageDeliveryMilliseconds: Int?
        /// From `setAuthenticationPhoneNumber` or `resendAuthenticationCode` to the code being sent (its
        /// `ok` and authorizationStateWaitCode); 300 ms when absent.
        public var codeDeliveryMilliseconds: Int?

        /// Creates network timings; absent values take the defaults.
        public init(messageDeliveryMilliseconds: Int? = nil, codeDeliveryMilliseconds: Int? = nil) {
            self.messageDeliveryMilliseconds = messageDeliveryMilliseconds
            self.codeDeliveryMilliseconds = codeDeliveryMilliseconds
        }

        /// Timings for tests that want speed: everything at once.
        public static let instant = Network(messageDeliveryMilliseconds: 0, codeDeliveryMilliseconds: 0)

        func messageDelivery(onManualClock: Bool) -> Double {
            Self.seconds(messageDeliveryMilliseconds, default: 150, onManualClock: onManualClock)
        }

        func codeDelivery(onManualClock: Bool) -> Double {
            Self.seconds(codeDeliveryMilliseconds, default: 300, onManualClock: onManualClock)
        }

        private static func seconds(_ milliseconds: Int?, default realistic: Int, onManualClock: Bool) -> Double {
            Double(max(0, milliseconds ?? (onManualClock ? 0 : realistic))) / 1000
        }
    }

    var pagingSettings: Paging { paging ?? Paging() }
    var networkSettings: Network { network ?? Network() }
}
