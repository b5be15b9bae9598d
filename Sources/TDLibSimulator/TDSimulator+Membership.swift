import Foundation
import TDLibAPI

/// How a user comes into a group, which decides the service message Telegram posts.
public enum SimulatorJoin: Sendable, Hashable {
    /// A member added them (`messageChatAddMembers`, sent by the member).
    case addedBy(Int64)
    /// They joined a public supergroup themselves (`messageChatAddMembers` with themselves, as TDLib shows it).
    case themselves
    /// They joined with an invite link (`messageChatJoinByLink`).
    case byLink
}

/// Group membership changing while the simulator runs: users join and leave groups, supergroups and
/// channels; members get the service message, and a bot that joins or leaves `updateChatMember`.
///
/// TDLib passes on the `updateChatParticipant`/`updateChannelParticipant` that Telegram sends to bots
/// only: to a bot for its own membership, and to administrator bots for everyone's; the simulator's
/// bots are plain members, so they hear of their own only.
extension TDSimulator {
    static let membershipMethods: Set<String> = ["joinChat", "leaveChat"]

    /// `joinChat` and `leaveChat` of a client, with TDLib's checks (DialogParticipantManager's join_dialog
    /// and leave_dialog); `false` when `request` is neither.
    func membershipRequest(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws -> Bool {
        switch request.type {
        case "joinChat":
            let chatID = try request.decode(JoinChat.self).chatId
            // Requests.cpp's CHECK_IS_USER.
            guard !session.isBot else {
                throw SimulatedError(code: 400, message: "The method is not available to bots")
            }
            guard let chat = state.world.chats[chatID], session.knownChats.contains(chatID) else {
                throw SimulatedError(code: 400, message: "Chat not found")
            }
            if case .privateChat = chat.kind { throw SimulatedError(code: 400, message: "Can't join private chats") }
            // The join's updates go out at once, before this answer, as TDLib has them when the query returns.
            state.sessions[clientID] = session
            joinLocked(me, chat: chatID, how: .themselves, state: &state)
            session = state.sessions[clientID] ?? session
            outbox.answer(ChatJoinResult.success(ChatJoinResultSuccess(chatId: chatID)))
        case "leaveChat":
            let chatID = try request.decode(LeaveChat.self).chatId
            guard let chat = state.world.chats[chatID], session.knownChats.contains(chatID) else {
                throw SimulatedError(code: 400, message: "Chat not found")
            }
            if case .privateChat = chat.kind { throw SimulatedError(code: 400, message: "Can't leave private chats") }
            guard chat.isMember(me) else { throw SimulatedError(code: 400, message: "USER_NOT_PARTICIPANT") }
            state.sessions[clientID] = session
            leaveLocked(me, chat: chatID, removedBy: nil, state: &state)
            session = state.sessions[clientID] ?? session
            outbox.answer(Ok())
        default:
            return false
        }
        return true
    }

    /// Makes `userID` a member of `chatID`, as Telegram does on a join: the chat's members (the newcomer
    /// too) get the service message, a joining bot `updateChatMember`; later messages of the chat reach
    /// the newcomer. Channels post no service message. Does nothing for a member or an unknown chat;
    /// in a chat without `membersOnly` every account is a member already.
    public func join(_ userID: Int64, chat chatID: Int64, how: SimulatorJoin) {
        state.withLock { joinLocked(userID, chat: chatID, how: how, state: &$0) }
    }

    private func joinLocked(_ userID: Int64, chat chatID: Int64, how: SimulatorJoin, state: inout SimulatorState) {
        guard var chat = state.world.chats[chatID], !chat.isMember(userID) else { return }
        if case .privateChat = chat.kind { return }
        chat.memberIDs.append(userID)
        state.world.chats[chatID] = chat
        let actor: Int64
        let content: MessageContent
        switch how {
        case .addedBy(let member):
            actor = member
            content = .chatAddMembers(MessageChatAddMembers(memberUserIds: [userID]))
        case .themselves:
            actor = userID
            content = .chatAddMembers(MessageChatAddMembers(memberUserIds: [userID]))
        case .byLink:
            actor = userID
            content = .chatJoinByLink(MessageChatJoinByLink())
        }
        changeMembership(
            of: userID, in: chatID, actor: actor, service: content, joined: true, state: &state)
    }

    /// Takes `userID` out of `chatID`: the remaining members get `messageChatDeleteMember` (in a basic
    /// group the leaver too, as TDLib shows "left the group"), a leaving bot `updateChatMember`, and the
    /// chat's later messages no longer reach them. `removedBy` is the member who removed them; the
    /// user leaves themselves when absent. Only a chat with `membersOnly` has members who can leave.
    public func leave(_ userID: Int64, chat chatID: Int64, removedBy: Int64? = nil) {
        state.withLock { leaveLocked(userID, chat: chatID, removedBy: removedBy, state: &$0) }
    }

    private func leaveLocked(_ userID: Int64, chat chatID: Int64, removedBy: Int64?, state: inout SimulatorState) {
        guard var chat = state.world.chats[chatID], chat.membersOnly, chat.isMember(userID) else { return }
        if case .privateChat = chat.kind { return }
        chat.memberIDs.removeAll { $0 == userID }
        state.world.chats[chatID] = chat
        changeMembership(
            of: userID, in: chatID, actor: removedBy ?? userID,
            service: .chatDeleteMember(MessageChatDeleteMember(userId: userID)), joined: false, state: &state)
    }

    /// Posts the service message of a membership change and tells the chat's bots of it.
    private func changeMembership(
        of userID: Int64, in chatID: Int64, actor: Int64, service: MessageContent, joined: Bool,
        state: inout SimulatorState
    ) {
        guard let chat = state.world.chats[chatID] else { return }
        let date = Int32(Date().timeIntervalSince1970)
        // Channels show no join or leave messages to their subscribers.
        let postsMessage = !chat.kind.isChannel
        var record = SimulatorWorld.MessageRecord(id: 0, chatID: chatID, senderID: actor, text: "", date: date)
        if postsMessage {
            record = state.world.appendMessage(chatID: chatID, senderID: actor, text: "", date: date)
            record.service = service
            state.world.setMessage(record)
        }
        var isBasicGroup = false
        if case .basicGroup = chat.kind { isBasicGroup = true }
        let member = { (status: ChatMemberStatus) in
            ChatMember(
                memberId: .user(MessageSenderUser(userId: userID)), tag: "", inviterUserId: joined ? actor : 0,
                joinedChatDate: joined ? date : 0, status: status)
        }
        let left = member(.left(ChatMemberStatusLeft()))
        let present = member(.member(ChatMemberStatusMember(memberUntilDate: 0)))
        let update = UpdateChatMember(
            chatId: chatID, actorUserId: actor, date: date, inviteLink: nil, viaJoinRequest: false,
            viaChatFolderInviteLink: false, oldChatMember: joined ? left : present,
            newChatMember: joined ? present : left)
        for (clientID, var session) in state.sessions.sorted(by: { $0.key < $1.key }) where session.auth == .ready {
            guard let me = session.userID else { continue }
            let isLeaver = me == userID && !joined
            let seesMessage = postsMessage && (chat.isMember(me) || (isLeaver && isBasicGroup))
            let toldOfMember = me == userID && (state.world.users[me]?.isBot ?? false)
            guard seesMessage || toldOfMember else { continue }
            var outbox = Outbox(clientID: clientID)
            announceChat(chatID, session: &session, state: state, outbox: &outbox)
            if seesMessage, let message = try? messageObject(record, me: me, state: state, clientID: clientID) {
                holdNewMessage(record, session: &session)
                announceUsers(of: [record], session: &session, state: state, outbox: &outbox)
                outbox.update(.newMessage(UpdateNewMessage(message: message)))
            }
            if toldOfMember { outbox.update(.chatMember(update)) }
            state.sessions[clientID] = session
            deliver(outbox, state: state)
        }
    }
}
