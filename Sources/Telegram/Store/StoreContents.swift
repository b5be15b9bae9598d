import TDLibAPI

/// Everything the store keeps, as one value: it is changed only by ``apply(_:)``, in TDLib's order.
struct StoreContents {
    var chats: [Int64: Chat] = [:]
    var users: [Int64: User] = [:]
    var userFullInfos: [Int64: UserFullInfo] = [:]
    var basicGroups: [Int64: BasicGroup] = [:]
    var basicGroupFullInfos: [Int64: BasicGroupFullInfo] = [:]
    var supergroups: [Int64: Supergroup] = [:]
    var supergroupFullInfos: [Int64: SupergroupFullInfo] = [:]
    var secretChats: [Int32: SecretChat] = [:]
    var options: [String: OptionValue] = [:]
    var connectionState: ConnectionState?
    /// The chats of each list with their order there; only positions with a non-zero order.
    var lists: [ChatList: [Int64: Int64]] = [:]
    /// Each list's chat identifiers in TDLib's order, computed on the first read after a change.
    var orderedLists: [ChatList: [Int64]] = [:]
    /// The messages this account sent lately, for ``MessageFilter/replyToMine(_:)``.
    var ownMessages = OwnMessages()

    /// Applies one update; returns what changed, or `nil` when the update is not about stored data.
    mutating func apply(_ update: Update) -> StoreChange? {
        switch update {
        case .newChat(let new):
            let chat = new.chat
            chats[chat.id] = chat
            setPositions(chat.positions, of: chat.id)
            return .newChat(chat.id)
        case .chatPosition(let change):
            guard chats[change.chatId] != nil else { return nil }
            setPosition(change.position, of: change.chatId)
            return .chatPositions(change.chatId)
        case .chatLastMessage(let change):
            guard chats[change.chatId] != nil else { return nil }
            chats[change.chatId]?.lastMessage = change.lastMessage
            setPositions(change.positions, of: change.chatId)
            return .chatPositions(change.chatId)
        case .chatDraftMessage(let change):
            guard chats[change.chatId] != nil else { return nil }
            chats[change.chatId]?.draftMessage = change.draftMessage
            setPositions(change.positions, of: change.chatId)
            return .chatPositions(change.chatId)
        case .user(let change):
            users[change.user.id] = change.user
            return .user(change.user.id)
        case .userStatus(let change):
            guard users[change.userId] != nil else { return nil }
            users[change.userId]?.status = change.status
            return .user(change.userId)
        case .userFullInfo(let change):
            userFullInfos[change.userId] = change.userFullInfo
            return .userFullInfo(change.userId)
        case .basicGroup(let change):
            basicGroups[change.basicGroup.id] = change.basicGroup
            return .basicGroup(change.basicGroup.id)
        case .basicGroupFullInfo(let change):
            basicGroupFullInfos[change.basicGroupId] = change.basicGroupFullInfo
            return .basicGroupFullInfo(change.basicGroupId)
        case .supergroup(let change):
            supergroups[change.supergroup.id] = change.supergroup
            return .supergroup(change.supergroup.id)
        case .supergroupFullInfo(let change):
            supergroupFullInfos[change.supergroupId] = change.supergroupFullInfo
            return .supergroupFullInfo(change.supergroupId)
        case .secretChat(let change):
            secretChats[change.secretChat.id] = change.secretChat
            return .secretChat(change.secretChat.id)
        case .option(let change):
            if case .empty = change.value {
                options[change.name] = nil
            } else {
                options[change.name] = change.value
            }
            return .option(change.name)
        case .connectionState(let change):
            connectionState = change.state
            return .connectionState
        case .newMessage(let new):
            guard new.message.isOutgoing else { return nil }
            ownMessages.insert(chatID: new.message.chatId, messageID: new.message.id)
            return nil
        case .messageSendSucceeded(let sent):
            ownMessages.insert(chatID: sent.message.chatId, messageID: sent.message.id)
            return nil
        default:
            return applyChatField(update)
        }
    }

    /// Replaces every position of a chat, as `updateChatLastMessage` and `updateChatDraftMessage` carry
    /// them all; a list missing from `positions` no longer holds the chat.
    private mutating func setPositions(_ positions: [ChatPosition], of chatID: Int64) {
        let kept = positions.filter { $0.order != 0 }
        let old = chats[chatID]?.positions ?? []
        chats[chatID]?.positions = kept
        for position in old where !kept.contains(where: { $0.list == position.list }) {
            removeFromList(position.list, chatID: chatID)
        }
        for position in kept { placeInList(position.list, chatID: chatID, order: position.order) }
    }

    /// Changes one position; an order of 0 takes the chat out of that list.
    private mutating func setPosition(_ position: ChatPosition, of chatID: Int64) {
        chats[chatID]?.positions.removeAll { $0.list == position.list }
        if position.order == 0 {
            removeFromList(position.list, chatID: chatID)
        } else {
            chats[chatID]?.positions.append(position)
            placeInList(position.list, chatID: chatID, order: position.order)
        }
    }

    private mutating func placeInList(_ list: ChatList, chatID: Int64, order: Int64) {
        let previous = lists[list, default: [:]].updateValue(order, forKey: chatID)
        if previous != order { orderedLists[list] = nil }
    }

    private mutating func removeFromList(_ list: ChatList, chatID: Int64) {
        if lists[list]?.removeValue(forKey: chatID) != nil { orderedLists[list] = nil }
    }

    /// The chats of a list in TDLib's order: by order, then by chat identifier, both descending.
    mutating func orderedChatIDs(in list: ChatList) -> [Int64] {
        if let cached = orderedLists[list] { return cached }
        let ordered = (lists[list] ?? [:]).sorted { left, right in
            left.value != right.value ? left.value > right.value : left.key > right.key
        }.map(\.key)
        orderedLists[list] = ordered
        return ordered
    }
}
