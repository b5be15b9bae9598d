import Foundation
import TDLib
import TDLibAPI
import TDLibSimulator

/// The simulator as the world's clients see it: every request passes here on its way, so that the world
/// can tell who did what (the transcript) and hand the app's requests to ``TestWorld/nextRequest(of:timeout:)``.
///
/// Clients are told apart by the folder of their `setTdlibParameters`: the world gives each one its own.
final class RecordingLibrary: TDJSONInterface {
    /// A request of the app, as it was sent.
    struct AppRequest: Sendable {
        var type: String
        var bytes: [UInt8]
    }

    /// A client the world created, known by its folder.
    struct Participant: Sendable {
        var name: String
        var isApp: Bool
    }

    private struct State {
        var folders: [String: Participant] = [:]
        var clients: [Int32: Participant] = [:]
        var entries: [Transcript.Entry] = []
        /// Names of users and chats by chat identifier, for the transcript.
        var chatNames: [Int64: String] = [:]
    }

    let name: String
    let simulator: TDSimulator
    let appRequests = Mailbox<AppRequest>()
    private let state = Locked(State())

    init(simulator: TDSimulator) {
        self.simulator = simulator
        self.name = "telegram-testing-\(simulator.name)"
    }

    /// The client whose folder is `folder` (or inside it) is `participant`.
    func register(folder: String, as participant: Participant) {
        state.withLock { $0.folders[folder] = participant }
    }

    /// Names a private chat (by the user's identifier) or a group, for the transcript.
    func name(chat chatID: Int64, _ name: String) {
        state.withLock { $0.chatNames[chatID] = name }
    }

    var transcript: Transcript { Transcript(entries: state.withLock { $0.entries }) }

    /// The name of a chat for the transcript: the person's or the group's, or its identifier.
    func chatName(_ chatID: Int64) -> String { state.withLock { $0.chatNames[chatID] } ?? "chat \(chatID)" }

    /// Adds what the world did itself (not a client's request) to the transcript: a join, a leave.
    func note(who: String, chat chatID: Int64, _ what: String) {
        state.withLock { state in
            state.entries.append(
                Transcript.Entry(who: who, chat: state.chatNames[chatID] ?? "chat \(chatID)", what: what))
        }
    }

    func createClientID() -> Int32 { simulator.createClientID() }

    func send(clientID: Int32, request: UnsafePointer<CChar>) {
        let bytes = Array(UnsafeRawBufferPointer(start: request, count: strlen(request)))
        if let type = Self.type(of: bytes) { record(type, bytes, clientID: clientID) }
        simulator.send(clientID: clientID, request: request)
    }

    /// Once the world closes, receive waits briefly, so that the receive loop of the world's client
    /// manager sees its stop at once instead of after its timeout (a fifth of a second per world).
    private let closing = Locked(false)

    func receive(timeout: Double) -> UnsafePointer<CChar>? {
        simulator.receive(timeout: closing.withLock { $0 } ? min(timeout, 0.002) : timeout)
    }

    /// Shortens every later wait of ``receive(timeout:)`` and ends the one under way.
    func stopWaiting() {
        closing.withLock { $0 = true }
        simulator.interruptReceive()
    }

    func execute(request: UnsafePointer<CChar>) -> UnsafePointer<CChar>? { simulator.execute(request: request) }

    func setLogMessageCallback(maxVerbosity: Int32, callback: TDLogMessageCallback?) {
        simulator.setLogMessageCallback(maxVerbosity: maxVerbosity, callback: callback)
    }

    private func record(_ type: String, _ bytes: [UInt8], clientID: Int32) {
        if type == "setTdlibParameters", let parameters = try? SetTdlibParameters(json: bytes) {
            state.withLock { state in
                let folder = state.folders.keys.first { parameters.databaseDirectory.hasPrefix($0) }
                if let folder { state.clients[clientID] = state.folders[folder] }
            }
            return
        }
        guard let participant = state.withLock({ $0.clients[clientID] }) else { return }
        // The transcript first: whoever awaits the request then finds it in the transcript.
        if let (chatID, what) = Self.describe(type, bytes) {
            state.withLock { state in
                let chat = chatID == 0 ? "the button press" : state.chatNames[chatID] ?? "chat \(chatID)"
                state.entries.append(Transcript.Entry(who: participant.name, chat: chat, what: what))
            }
        }
        if participant.isApp { appRequests.post(AppRequest(type: type, bytes: bytes)) }
    }

    /// The chat and a description of a request that belongs in the transcript; `nil` for the others.
    private static func describe(_ type: String, _ bytes: [UInt8]) -> (Int64, String)? {
        switch type {
        case "sendMessage":
            guard let send = try? SendMessage(json: bytes) else { return nil }
            var what = describe(send.inputMessageContent)
            if case .message(let reply)? = send.replyTo { what = "(replying to message \(reply.messageId)) " + what }
            if case .inlineKeyboard(let keyboard)? = send.replyMarkup {
                what +=
                    "  " + keyboard.rows.map { $0.map { "[\($0.text)]" }.joined(separator: " ") }.joined(separator: " ")
            }
            return (send.chatId, what)
        case "editMessageText":
            guard let edit = try? EditMessageText(json: bytes) else { return nil }
            return (edit.chatId, "edits message \(edit.messageId) to: " + describe(edit.inputMessageContent))
        case "deleteMessages":
            guard let delete = try? DeleteMessages(json: bytes) else { return nil }
            return (delete.chatId, "deletes message(s) \(delete.messageIds.map(String.init).joined(separator: ", "))")
        case "getCallbackQueryAnswer":
            guard let press = try? GetCallbackQueryAnswer(json: bytes), case .data(let data) = press.payload else {
                return nil
            }
            return (press.chatId, "presses the button “\(String(decoding: data.data, as: UTF8.self))”")
        case "answerCallbackQuery":
            guard let answer = try? AnswerCallbackQuery(json: bytes) else { return nil }
            return (0, "answers “\(answer.text)”" + (answer.showAlert ? " (alert)" : ""))
        default:
            return nil
        }
    }

    private static func describe(_ content: InputMessageContent) -> String {
        switch content {
        case .text(let text): text.text.text
        case .document(let document): "[document] " + (document.caption?.text ?? "")
        case .photo(let photo): "[photo] " + (photo.caption?.text ?? "")
        default: "[a message that is not text]"
        }
    }

    /// The `@type` of a request as TDLib's clients write it (first); `nil` when it is not there.
    static func type(of bytes: [UInt8]) -> String? {
        let key = Array(#""@type":""#.utf8)
        guard let start = firstIndex(of: key, in: bytes) else { return nil }
        let from = start + key.count
        guard let end = bytes[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: bytes[from..<end], as: UTF8.self)
    }

    private static func firstIndex(of key: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= key.count else { return nil }
        for index in 0...(bytes.count - key.count) where bytes[index] == key[0] {
            if bytes[index..<(index + key.count)].elementsEqual(key) { return index }
        }
        return nil
    }
}
