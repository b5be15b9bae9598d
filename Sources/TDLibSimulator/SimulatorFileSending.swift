import Foundation
import TDLibAPI

// Sending files: TDLib's checks of a local file, the pending message, the upload chunk by chunk on the
// simulator's clock, then the sent message and its delivery to the other accounts.
extension TDSimulator {
    /// `sendMessage` with a photo, document, video, audio or voice note from a local file: TDLib's checks of
    /// the file, the pending message, upload progress, then `updateMessageSendSucceeded`.
    func sendFileMessage(
        _ send: SendMessage, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        let chat = try state.chat(send.chatId)
        let file = try prepareFile(send.inputMessageContent)
        announceChat(send.chatId, session: &session, state: state, outbox: &outbox)
        let pending = try startFileMessage(
            file, in: chat, replyTo: send.replyTo, albumID: 0, me: me, clientID: clientID, session: session,
            state: &state)
        announcePending([pending], session: session, state: state, outbox: &outbox)
        outbox.answer(pending)
        completeInstantUploads([pending], me: me, session: session, state: &state, outbox: &outbox)
    }

    /// Sends at once, after the answer, the files of a sender whose uploads take no time (a test world's
    /// simulated users); everyone else's go chunk by chunk on the clock.
    func completeInstantUploads(
        _ pending: [Message], me: Int64, session: ClientSession, state: inout SimulatorState, outbox: inout Outbox
    ) {
        guard state.instantUploaders.contains(me) else { return }
        for message in pending {
            advanceUpload(message.id, generation: session.generation, state: &state, outbox: &outbox)
        }
    }

    /// A file to send, checked as TDLib checks it (`process_input_message_content`), not yet in the world.
    struct PreparedFile {
        var attachment: FileAttachment
        var path: String
        var size: Int64
    }

    /// TDLib's checks of a file message's content: its kind, its local file, its caption.
    func prepareFile(_ content: InputMessageContent) throws -> PreparedFile {
        let (attachment, input) = try Self.describe(content)
        guard case .local(let local) = input else {
            throw SimulatedError(code: 400, message: "The simulator sends local files only (inputFileLocal)")
        }
        let (path, size) = try checkLocalFile(local.path, isPhoto: attachment.kind == .photo)
        guard attachment.caption.text.utf16.count <= 1024 else {
            throw SimulatedError(code: 400, message: "MEDIA_CAPTION_TOO_LONG")
        }
        return PreparedFile(attachment: attachment, path: path, size: size)
    }

    /// Adds the file to the world and starts its upload; returns the pending message (not yet announced).
    func startFileMessage(
        _ file: PreparedFile, in chat: SimulatorWorld.ChatRecord, replyTo: InputMessageReplyTo?, albumID: Int64,
        me: Int64, clientID: Int32, session: ClientSession, state: inout SimulatorState
    ) throws -> Message {
        var attachment = file.attachment
        let name = (file.path as NSString).lastPathComponent
        let fileID = state.world.files.add(
            size: file.size, name: name, folder: attachment.kind.folder, source: .local(path: file.path),
            isUploading: true)
        state.world.files.local[LocalKey(clientID: clientID, fileID: fileID)] = LocalCopy(
            path: file.path, downloadedSize: file.size, isCompleted: true)
        attachment.fileID = fileID
        attachment.fileName = name
        if attachment.mimeType.isEmpty { attachment.mimeType = Self.mimeType(of: name, kind: attachment.kind) }
        if attachment.kind == .photo {
            attachment.sizes = [.init(type: "x", fileID: fileID, width: attachment.width, height: attachment.height)]
        }
        state.lastSendingID += 1
        let pendingID = state.world.pendingMessageID(sendingID: state.lastSendingID)
        var record = SimulatorWorld.MessageRecord(
            id: pendingID, chatID: chat.id, senderID: me, text: attachment.caption.text,
            date: Int32(Date().timeIntervalSince1970), attachment: attachment,
            replyTo: Self.replyRecord(replyTo, in: chat))
        record.mediaAlbumID = albumID
        let pending = try messageObject(
            record, me: me, state: state, clientID: clientID, pendingSendingID: state.lastSendingID)
        state.world.files.uploads[pendingID] = PendingUpload(
            record: record, fileID: fileID, clientID: clientID, sendingID: state.lastSendingID)
        // An instant uploader's file completes once the answer is out (`completeInstantUploads`).
        if !state.instantUploaders.contains(me) {
            scheduleUploadTick(pendingID, clientID: clientID, generation: session.generation)
        }
        return pending
    }

