import Foundation
import TDLib
import TDLibAPI
import TDLibAPIClient

/// A media caption: plain text (`"Hello"`), or formatted text (`Caption(formattedText)`).
public struct Caption: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The caption as TDLib takes it.
    public var formattedText: FormattedText

    /// A plain-text caption.
    public init(_ text: String) { formattedText = FormattedText(text: text, entities: []) }
    /// A formatted caption, from TelegramText or `parseTextEntities`.
    public init(_ formattedText: FormattedText) { self.formattedText = formattedText }
    /// A plain-text caption, written as a literal.
    public init(stringLiteral value: String) { self.init(value) }
}

/// How far a file transfer has come, from TDLib's `updateFile`.
public struct FileProgress: Sendable, Hashable {
    /// Which way a file moves.
    public enum Direction: Sendable, Hashable {
        /// From Telegram to this machine.
        case download
        /// From this machine to Telegram.
        case upload
    }

    /// Which way the file moves.
    public var direction: Direction
    /// TDLib's file object, as last reported.
    public var file: File
    /// Bytes transferred so far.
    public var transferredSize: Int64
    /// The file's size, or TDLib's expected size when the exact one is unknown (0: unknown).
    public var totalSize: Int64
    /// Whether the transfer is complete; the last element of a transfer.
    public var isCompleted: Bool
    /// The local file, once a download is complete.
    public var localPath: String?
    /// The sent message, once an upload is complete.
    public var message: Message?

    /// The file's identifier.
    public var fileID: Int32 { file.id }

    /// The part done, from 0 to 1 (0 while the size is unknown).
    public var fraction: Double {
        totalSize > 0 ? min(1, Double(transferredSize) / Double(totalSize)) : 0
    }

    init(download file: File) {
        direction = .download
        self.file = file
        transferredSize = file.local.downloadedSize
        totalSize = file.size > 0 ? file.size : file.expectedSize
        isCompleted = file.local.isDownloadingCompleted
        localPath = isCompleted ? file.local.path : nil
    }

    init(upload file: File, message: Message? = nil) {
        direction = .upload
        self.file = file
        totalSize = file.size > 0 ? file.size : file.expectedSize
        transferredSize = message == nil ? file.remote.uploadedSize : totalSize
        isCompleted = message != nil
        self.message = message
    }
}

/// A running download: an `AsyncSequence` of its progress that ends with the complete file.
///
/// Iterate it once. Ending the iteration early (a cancelled task, a `break`) or dropping the sequence
/// cancels the download in TDLib (`cancelDownloadFile`); a failed download throws `TDLibError`.
public struct FileDownloadTask: AsyncSequence, Sendable {
    /// Each element is TDLib's latest report; the last one has ``FileProgress/localPath``.
    public typealias Element = FileProgress
    /// The file being downloaded.
    public let fileID: Int32
    let stream: AsyncThrowingStream<FileProgress, any Error>

    /// The sequence's iterator.
    public func makeAsyncIterator() -> AsyncThrowingStream<FileProgress, any Error>.Iterator {
        stream.makeAsyncIterator()
    }

    /// Waits for the end of the download and returns the local path of the file.
    /// - Throws: `TDLibError` when TDLib refuses the download; `TDClientError` with `clientClosed` when the
    ///   client stops before the file is complete.
    public func localPath() async throws -> String {
        for try await progress in stream {
            if let path = progress.localPath { return path }
        }
        throw TDClientError(.clientClosed, "the download of file \(fileID) ended without a file")
    }
}

/// A message being sent with a file: an `AsyncSequence` of the upload's progress that ends with the sent
/// message (``FileProgress/message``).
///
/// Iterate it once, or not at all: the message is sent either way. ``cancel()`` stops the upload; a
/// failed upload throws `TDLibError` (`updateMessageSendFailed`).
public struct FileUploadTask: AsyncSequence, Sendable {
    /// Each element is TDLib's latest report; the last one has ``FileProgress/message``.
    public typealias Element = FileProgress
    /// The message as TDLib first answers it (pending, with a temporary identifier).
    public let message: Message
    /// The file being uploaded.
    public let fileID: Int32
    let stream: AsyncThrowingStream<FileProgress, any Error>
    let cancelUpload: @Sendable () async throws -> Void

