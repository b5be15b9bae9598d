import Foundation
import TDLibAPI

/// Chat lists as TDLib keeps them per client (td/telegram/MessagesManager.cpp: get_dialogs,
/// load_dialog_list, on_get_dialogs; td/telegram/Requests.cpp: loadChats, getChats).
extension TDSimulator {
    /// `loadChats`: one server page of the list, its chats and positions sent as updates before `ok`;
    /// 404 once a page has come back empty.
    func loadChats(_ request: Request, session: inout ClientSession, state: SimulatorState, outbox: inout Outbox)
        throws
    {
        let load = try request.decode(LoadChats.self)
        guard let list = SimulatorWorld.ChatListID(load.chatList) else {
            throw SimulatedError(code: 400, message: "Chat list not found")
        }
        // TDLib answers a fully loaded list before it looks at the limit.
        guard session.chatLists[list]?.isComplete != true else { throw SimulatedError(code: 404, message: "Not Found") }
        guard load.limit > 0 else { throw SimulatedError(code: 400, message: "Parameter limit must be positive") }
        loadChatPage(list, session: &session, state: state, outbox: &outbox)
        outbox.answer(Ok())
    }

    /// `getChats`: loads pages until `limit` chats of the list are loaded or the list is, then answers
    /// the first of them in the list's order.
    func getChats(_ request: Request, session: inout ClientSession, state: SimulatorState, outbox: inout Outbox)
        throws
    {
        let get = try request.decode(GetChats.self)
        guard let list = SimulatorWorld.ChatListID(get.chatList) else {
            throw SimulatedError(code: 400, message: "Chat list not found")
        }
        guard get.limit > 0 else { throw SimulatedError(code: 400, message: "Parameter limit must be positive") }
        let ordered = state.world.orderedChats(in: list)
        let limit = min(Int(get.limit), ordered.count)
        func loaded() -> Int {
            let progress = session.chatLists[list] ?? LoadedChatList()
            return ordered.prefix { progress.contains($0.listKey) }.count
        }
        while loaded() < limit, session.chatLists[list]?.isComplete != true {
            loadChatPage(list, session: &session, state: state, outbox: &outbox)
        }
        let ids = ordered.prefix(min(limit, loaded())).map(\.id)
        outbox.answer(Chats(totalCount: Int32(ordered.count), chatIds: ids))
    }

    /// One `messages.getDialogs` page: the users and groups of its chats, then `updateNewChat` for each
    /// chat the client did not know, then `updateChatPosition` for each chat now in the loaded part.
    private func loadChatPage(
        _ list: SimulatorWorld.ChatListID, session: inout ClientSession, state: SimulatorState, outbox: inout Outbox
    ) {
        var progress = session.chatLists[list] ?? LoadedChatList()
        let boundary = progress.boundary
        let below = state.world.orderedChats(in: list).filter { chat in boundary.map { chat.listKey < $0 } ?? true }
        let page = below.prefix(scenario.pagingSettings.chatPage)
        guard let last = page.last else {
            progress.isComplete = true
            session.chatLists[list] = progress
            return
        }
        for chat in page where !session.knownChats.contains(chat.id) {
            announceParticipants(of: chat, session: &session, state: state, outbox: &outbox)
        }
        for chat in page { announceChat(chat.id, session: &session, state: state, outbox: &outbox) }
        progress.boundary = last.listKey
        session.chatLists[list] = progress
        for chat in page {
            outbox.update(.chatPosition(UpdateChatPosition(chatId: chat.id, position: position(chat))))
        }
    }

    /// `searchPublicChat`: a username to its chat (DialogManager::search_public_dialog); Telegram's
    /// errors for a username it cannot resolve.
    func searchPublicChat(
        _ request: Request, me: Int64, session: inout ClientSession, state: inout SimulatorState, outbox: inout Outbox
    ) throws {
        var username = try request.decode(SearchPublicChat.self).username.replacingOccurrences(of: ".", with: "")
            .lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        if username.hasPrefix("@") { username.removeFirst() }
        guard !username.isEmpty else { throw SimulatedError(code: 200, message: "Username is invalid") }
        guard username.count <= 32, username.allSatisfy({ ($0.isASCII && $0.isLetter) || $0.isNumber || $0 == "_" })
        else { throw SimulatedError(code: 400, message: "USERNAME_INVALID") }
        let chatID: Int64
        if let user = state.world.users.values.first(where: { $0.username?.lowercased() == username }),
            let chat = state.world.privateChat(with: user.id)
        {
            chatID = chat.id
        } else if let chat = state.world.chats.values.first(where: { $0.username?.lowercased() == username }) {
            chatID = chat.id
        } else {
            throw SimulatedError(code: 400, message: "USERNAME_NOT_OCCUPIED")
        }
        let chat = try state.chat(chatID)
        announceChat(chatID, session: &session, state: state, outbox: &outbox)
        outbox.answer(try chatObject(chat, me: me, session: session, state: state))
    }