    /// TDLib's checks of a local file to send, with its error messages.
    private func checkLocalFile(_ path: String, isPhoto: Bool) throws -> (path: String, size: Int64) {
        guard !path.isEmpty else { throw SimulatedError(code: 400, message: "File must have non-empty path") }
        guard let resolved = realpath(path, nil) else {
            throw SimulatedError(code: 400, message: "Can't find real file path")
        }
        let real = String(cString: resolved)
        free(resolved)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: real) else {
            throw SimulatedError(code: 400, message: "Can't get stat about the file")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw SimulatedError(code: 400, message: "File must be a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        guard size > 0 else { throw SimulatedError(code: 400, message: "File must be non-empty") }
        let settings = fileSettings
        if size > settings.uploadLimit {
            throw SimulatedError(code: 400, message: "File \"\(real)\" of size \(size) bytes is too big")
        }
        if isPhoto, size > settings.photoLimit {
            throw SimulatedError(code: 400, message: "File \"\(real)\" of size \(size) bytes is too big for a photo")
        }
        return (real, size)
    }

    /// The attachment an input message content describes, and its file.
    static func describe(_ content: InputMessageContent) throws -> (FileAttachment, InputFile) {
        func attachment(_ kind: AttachmentKind, _ caption: FormattedText?) -> FileAttachment {
            FileAttachment(
                kind: kind, fileID: 0, fileName: "", mimeType: "",
                caption: caption ?? FormattedText(text: "", entities: []))
        }
        switch content {
        case .photo(let photo):
            var result = attachment(.photo, photo.caption)
            (result.width, result.height) = (photo.photo.width, photo.photo.height)
            return (result, photo.photo.photo)
        case .document(let document):
            return (attachment(.document, document.caption), document.document.document)
        case .video(let video):
            var result = attachment(.video, video.caption)
            (result.width, result.height, result.duration) = (
                video.video.width, video.video.height, video.video.duration
            )
            return (result, video.video.video)
        case .audio(let audio):
            var result = attachment(.audio, audio.caption)
            (result.duration, result.title, result.performer) = (
                audio.audio.duration, audio.audio.title, audio.audio.performer
            )
            return (result, audio.audio.audio)
        case .voiceNote(let voice):
            var result = attachment(.voiceNote, voice.caption)
            result.duration = voice.voiceNote.duration
            return (result, voice.voiceNote.voiceNote)
        default:
            throw SimulatedError(
                code: 400,
                message: "The simulator sends text, photo, document, video, audio and voice note messages only")
        }
    }

    private static func mimeType(of name: String, kind: AttachmentKind) -> String {
        let known = [
            "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
            "pdf": "application/pdf", "txt": "text/plain", "zip": "application/zip", "mp4": "video/mp4",
            "mov": "video/quicktime", "mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "oga": "audio/ogg",
            "opus": "audio/ogg", "json": "application/json",
        ]
        return known[(name as NSString).pathExtension.lowercased()] ?? kind.defaultMimeType
    }

    private func scheduleUploadTick(_ pendingID: Int64, clientID: Int32, generation: Int) {
        schedule(after: fileSettings.interval, clientID: clientID, generation: generation) { simulator, state, outbox in
            simulator.advanceUpload(pendingID, generation: generation, state: &state, outbox: &outbox)
        }
    }

    /// One step of an upload: the next chunk read from the local file; at the end, the message is sent.
    private func advanceUpload(_ pendingID: Int64, generation: Int, state: inout SimulatorState, outbox: inout Outbox) {
        guard let upload = state.world.files.uploads[pendingID],
            var record = state.world.files.records[upload.fileID], case .local(let path) = record.source
        else { return }
        // An instant uploader's file goes in one piece.
        let chunk = state.instantUploaders.contains(upload.record.senderID) ? record.size : fileSettings.uploadChunk
        let count = min(chunk, record.size - record.uploadedSize)
        do {
            _ = try SimulatorFiles.readLocal(path, offset: record.uploadedSize, count: count)
        } catch {
            let failure = error as? SimulatedError ?? SimulatedError(code: 400, message: "\(error)")
            failUpload(upload, error: failure, state: &state, outbox: &outbox)
            return
        }
        record.uploadedSize += count
        if record.uploadedSize >= record.size {
            record.isUploading = false
            record.isUploadCompleted = true
        }
        state.world.files.records[upload.fileID] = record
        if let file = try? state.world.files.fileObject(upload.fileID, clientID: upload.clientID) {
            outbox.update(.file(UpdateFile(file: file)))
        }
        guard !record.isUploading else {
            if state.instantUploaders.contains(upload.record.senderID) {
                advanceUpload(pendingID, generation: generation, state: &state, outbox: &outbox)
            } else {
                scheduleUploadTick(pendingID, clientID: upload.clientID, generation: generation)
            }
            return
        }
        state.world.files.uploads[pendingID] = nil
        let chatID = upload.record.chatID
        var sentRecord = state.world.appendMessage(
            chatID: chatID, senderID: upload.record.senderID, text: upload.record.text, date: upload.record.date)
        sentRecord.attachment = upload.record.attachment
        sentRecord.replyTo = upload.record.replyTo
        sentRecord.mediaAlbumID = upload.record.mediaAlbumID
        if let index = state.world.chats[chatID]?.messages.lastIndex(where: { $0.id == sentRecord.id }) {
            state.world.chats[chatID]?.messages[index] = sentRecord
        }
        guard
            let sent = try? messageObject(
                sentRecord, me: upload.record.senderID, state: state, clientID: upload.clientID),
            let chat = state.world.chats[chatID]
        else { return }
        if var session = state.sessions[upload.clientID] {
            holdNewMessage(sentRecord, session: &session)
            state.sessions[upload.clientID] = session
        }
        let visible = state.sessions[upload.clientID].map { positions(chat, session: $0) } ?? []
        outbox.update(.messageSendSucceeded(UpdateMessageSendSucceeded(message: sent, oldMessageId: pendingID)))
        // Bots get no chat updates (`send_update_chat_last_message_impl`).
        if state.sessions[upload.clientID]?.isBot != true {
            outbox.update(
                .chatLastMessage(UpdateChatLastMessage(chatId: chatID, lastMessage: sent, positions: visible)))
        }
        deliverToOtherAccounts(sentRecord, senderClientID: upload.clientID, state: &state)
    }

    /// The upload could not go on: `updateMessageSendFailed` with TDLib's error.
    private func failUpload(
        _ upload: PendingUpload, error: SimulatedError, state: inout SimulatorState, outbox: inout Outbox
    ) {
        state.world.files.uploads[upload.record.id] = nil
        state.world.files.records[upload.fileID]?.isUploading = false
        state.world.files.records[upload.fileID]?.uploadedSize = 0
        if let file = try? state.world.files.fileObject(upload.fileID, clientID: upload.clientID) {
            outbox.update(.file(UpdateFile(file: file)))
        }
        guard
            var failed = try? messageObject(
                upload.record, me: upload.record.senderID, state: state, clientID: upload.clientID)
        else { return }
        let tdError = TDErrorObject(code: Int32(clamping: error.code), message: error.message)
        failed.sendingState = .failed(
            MessageSendingStateFailed(
                error: tdError, canRetry: false, needAnotherSender: false, needAnotherReplyQuote: false,
                needDropReply: false, requiredPaidMessageStarCount: 0, retryAfter: 0))
        outbox.update(
            .messageSendFailed(UpdateMessageSendFailed(message: failed, oldMessageId: upload.record.id, error: tdError))
        )
    }

    /// Deleting a message being sent stops its upload, as in TDLib.
    func cancelUploads(of messageIDs: Set<Int64>, clientID: Int32, state: inout SimulatorState, outbox: inout Outbox) {
        for id in messageIDs {
            guard let upload = state.world.files.uploads.removeValue(forKey: id) else { continue }
            state.world.files.records[upload.fileID]?.isUploading = false
            state.world.files.records[upload.fileID]?.uploadedSize = 0
            if let file = try? state.world.files.fileObject(upload.fileID, clientID: clientID) {
                outbox.update(.file(UpdateFile(file: file)))
            }
        }
    }
}
