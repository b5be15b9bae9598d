import Foundation
import TDLib
import TDLibAPI

extension TDSimulator {
    // MARK: Scripted events

    func scheduleEvents(clientID: Int32, session: ClientSession) {
        for event in scenario.events ?? [] {
            switch event.type {
            case "incomingMessage":
                guard let chatID = event.chatID, let text = event.text else { continue }
                schedule(after: event.after ?? 0, clientID: clientID, generation: session.generation) {
                    simulator, state, outbox in
                    simulator.deliverIncoming(
                        chatID: chatID, senderID: event.senderID, text: text, clientID: clientID, state: &state,
                        outbox: &outbox)
                }
            case "connectionState":
                let connection: ConnectionState =
                    switch event.state {
                    case "connecting": .connecting(.init())
                    case "waitingForNetwork": .waitingForNetwork(.init())
                    case "updating": .updating(.init())
                    case "connectingToProxy": .connectingToProxy(.init())
                    default: .ready(.init())
                    }
                schedule(after: event.after ?? 0, clientID: clientID, generation: session.generation) { _, _, outbox in
                    outbox.update(.connectionState(UpdateConnectionState(state: connection)))
                }
            case "revokeSession":
                schedule(after: event.after ?? 0, clientID: clientID, generation: session.generation) {
                    _, state, outbox in
                    Self.revokeSession(clientID: clientID, state: &state, outbox: &outbox)
                }
            default:
                continue
            }
        }
        if let rate = scenario.faults?.updatesPerSecond, rate > 0 {
            scheduleFlood(clientID: clientID, generation: session.generation, perTick: max(1, rate / 100))
        }
    }

    /// The session is ended from another device: TDLib logs out and closes the client.
    static func revokeSession(clientID: Int32, state: inout SimulatorState, outbox: inout Outbox) {
        guard var session = state.sessions[clientID] else { return }
        if let directory = session.databaseDirectory { SessionFile.remove(in: directory) }
        outbox.setState(.loggingOut, session: &session)
        state.abortHeldRequests(of: clientID, outbox: &outbox)
        outbox.setState(.closed, session: &session)
        session.generation += 1
        state.sessions[clientID] = session
    }

    func scheduleFlood(clientID: Int32, generation: Int, perTick: Int) {
        schedule(after: 0.01, clientID: clientID, generation: generation) { simulator, _, outbox in
            for _ in 0..<perTick {
                outbox.update(
                    .option(
                        UpdateOption(
                            name: "unix_time",
                            value: .integer(OptionValueInteger(value: Int64(Date().timeIntervalSince1970))))))
            }
            simulator.scheduleFlood(clientID: clientID, generation: generation, perTick: perTick)
        }
    }

    /// A message from another user arrives in a chat.
    func deliverIncoming(
        chatID: Int64, senderID: Int64?, text: String, clientID: Int32, state: inout SimulatorState,
        outbox: inout Outbox
    ) {
        guard let me = state.sessions[clientID]?.userID, let chat = state.world.chats[chatID] else { return }
        let sender = senderID ?? chat.memberIDs.first { $0 != me } ?? chat.id
        let record = state.world.appendMessage(
            chatID: chatID, senderID: sender, text: text, date: Int32(Date().timeIntervalSince1970))
        guard var session = state.sessions[clientID] else { return }
        announceChat(chatID, session: &session, state: state, outbox: &outbox)
        holdNewMessage(record, session: &session)
        announceUsers(of: [record], session: &session, state: state, outbox: &outbox)
        state.sessions[clientID] = session
        guard let message = try? messageObject(record, me: me, state: state, clientID: clientID) else { return }
        outbox.update(.newMessage(UpdateNewMessage(message: message)))
        // Bots get no chat updates (`send_update_chat_last_message_impl`).
        if !session.isBot, let updated = state.world.chats[chatID] {
            outbox.update(
                .chatLastMessage(
                    UpdateChatLastMessage(
                        chatId: chatID, lastMessage: message, positions: positions(updated, session: session))))
        }
    }
}
