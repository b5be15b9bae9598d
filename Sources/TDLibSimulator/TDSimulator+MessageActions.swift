import Foundation
import TDLib
import TDLibAPI

/// Pins, chat actions, read marks, reactions and bot commands, shown to every account that sees the
/// chat, with TDLib's updates (td_api.tl: updateMessageIsPinned, updateChatAction, updateChatReadInbox and
/// updateChatReadOutbox, updateMessageInteractionInfo) and its errors (MessagesManager.cpp).
extension TDSimulator {
    /// The methods of this file, which need a logged-in account.
    static let messageActionMethods: Set<String> = [
        "pinChatMessage", "unpinChatMessage", "sendChatAction", "viewMessages", "addMessageReaction", "setCommands",
        "getCommands",
    ]

    /// Handles the requests of this file; `false` when `request` is none of them.
    func messageActionRequest(
        _ request: Request, me: Int64, clientID: Int32, session: ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws -> Bool {
        switch request.type {
        case "pinChatMessage":
            let pin = try request.decode(PinChatMessage.self)
            try setPinned(true, chatID: pin.chatId, messageID: pin.messageId, clientID: clientID, state: &state)
        case "unpinChatMessage":
            let unpin = try request.decode(UnpinChatMessage.self)
            try setPinned(false, chatID: unpin.chatId, messageID: unpin.messageId, clientID: clientID, state: &state)
        case "sendChatAction":
            let action = try request.decode(SendChatAction.self)
            let chat = try state.chat(action.chatId)
            for (other, chatID) in peerViews(of: chat, actor: me, clientID: clientID, state: &state) {
                var peer = Outbox(clientID: other)
                peer.update(
                    .chatAction(
                        UpdateChatAction(
                            chatId: chatID, senderId: .user(MessageSenderUser(userId: me)),
                            action: action.action ?? .cancel(ChatActionCancel()))))
                deliver(peer, state: state)
            }
        case "viewMessages":
            let view = try request.decode(ViewMessages.self)
            let chat = try state.chat(view.chatId)
            guard let newest = view.messageIds.max() else { break }
            outbox.update(
                .chatReadInbox(UpdateChatReadInbox(chatId: chat.id, lastReadInboxMessageId: newest, unreadCount: 0)))
            let read = chat.messages.first { $0.id == newest }
            if let link = read?.link, let senderID = chat.kind.privateUserID {
                for (other, _) in state.sessions where state.sessions[other]?.userID == senderID {
                    var peer = Outbox(clientID: other)
                    peer.update(
                        .chatReadOutbox(
                            UpdateChatReadOutbox(chatId: link.chatID, lastReadOutboxMessageId: link.messageID)))
                    deliver(peer, state: state)
                }
            }
        case "addMessageReaction":
            try addReaction(request, me: me, clientID: clientID, state: &state, outbox: &outbox)
        case "setCommands":
            let commands = try request.decode(SetCommands.self).commands
            guard session.isBot else {
                throw SimulatedError(code: 400, message: "Only bots can use the method")
            }
            state.botCommands[me] = commands
        case "getCommands":
            _ = try request.decode(GetCommands.self)
            guard session.isBot else {
                throw SimulatedError(code: 400, message: "Only bots can use the method")
            }
            outbox.answer(BotCommands(botUserId: me, commands: state.botCommands[me] ?? []))
            return true
        default:
            return false
        }
        outbox.answer(Ok())
        return true
    }

    /// Messages deleted for everyone leave the other accounts' views too, with `updateDeleteMessages`.
    func deleteForOtherAccounts(
        _ records: [SimulatorWorld.MessageRecord], clientID: Int32, state: inout SimulatorState
    ) {
        var byViewer: [Int32: [(chatID: Int64, messageID: Int64)]] = [:]
        for record in records {
            let seen: [(clientID: Int32, record: SimulatorWorld.MessageRecord)]
            if let link = record.link, let mirrored = state.world.message(link),
                let peer = state.world.chats[record.chatID]?.kind.privateUserID
            {
                state.world.chats[link.chatID]?.messages.removeAll { $0.id == link.messageID }
                seen = state.sessions.filter { $0.value.auth == .ready && $0.value.userID == peer }.map {
                    ($0.key, mirrored)
                }
            } else {
                seen = views(of: record, clientID: clientID, state: state).filter { $0.clientID != clientID }
            }
            for view in seen { byViewer[view.clientID, default: []].append((view.record.chatID, view.record.id)) }
        }
        for (viewer, messages) in byViewer {
            var outbox = Outbox(clientID: viewer)
            for (chatID, group) in Dictionary(grouping: messages, by: \.chatID) {
                outbox.update(
                    .deleteMessages(
                        UpdateDeleteMessages(
                            chatId: chatID, messageIds: group.map(\.messageID), isPermanent: true, fromCache: false)))
            }
            deliver(outbox, state: state)
        }
    }

    /// The other accounts that see `chat`, with the chat's id in their view.
    private func peerViews(
        of chat: SimulatorWorld.ChatRecord, actor: Int64, clientID: Int32, state: inout SimulatorState
    ) -> [(clientID: Int32, chatID: Int64)] {
        let others = state.sessions.filter { $0.key != clientID && $0.value.auth == .ready && $0.value.userID != actor }
        if let peer = chat.kind.privateUserID {
            return others.filter { $0.value.userID == peer }.compactMap { entry in
                state.world.privateChat(with: actor).map { (entry.key, $0.id) }
            }
        }
        return others.map { ($0.key, chat.id) }
    }

    /// Every account's view of a message: the actor's, the linked copy for the other side of a private
    /// chat, the same message for the other accounts in a group.
    func views(
        of record: SimulatorWorld.MessageRecord, clientID: Int32, state: SimulatorState
    ) -> [(clientID: Int32, record: SimulatorWorld.MessageRecord)] {
        var views = [(clientID, record)]
        let ready = state.sessions.filter { $0.key != clientID && $0.value.auth == .ready }
        if let link = record.link, let mirrored = state.world.message(link),
            let peer = state.world.chats[record.chatID]?.kind.privateUserID
        {
            views += ready.filter { $0.value.userID == peer }.map { ($0.key, mirrored) }
        } else if state.world.chats[record.chatID]?.kind.privateUserID == nil {
            views += ready.map { ($0.key, record) }
        }
        return views
    }

    private func setPinned(
        _ isPinned: Bool, chatID: Int64, messageID: Int64, clientID: Int32, state: inout SimulatorState
    ) throws {
        let chat = try state.chat(chatID)
        guard var record = chat.messages.first(where: { $0.id == messageID }) else {
            throw SimulatedError(code: 400, message: "Message not found")
        }
        record.isPinned = isPinned
        state.world.setMessage(record)
        if let link = record.link, var mirrored = state.world.message(link) {
            mirrored.isPinned = isPinned
            state.world.setMessage(mirrored)
        }
        for (viewer, seen) in views(of: record, clientID: clientID, state: state) {
            var outbox = Outbox(clientID: viewer)
            outbox.update(
                .messageIsPinned(UpdateMessageIsPinned(chatId: seen.chatID, messageId: seen.id, isPinned: isPinned)))
            deliver(outbox, state: state)
        }
    }

    private func addReaction(
        _ request: Request, me: Int64, clientID: Int32, state: inout SimulatorState, outbox: inout Outbox
    ) throws {
        let add = try request.decode(AddMessageReaction.self)
        guard case .emoji(let emoji) = add.reactionType else {
            throw SimulatedError(code: 400, message: "REACTION_INVALID")
        }
        let chat = try state.chat(add.chatId)
        guard var record = chat.messages.first(where: { $0.id == add.messageId }) else {
            throw SimulatedError(code: 400, message: "Message not found")
        }
        record.reactions[emoji.emoji, default: []].insert(me)
        state.world.setMessage(record)
        if let link = record.link, var mirrored = state.world.message(link) {
            mirrored.reactions = record.reactions
            state.world.setMessage(mirrored)
        }
        for (viewer, seen) in views(of: record, clientID: clientID, state: state) {
            guard let viewerID = state.sessions[viewer]?.userID else { continue }
            var update = Outbox(clientID: viewer)
            update.update(
                .messageInteractionInfo(
                    UpdateMessageInteractionInfo(
                        chatId: seen.chatID, messageId: seen.id,
                        interactionInfo: Self.interactionInfo(seen.reactions, viewer: viewerID))))
            if viewer == clientID { outbox.items += update.items } else { deliver(update, state: state) }
        }
    }

    /// A message's reactions as `viewer` sees them (`is_chosen` for their own).
    static func interactionInfo(_ reactions: [String: Set<Int64>], viewer: Int64) -> MessageInteractionInfo {
        let list = reactions.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.map { emoji, users in
            MessageReaction(
                type: .emoji(ReactionTypeEmoji(emoji: emoji)), totalCount: Int32(users.count),
                isChosen: users.contains(viewer), usedSenderId: nil,
                recentSenderIds: users.sorted().map { .user(MessageSenderUser(userId: $0)) })
        }
        return MessageInteractionInfo(
            viewCount: 0, forwardCount: 0, replyInfo: nil,
            reactions: MessageReactions(reactions: list, areTags: false, paidReactors: [], canGetAddedReactions: false))
    }
}
