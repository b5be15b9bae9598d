import TDLibAPI

/// The messages this account sent that the client has seen since it started, the newest `capacity`
/// kept: enough to tell a reply to one of them from a reply to someone else's without asking TDLib.
///
/// They come from the updates TDLib sends anyway: `updateNewMessage` of an outgoing message (users see
/// their own messages, also those sent from another device) and `updateMessageSendSucceeded` (the server
/// identifier a message gets once sent; bots see only this one).
struct OwnMessages {
    struct Key: Hashable {
        var chatID: Int64
        var messageID: Int64
    }

    static let capacity = 4096

    private var keys: Set<Key> = []
    /// The keys in the order they came, as a ring: `next` is the oldest once the ring is full.
    private var ring: [Key] = []
    private var next = 0

    func contains(chatID: Int64, messageID: Int64) -> Bool {
        keys.contains(Key(chatID: chatID, messageID: messageID))
    }

    mutating func insert(chatID: Int64, messageID: Int64) {
        let key = Key(chatID: chatID, messageID: messageID)
        guard keys.insert(key).inserted else { return }
        if ring.count < Self.capacity {
            ring.append(key)
        } else {
            keys.remove(ring[next])
            ring[next] = key
            next = (next + 1) % Self.capacity
        }
    }
}

extension TelegramStore {
    /// Whether the message `messageID` of `chatID` is one this account sent, among the last 4096 the
    /// client saw since it started; `false` for older ones, which only TDLib (`getMessage`) can tell.
    public func isOwnMessage(chatID: Int64, messageID: Int64) -> Bool {
        withContents { $0.ownMessages.contains(chatID: chatID, messageID: messageID) }
    }
}

extension MessageFilter {
    /// Replies to a message this account sent.
    ///
    /// Decided without a request to TDLib, so it costs a lookup: a reply to a message of another chat
    /// names its sender (`origin`); a reply in the same chat is checked against the messages this client
    /// saw itself send since it started (``TelegramStore/isOwnMessage(chatID:messageID:)``, the last
    /// 4096). A reply to an older message of this account does not match; for those, read the replied
    /// message with `getRepliedMessage` in the handler.
    ///
    /// ```swift
    /// tg.onMessage(.incoming && .replyToMine(tg)) { message in … }
    /// ```
    public static func replyToMine(_ telegram: Telegram) -> MessageFilter {
        let store = telegram.store
        return MessageFilter { message in
            guard case .message(let reply)? = message.replyTo else { return false }
            if let origin = reply.origin {
                guard case .user(let sender) = origin, let me = store.myUserID else { return false }
                return sender.senderUserId == me
            }
            return store.isOwnMessage(chatID: reply.chatId, messageID: reply.messageId)
        }
    }
}
