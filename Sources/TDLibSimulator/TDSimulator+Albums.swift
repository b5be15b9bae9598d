import Foundation
import TDLib
import TDLibAPI

/// `sendMessageAlbum` as TDLib 022d602 does it: MessagesManager.cpp (`send_message_group`) and
/// MessageContent.cpp (`check_message_group_message_contents`), MessageContentType.cpp
/// (`is_allowed_media_group_content`, `is_homogenous_media_group_content`).
extension TDSimulator {
    /// Telegram's limit of messages in one album (`MAX_GROUPED_MESSAGES`).
    static let maxAlbumMessages = 10

    /// Sends up to 10 photos, videos, audios or documents as one album: each message's file checks, then
    /// the album's; for a user, `updateNewMessage` of each pending message, one `updateChatLastMessage`
    /// with the last, then the answer (`messages`); each message's upload and
    /// `updateMessageSendSucceeded` as `sendMessage` with a file.
    func sendMessageAlbum(
        _ request: Request, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        let send = try request.decode(SendMessageAlbum.self)
        let chat = try state.chat(send.chatId)
        guard !send.inputMessageContents.isEmpty else {
            throw SimulatedError(code: 400, message: "There are no messages to send")
        }
        // process_input_message_content for each, then check_message_group_message_contents.
        var files: [PreparedFile] = []
        var kinds: [String] = []
        for content in send.inputMessageContents {
            guard let kind = Self.albumKind(content) else {
                kinds.append("")
                continue
            }
            files.append(try prepareFile(content))
            kinds.append(kind)
        }
        guard kinds.count <= Self.maxAlbumMessages else {
            throw SimulatedError(code: 400, message: "Too many messages to send as an album")
        }
        guard !kinds.contains("") else { throw SimulatedError(code: 400, message: "Invalid message content type") }
        let distinct = Set(kinds)
        if distinct.count > 1, let homogenous = ["Audio", "Document"].first(where: distinct.contains) {
            throw SimulatedError(code: 400, message: "\(homogenous) can't be mixed with other media types")
        }
        announceChat(send.chatId, session: &session, state: state, outbox: &outbox)
        // `generate_new_media_album_id`: a random non-zero id, for albums of more than one message.
        let albumID = files.count > 1 ? Int64.random(in: 1...Int64.max) : 0
        var pending: [Message] = []
        for file in files {
            pending.append(
                try startFileMessage(
                    file, in: chat, replyTo: send.replyTo, albumID: albumID, me: me, clientID: clientID,
                    session: session, state: &state))
        }
        announcePending(pending, session: session, state: state, outbox: &outbox)
        outbox.answer(Messages(totalCount: Int32(pending.count), messages: pending))
        completeInstantUploads(pending, me: me, session: session, state: &state, outbox: &outbox)
    }

    /// The name TDLib gives the content's type when it may be in an album, `nil` when it may not.
    private static func albumKind(_ content: InputMessageContent) -> String? {
        switch content {
        case .photo: "Photo"
        case .video: "Video"
        case .audio: "Audio"
        case .document: "Document"
        default: nil
        }
    }
}