    /// The sequence's iterator.
    public func makeAsyncIterator() -> AsyncThrowingStream<FileProgress, any Error>.Iterator {
        stream.makeAsyncIterator()
    }

    /// Waits until Telegram has the message and returns it, with its final identifier.
    /// - Throws: `TDLibError` when the upload or the send fails (`updateMessageSendFailed`); `TDClientError`
    ///   with `clientClosed` when the client stops first; `CancellationError` after ``cancel()``.
    public func sentMessage() async throws -> Message {
        for try await progress in stream {
            if let message = progress.message { return message }
        }
        throw TDClientError(.clientClosed, "the client stopped before the file was sent")
    }

    /// Stops the upload by deleting the pending message, as TDLib documents; the sequence then throws
    /// `CancellationError`.
    public func cancel() async throws { try await cancelUpload() }
}

extension Telegram {
    // MARK: Sending files

    /// Sends a photo from a local file; follow the upload on the returned task.
    /// - Throws: ``TelegramError`` (`invalidFile`) for a missing, empty, unreadable file or a directory;
    ///   `TDLibError` when TDLib refuses it (a file over Telegram's size limit...).
    public func sendPhoto(
        chatID: Int64, path: String, caption: Caption? = nil, width: Int32 = 0, height: Int32 = 0
    ) async throws -> FileUploadTask {
        let file = try Self.inputFile(path)
        return try await sendFile(
            chatID: chatID,
            content: .photo(
                InputMessagePhoto(
                    photo: InputPhoto(photo: file, addedStickerFileIds: [], width: width, height: height),
                    caption: caption?.formattedText, showCaptionAboveMedia: false, hasSpoiler: false)))
    }

    /// Sends any file as a document (TDLib keeps its name); see ``sendPhoto(chatID:path:caption:width:height:)``.
    public func sendDocument(chatID: Int64, path: String, caption: Caption? = nil) async throws -> FileUploadTask {
        let file = try Self.inputFile(path)
        return try await sendFile(
            chatID: chatID,
            content: .document(
                InputMessageDocument(
                    document: InputDocument(document: file, disableContentTypeDetection: false),
                    caption: caption?.formattedText)))
    }

    /// Sends a video; see ``sendPhoto(chatID:path:caption:width:height:)``.
    public func sendVideo(
        chatID: Int64, path: String, caption: Caption? = nil, duration: Int32 = 0, width: Int32 = 0,
        height: Int32 = 0
    ) async throws -> FileUploadTask {
        let file = try Self.inputFile(path)
        return try await sendFile(
            chatID: chatID,
            content: .video(
                InputMessageVideo(
                    video: InputVideo(
                        video: file, startTimestamp: 0, addedStickerFileIds: [], duration: duration, width: width,
                        height: height, supportsStreaming: true),
                    caption: caption?.formattedText, showCaptionAboveMedia: false, hasSpoiler: false)))
    }

    /// Sends an audio file (music); see ``sendPhoto(chatID:path:caption:width:height:)``.
    public func sendAudio(
        chatID: Int64, path: String, caption: Caption? = nil, duration: Int32 = 0, title: String = "",
        performer: String = ""
    ) async throws -> FileUploadTask {
        let file = try Self.inputFile(path)
        return try await sendFile(
            chatID: chatID,
            content: .audio(
                InputMessageAudio(
                    audio: InputAudio(audio: file, duration: duration, title: title, performer: performer),
                    caption: caption?.formattedText)))
    }

    /// Sends a voice note (OGG with Opus); see ``sendPhoto(chatID:path:caption:width:height:)``.
    public func sendVoiceNote(
        chatID: Int64, path: String, caption: Caption? = nil, duration: Int32 = 0
    ) async throws -> FileUploadTask {
        let file = try Self.inputFile(path)
        return try await sendFile(
            chatID: chatID,
            content: .voiceNote(
                InputMessageVoiceNote(
                    voiceNote: InputVoiceNote(voiceNote: file, duration: duration, waveform: []),
                    caption: caption?.formattedText)))
    }

