import Foundation
import TDLibAPI

/// The world grows while the simulator runs: a test adds accounts, bots, users, chats and messages after
/// clients have logged in, as people join Telegram and create chats.
extension TDSimulator {
    /// Adds a user account that can log in with its phone number and code from now on.
    public func addAccount(_ account: SimulatorScenario.Account) {
        state.withLock { state in
            state.accounts.append(account)
            if account.registered != false {
                state.world.addAccountUser(account, firstName: account.firstName, lastName: account.lastName ?? "")
            }
        }
    }

    /// Adds a bot that can log in with its token from now on.
    public func addBot(_ bot: SimulatorScenario.Bot) {
        state.withLock { state in
            state.bots.append(bot)
            state.world.users[bot.userID] = SimulatorWorld.UserRecord(
                id: bot.userID, firstName: bot.firstName, lastName: "", username: bot.username, phone: "",
                isContact: false, isBot: true)
        }
    }

    /// Adds a user who never logs in (a contact, a member of a group).
    public func addUser(_ user: SimulatorScenario.User) {
        state.withLock { state in
            state.world.users[user.id] = SimulatorWorld.UserRecord(
                id: user.id, firstName: user.firstName, lastName: user.lastName ?? "", username: user.username,
                phone: SimulatorWorld.digits(user.phone ?? ""), isContact: user.isContact ?? false, isBot: false)
        }
    }

    /// Adds a chat on top of its list; clients learn of it when they first meet it, as in TDLib.
    public func addChat(_ chat: SimulatorScenario.Chat) {
        state.withLock { $0.world.addChat(chat) }
    }

    /// Adds a message to a chat's history without announcing it (a message from before the test).
    public func addMessage(_ message: SimulatorScenario.Message) {
        state.withLock { state in
            guard state.world.chats[message.chatID] != nil else { return }
            let record = state.world.appendMessage(
                chatID: message.chatID, senderID: message.senderID, text: message.text,
                date: message.date ?? Int32(Date().timeIntervalSince1970))
            if let file = message.file { state.world.attach(file, to: record) }
        }
    }
}

extension TDSimulator {
    /// Ends every logged-in session of `userID` from another device, as "Terminate session" does: each
    /// client goes through authorizationStateLoggingOut to authorizationStateClosed.
    public func revokeSessions(of userID: Int64) {
        state.withLock { state in
            let clientIDs = state.sessions.filter { $0.value.userID == userID && $0.value.auth == .ready }.keys
            for clientID in clientIDs.sorted() {
                var outbox = Outbox(clientID: clientID)
                Self.revokeSession(clientID: clientID, state: &state, outbox: &outbox)
                deliver(outbox, state: state)
            }
        }
    }

    /// Tells every logged-in client of `userID` that its connection is now `connection`
    /// (`updateConnectionState`), as when the network goes away and comes back.
    public func setConnectionState(_ connection: ConnectionState, of userID: Int64) {
        state.withLock { state in
            let clientIDs = state.sessions.filter { $0.value.userID == userID && $0.value.auth == .ready }.keys
            for clientID in clientIDs.sorted() {
                var outbox = Outbox(clientID: clientID)
                outbox.update(.connectionState(UpdateConnectionState(state: connection)))
                deliver(outbox, state: state)
            }
        }
    }
}