    /// `getSupergroupMembers`: a page of members by offset, TDLib's checks first
    /// (DialogParticipantManager::get_channel_participants: at most 200, a channel's list only for admins).
    /// Every filter lists all members.
    func getSupergroupMembers(
        _ request: Request, me: Int64, session: inout ClientSession, state: SimulatorState, outbox: inout Outbox
    ) throws {
        let get = try request.decode(GetSupergroupMembers.self)
        guard get.limit > 0 else { throw SimulatedError(code: 400, message: "Parameter limit must be positive") }
        guard get.offset >= 0 else { throw SimulatedError(code: 400, message: "Parameter offset must be non-negative") }
        guard let chat = state.world.chats.values.first(where: { $0.kind.supergroupID == get.supergroupId }) else {
            throw SimulatedError(code: 400, message: "Supergroup not found")
        }
        guard !chat.kind.isChannel else { throw SimulatedError(code: 400, message: "Member list is inaccessible") }
        let members = [me] + chat.memberIDs.filter { $0 != me }
        let page = Array(members.dropFirst(Int(get.offset)).prefix(Int(min(get.limit, 200))))
        announceUsers(page, session: &session, state: state, outbox: &outbox)
        outbox.answer(
            ChatMembers(totalCount: Int32(members.count), members: try page.map { try SimulatorObjects.chatMember($0) })
        )
    }

    /// Sends `updateNewChat` the first time a client sees a chat, after the users and groups it names.
    func announceChat(
        _ chatID: Int64, session: inout ClientSession, state: SimulatorState, outbox: inout Outbox
    ) {
        guard !session.knownChats.contains(chatID), let chat = state.world.chats[chatID], let me = session.userID else {
            return
        }
        announceParticipants(of: chat, session: &session, state: state, outbox: &outbox)
        session.knownChats.insert(chatID)
        let held = scenario.pagingSettings.heldOnNewChat
        if !chat.messages.isEmpty {
            session.historyFloor[chatID] = chat.messages[max(0, chat.messages.count - held)].id
        }
        if let last = chat.messages.last { announceUsers(of: [last], session: &session, state: state, outbox: &outbox) }
        if let object = try? chatObject(chat, me: me, session: session, state: state) {
            outbox.update(.newChat(UpdateNewChat(chat: object)))
        }
    }

    /// `updateUser` and `updateBasicGroup`/`updateSupergroup` a client needs before a chat's `updateNewChat`.
    private func announceParticipants(
        of chat: SimulatorWorld.ChatRecord, session: inout ClientSession, state: SimulatorState, outbox: inout Outbox
    ) {
        announceUsers(
            chat.memberIDs + (chat.kind.privateUserID.map { [$0] } ?? []), session: &session, state: state,
            outbox: &outbox)
        switch chat.kind {
        case .basicGroup(let id):
            guard session.knownGroups.insert(id).inserted else { break }
            if let group = try? SimulatorObjects.basicGroup(id: id, memberCount: chat.memberIDs.count + 1) {
                outbox.update(.basicGroup(UpdateBasicGroup(basicGroup: group)))
            }
        case .supergroup(let id, let isChannel):
            guard session.knownGroups.insert(id).inserted else { break }
            if let group = try? SimulatorObjects.supergroup(
                id: id, isChannel: isChannel, memberCount: chat.memberIDs.count + 1, username: chat.username)
            {
                outbox.update(.supergroup(UpdateSupergroup(supergroup: group)))
            }
        case .privateChat:
            break
        }
    }

    /// `updateUser` for each user the client has not seen yet, as TDLib sends before anything names them.
    func announceUsers(
        _ userIDs: [Int64], session: inout ClientSession, state: SimulatorState, outbox: inout Outbox
    ) {
        for userID in userIDs where session.knownUsers.insert(userID).inserted {
            if let record = state.world.users[userID], let user = try? SimulatorObjects.user(record) {
                outbox.update(.user(UpdateUser(user: user)))
            }
        }
    }

    /// The senders of `messages` the client has not seen yet.
    func announceUsers(
        of messages: [SimulatorWorld.MessageRecord], session: inout ClientSession, state: SimulatorState,
        outbox: inout Outbox
    ) {
        let senders = messages.compactMap { message -> Int64? in
            state.world.chats[message.chatID]?.kind.isChannel == true ? nil : message.senderID
        }
        announceUsers(senders, session: &session, state: state, outbox: &outbox)
    }

    /// A chat as the client sees it: its position only once the client has loaded that part of its list.
    func chatObject(
        _ chat: SimulatorWorld.ChatRecord, me: Int64, session: ClientSession, state: SimulatorState
    ) throws -> Chat {
        let last = try chat.messages.last.map { try messageObject($0, me: me, state: state) }
        return try SimulatorObjects.chat(chat, lastMessage: last, positions: positions(chat, session: session))
    }

    /// The chat's positions the client may see (TDLib sends none for a chat below the loaded part).
    func positions(_ chat: SimulatorWorld.ChatRecord, session: ClientSession) -> [ChatPosition] {
        session.chatLists[chat.list]?.contains(chat.listKey) == true ? [position(chat)] : []
    }

    func position(_ chat: SimulatorWorld.ChatRecord) -> ChatPosition {
        ChatPosition(list: chat.list.object, order: chat.order, isPinned: false, source: nil)
    }
}