    /// Sends any message content that carries a file, and follows its upload.
    public func sendFile(chatID: Int64, content: InputMessageContent) async throws -> FileUploadTask {
        // Subscribed before sending, so that no update of this message can be missed.
        let updates = updates(types: [
            "updateFile", "updateMessageSendSucceeded", "updateMessageSendFailed", "updateDeleteMessages",
        ])
        let pending = try await send(SendMessage(chatId: chatID, inputMessageContent: content))
        guard let file = pending.content.file else {
            throw TelegramError(.unexpectedState, "TDLib answered with a message that has no file")
        }
        let (stream, continuation) = AsyncThrowingStream<FileProgress, any Error>.makeStream(
            bufferingPolicy: .bufferingNewest(1024))
        let gate = TransferGate(continuation)
        gate.yield(FileProgress(upload: file))
        let follower = Task {
            for await update in updates {
                switch update {
                case .file(let changed) where changed.file.id == file.id && changed.file.remote.isUploadingActive:
                    // A stopped upload's report is skipped: the message's success or failure follows.
                    gate.yield(FileProgress(upload: changed.file))
                case .messageSendSucceeded(let sent) where sent.oldMessageId == pending.id:
                    gate.finish(FileProgress(upload: sent.message.content.file ?? file, message: sent.message))
                    return
                case .messageSendFailed(let failed) where failed.oldMessageId == pending.id:
                    gate.fail(TDLibError(code: Int(failed.error.code), message: failed.error.message))
                    return
                case .deleteMessages(let deleted)
                where deleted.chatId == chatID
                    && deleted.messageIds.contains(pending.id):
                    gate.fail(CancellationError())
                    return
                default:
                    continue
                }
            }
            gate.fail(TDClientError(.clientClosed, "the client stopped before the file was sent"))
        }
        continuation.onTermination = { _ in follower.cancel() }
        return FileUploadTask(
            message: pending, fileID: file.id, stream: stream,
            cancelUpload: { [self] in try await deleteMessages(chatID: chatID, messageIDs: [pending.id]) })
    }

    /// Checks that a local file can be sent: it exists, is a regular file, is not empty and can be read.
    /// - Returns: the file's size in bytes.
    /// - Throws: ``TelegramError`` with `invalidFile` and a message that says what is wrong.
    @discardableResult
    public static func checkFileToSend(_ path: String) throws(TelegramError) -> Int64 {
        guard !path.isEmpty else { throw TelegramError(.invalidFile, "the file path is empty") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TelegramError(.invalidFile, "no such file: \(path)")
        }
        guard !isDirectory.boolValue else { throw TelegramError(.invalidFile, "\(path) is a directory, not a file") }
        let resolved = (path as NSString).resolvingSymlinksInPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { throw TelegramError(.invalidFile, "\(path) is not a regular file") }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        guard size > 0 else {
            throw TelegramError(.invalidFile, "\(path) is empty (0 bytes): Telegram sends no empty files")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TelegramError(.invalidFile, "\(path) cannot be read (permission denied)")
        }
        try? handle.close()
        return size
    }

    /// A checked local file, by absolute path (TDLib resolves relative paths from its own directory).
    private static func inputFile(_ path: String) throws(TelegramError) -> InputFile {
        try checkFileToSend(path)
        let absolute =
            path.hasPrefix("/")
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return .local(InputFileLocal(path: absolute))
    }

    // MARK: Downloading files

