import TDLibAPI

extension StoreContents {
    /// Applies the `updateChat*` updates that change one field of a known chat.
    mutating func applyChatField(_ update: Update) -> StoreChange? {
        guard let chatID = Self.chatID(ofFieldUpdate: update), chats[chatID] != nil else { return nil }
        switch update {
        case .chatTitle(let change): chats[chatID]?.title = change.title
        case .chatPhoto(let change): chats[chatID]?.photo = change.photo
        case .chatAccentColors(let change):
            chats[chatID]?.accentColorId = change.accentColorId
            chats[chatID]?.backgroundCustomEmojiId = change.backgroundCustomEmojiId
            chats[chatID]?.upgradedGiftColors = change.upgradedGiftColors
            chats[chatID]?.profileAccentColorId = change.profileAccentColorId
            chats[chatID]?.profileBackgroundCustomEmojiId = change.profileBackgroundCustomEmojiId
        case .chatPermissions(let change): chats[chatID]?.permissions = change.permissions
        case .chatAddedToList(let change):
            if chats[chatID]?.chatLists.contains(change.chatList) == false {
                chats[chatID]?.chatLists.append(change.chatList)
            }
        case .chatRemovedFromList(let change): chats[chatID]?.chatLists.removeAll { $0 == change.chatList }
        case .chatReadInbox(let change):
            chats[chatID]?.lastReadInboxMessageId = change.lastReadInboxMessageId
            chats[chatID]?.unreadCount = change.unreadCount
        case .chatReadOutbox(let change): chats[chatID]?.lastReadOutboxMessageId = change.lastReadOutboxMessageId
        case .chatActionBar(let change): chats[chatID]?.actionBar = change.actionBar
        case .chatBusinessBotManageBar(let change): chats[chatID]?.businessBotManageBar = change.businessBotManageBar
        case .chatAvailableReactions(let change): chats[chatID]?.availableReactions = change.availableReactions
        case .chatEmojiStatus(let change): chats[chatID]?.emojiStatus = change.emojiStatus
        case .chatMessageSender(let change): chats[chatID]?.messageSenderId = change.messageSenderId
        case .chatMessageAutoDeleteTime(let change):
            chats[chatID]?.messageAutoDeleteTime = change.messageAutoDeleteTime
        case .chatNotificationSettings(let change): chats[chatID]?.notificationSettings = change.notificationSettings
        case .chatPendingJoinRequests(let change): chats[chatID]?.pendingJoinRequests = change.pendingJoinRequests
        case .chatReplyMarkup(let change): chats[chatID]?.replyMarkupMessageId = change.replyMarkupMessage?.id ?? 0
        case .chatBackground(let change): chats[chatID]?.background = change.background
        case .chatTheme(let change): chats[chatID]?.theme = change.theme
        case .chatUnreadMentionCount(let change): chats[chatID]?.unreadMentionCount = change.unreadMentionCount
        case .chatUnreadReactionCount(let change): chats[chatID]?.unreadReactionCount = change.unreadReactionCount
        case .chatUnreadPollVoteCount(let change): chats[chatID]?.unreadPollVoteCount = change.unreadPollVoteCount
        case .chatVideoChat(let change): chats[chatID]?.videoChat = change.videoChat
        case .chatDefaultDisableNotification(let change):
            chats[chatID]?.defaultDisableNotification = change.defaultDisableNotification
        case .chatHasProtectedContent(let change): chats[chatID]?.hasProtectedContent = change.hasProtectedContent
        case .chatIsTranslatable(let change): chats[chatID]?.isTranslatable = change.isTranslatable
        case .chatIsMarkedAsUnread(let change): chats[chatID]?.isMarkedAsUnread = change.isMarkedAsUnread
        case .chatViewAsTopics(let change): chats[chatID]?.viewAsTopics = change.viewAsTopics
        case .chatBlockList(let change): chats[chatID]?.blockList = change.blockList
        case .chatHasScheduledMessages(let change): chats[chatID]?.hasScheduledMessages = change.hasScheduledMessages
        default: return nil
        }
        return .chat(chatID)
    }

    /// The chat an `updateChat*` field update is about; `nil` for any other update.
    private static func chatID(ofFieldUpdate update: Update) -> Int64? {
        switch update {
        case .chatTitle(let change): change.chatId
        case .chatPhoto(let change): change.chatId
        case .chatAccentColors(let change): change.chatId
        case .chatPermissions(let change): change.chatId
        case .chatAddedToList(let change): change.chatId
        case .chatRemovedFromList(let change): change.chatId
        case .chatReadInbox(let change): change.chatId
        case .chatReadOutbox(let change): change.chatId
        case .chatActionBar(let change): change.chatId
        case .chatBusinessBotManageBar(let change): change.chatId
        case .chatAvailableReactions(let change): change.chatId
        case .chatEmojiStatus(let change): change.chatId
        case .chatMessageSender(let change): change.chatId
        case .chatMessageAutoDeleteTime(let change): change.chatId
        case .chatNotificationSettings(let change): change.chatId
        case .chatPendingJoinRequests(let change): change.chatId
        case .chatReplyMarkup(let change): change.chatId
        case .chatBackground(let change): change.chatId
        case .chatTheme(let change): change.chatId
        case .chatUnreadMentionCount(let change): change.chatId
        case .chatUnreadReactionCount(let change): change.chatId
        case .chatUnreadPollVoteCount(let change): change.chatId
        case .chatVideoChat(let change): change.chatId
        case .chatDefaultDisableNotification(let change): change.chatId
        case .chatHasProtectedContent(let change): change.chatId
        case .chatIsTranslatable(let change): change.chatId
        case .chatIsMarkedAsUnread(let change): change.chatId
        case .chatViewAsTopics(let change): change.chatId
        case .chatBlockList(let change): change.chatId
        case .chatHasScheduledMessages(let change): change.chatId
        default: nil
        }
    }
}