    /// Downloads a file (see `MessageContent.file`), reporting progress until the local path.
    ///
    /// ```swift
    /// for try await progress in tg.downloadFile(fileID: file.id) {
    ///     print(progress.transferredSize, "of", progress.totalSize)
    ///     if let path = progress.localPath { print("saved at", path) }
    /// }
    /// ```
    ///
    /// `priority` goes from 1 to 32. A file already downloaded completes at once.
    public func downloadFile(fileID: Int32, priority: Int32 = 1) -> FileDownloadTask {
        let updates = updates(types: ["updateFile"])
        let (stream, continuation) = AsyncThrowingStream<FileProgress, any Error>.makeStream(
            bufferingPolicy: .bufferingNewest(1024))
        let gate = TransferGate(continuation)
        // Progress and the end both come from `updateFile`, in TDLib's order: the answer to the request
        // below travels another way and can overtake the last updates.
        let follower = Task {
            defer { gate.unfollow() }
            for await update in updates {
                guard case .file(let changed) = update, changed.file.id == fileID else { continue }
                if changed.file.local.isDownloadingCompleted {
                    gate.finish(FileProgress(download: changed.file))
                    return
                }
                // A stopped download's report is skipped: its error comes from the request.
                if changed.file.local.isDownloadingActive { gate.yield(FileProgress(download: changed.file)) }
            }
        }
        // A synchronous downloadFile answers at the end: with the complete file, or with TDLib's error.
        let request = Task { [self] in
            do {
                let current = try await getFile(fileID)
                let file = try await send(
                    DownloadFile(fileId: fileID, priority: priority, offset: 0, limit: 0, synchronous: true))
                guard file.local.isDownloadingCompleted else {
                    throw TDLibError(code: 400, message: "File download has failed or was canceled")
                }
                // Done before: no update comes. Otherwise the last updates, already on their way, end the
                // download themselves; the answer's file only ends it when they do not come.
                if !Self.isComplete(current) { await Self.waitForLastUpdate(gate) }
                gate.finish(FileProgress(download: file))
            } catch {
                gate.fail(error)
            }
            follower.cancel()
        }
        continuation.onTermination = { [weak self] termination in
            follower.cancel()
            guard case .cancelled = termination else { return }
            request.cancel()
            Task { _ = try? await self?.send(CancelDownloadFile(fileId: fileID, onlyIfPending: false)) }
        }
        return FileDownloadTask(fileID: fileID, stream: stream)
    }

    /// How long a download answered complete waits at most for its last `updateFile`.
    static let lastUpdateGrace: Duration = .seconds(3)

    /// Waits until the follower has seen the complete file (which ends the download) or has stopped,
    /// at most ``lastUpdateGrace``: TDLib sends that update before its answer, so it normally comes at once.
    private static func waitForLastUpdate(_ gate: TransferGate) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await gate.waitUntilFinishedOrUnfollowed() }
            // One sleep, cancelled as soon as the update comes: a deadline, not a poll.
            group.addTask { try? await Task.sleep(for: lastUpdateGrace) }
            await group.next()
            group.cancelAll()
        }
    }

    private static func isComplete(_ file: File) -> Bool {
        file.local.isDownloadingCompleted && FileManager.default.fileExists(atPath: file.local.path)
    }

    /// Stops downloading a file; a file already downloaded stays.
    public func cancelDownloadFile(fileID: Int32) async throws {
        _ = try await send(CancelDownloadFile(fileId: fileID, onlyIfPending: false))
    }

    /// A file's current state (its size, local copy and upload).
    public func getFile(_ fileID: Int32) async throws -> File { try await send(GetFile(fileId: fileID)) }
}

extension MessageContent {
    /// The content's main file: the largest photo size, or the document, video, audio, voice note,
    /// animation, video note or sticker; `nil` for content without a file.
    public var file: File? {
        switch self {
        case .photo(let photo): photo.photo.sizes.last?.photo
        case .document(let document): document.document.document
        case .video(let video): video.video.video
        case .audio(let audio): audio.audio.audio
        case .voiceNote(let voice): voice.voiceNote.voice
        case .animation(let animation): animation.animation.animation
        case .videoNote(let note): note.videoNote.video
        case .sticker(let sticker): sticker.sticker.sticker
        default: nil
        }
    }

    /// Every file of the content: each size of a photo (smallest first), or the one ``file``.
    public var files: [File] {
        if case .photo(let photo) = self { return photo.photo.sizes.map(\.photo) }
        return file.map { [$0] } ?? []
    }

    /// The file name the sender gave, when the content has one (documents, videos, audio, animations).
    public var fileName: String? {
        switch self {
        case .document(let document): document.document.fileName
        case .video(let video): video.video.fileName
        case .audio(let audio): audio.audio.fileName
        case .animation(let animation): animation.animation.fileName
        default: nil
        }
    }
}
