import Foundation
import TDLibAPI

extension SimulatorScenario {
    /// A file that a scenario message carries; its bytes are generated, the same on every run.
    public struct MessageFile: Codable, Sendable, Hashable {
        /// `photo`, `document`, `video`, `audio` or `voiceNote`.
        public var kind: String
        /// The size in bytes.
        public var size: Int64
        /// The file name; made up from the kind when absent.
        public var fileName: String?
        /// The MIME type; guessed from the kind when absent.
        public var mimeType: String?
        /// The width in pixels, for photos and videos.
        public var width: Int32?
        /// The height in pixels, for photos and videos.
        public var height: Int32?
        /// The duration in seconds, for videos, audio and voice notes.
        public var duration: Int32?
        /// The title, for audio.
        public var title: String?
        /// The performer, for audio.
        public var performer: String?

        /// Describes a file of a scenario message.
        public init(
            kind: String, size: Int64, fileName: String? = nil, mimeType: String? = nil, width: Int32? = nil,
            height: Int32? = nil, duration: Int32? = nil, title: String? = nil, performer: String? = nil
        ) {
            self.kind = kind
            self.size = size
            self.fileName = fileName
            self.mimeType = mimeType
            self.width = width
            self.height = height
            self.duration = duration
            self.title = title
            self.performer = performer
        }
    }

    /// How fast files move, and Telegram's size limits.
    public struct FileSettings: Codable, Sendable, Hashable {
        /// Download speed in bytes per second; 2 MiB/s when absent.
        public var downloadBytesPerSecond: Int64?
        /// Upload speed in bytes per second; 2 MiB/s when absent.
        public var uploadBytesPerSecond: Int64?
        /// Seconds between two `updateFile` progress updates; 0.1 when absent.
        public var progressIntervalSeconds: Double?
        /// The largest file that can be sent; Telegram's ``telegramMaxUploadSize`` when absent.
        public var maxUploadSize: Int64?
        /// The largest photo that can be sent; Telegram's ``telegramMaxPhotoSize`` when absent.
        public var maxPhotoSize: Int64?

        /// Telegram's upload limit for accounts without Premium: 2000 MiB (4000 parts of 512 KiB).
        public static let telegramMaxUploadSize: Int64 = 2000 << 20
        /// Telegram's limit for a photo: 10 MiB.
        public static let telegramMaxPhotoSize: Int64 = 10 << 20

        /// Creates file settings; absent values take the defaults.
        public init(
            downloadBytesPerSecond: Int64? = nil, uploadBytesPerSecond: Int64? = nil,
            progressIntervalSeconds: Double? = nil, maxUploadSize: Int64? = nil, maxPhotoSize: Int64? = nil
        ) {
            self.downloadBytesPerSecond = downloadBytesPerSecond
            self.uploadBytesPerSecond = uploadBytesPerSecond
            self.progressIntervalSeconds = progressIntervalSeconds
            self.maxUploadSize = maxUploadSize
            self.maxPhotoSize = maxPhotoSize
        }

        var interval: Double { max(0.001, progressIntervalSeconds ?? 0.1) }
        var downloadChunk: Int64 { max(1, Int64(Double(downloadBytesPerSecond ?? 2 << 20) * interval)) }
        var uploadChunk: Int64 { max(1, Int64(Double(uploadBytesPerSecond ?? 2 << 20) * interval)) }
        var uploadLimit: Int64 { maxUploadSize ?? Self.telegramMaxUploadSize }
        var photoLimit: Int64 { maxPhotoSize ?? Self.telegramMaxPhotoSize }
    }
}

/// The kinds of file message the simulator sends and serves.
enum AttachmentKind: String, Sendable {
    case photo, document, video, audio, voiceNote

    /// TDLib's folder for the kind, under the files directory.
    var folder: String {
        switch self {
        case .photo: "photos"
        case .document: "documents"
        case .video: "videos"
        case .audio: "music"
        case .voiceNote: "voice"
        }
    }

    var defaultMimeType: String {
        switch self {
        case .photo: "image/jpeg"
        case .document: "application/octet-stream"
        case .video: "video/mp4"
        case .audio: "audio/mpeg"
        case .voiceNote: "audio/ogg"
        }
    }

    var defaultExtension: String {
        switch self {
        case .photo: "jpg"
        case .document: "bin"
        case .video: "mp4"
        case .audio: "mp3"
        case .voiceNote: "oga"
        }
    }
}

/// What a file message holds: its files and their description.
struct FileAttachment: Sendable {
    struct Size: Sendable {
        var type: String
        var fileID: Int32
        var width: Int32
        var height: Int32
    }

    var kind: AttachmentKind
    /// The main file (the largest photo size).
    var fileID: Int32
    /// A photo's sizes, smallest first.
    var sizes: [Size] = []
    var fileName: String
    var mimeType: String
    var width: Int32 = 0
    var height: Int32 = 0
    var duration: Int32 = 0
    var title = ""
    var performer = ""
    var caption: FormattedText
}

/// A file known to the simulated Telegram.
struct FileRecord: Sendable {
    enum Source: Sendable {
        /// Generated bytes (scenario files).
        case generated(seed: UInt64)
        /// A local file a client sent.
        case local(path: String)
    }

    var id: Int32
    var size: Int64
    var name: String
    var folder: String
    var source: Source
    var isUploading = false
    var isUploadCompleted = true
    var uploadedSize: Int64
}

/// What one client has of one file.
struct LocalCopy: Sendable {
    var path = ""
    var downloadedSize: Int64 = 0
    var isActive = false
    var isCompleted = false
    /// Bumped when a download starts or stops, so that the ticks of an older one do nothing.
    var token = 0
    /// The `@extra` of each synchronous `downloadFile` waiting for the end.
    var waiting: [[UInt8]?] = []
}

struct LocalKey: Hashable, Sendable {
    var clientID: Int32
    var fileID: Int32
}

/// A message whose file is being uploaded.
struct PendingUpload: Sendable {
    var record: SimulatorWorld.MessageRecord
    var fileID: Int32
    var clientID: Int32
    var sendingID: Int32
}

/// The world's files, each client's local copies, the uploads in progress and the files directories.
struct SimulatorFiles: Sendable {
    var records: [Int32: FileRecord] = [:]
    var local: [LocalKey: LocalCopy] = [:]
    var uploads: [Int64: PendingUpload] = [:]
    var directories: [Int32: String] = [:]
    private var lastFileID: Int32 = 0

    mutating func add(size: Int64, name: String, folder: String, source: FileRecord.Source, isUploading: Bool = false)
        -> Int32
    {
        lastFileID += 1
        records[lastFileID] = FileRecord(
            id: lastFileID, size: size, name: name, folder: folder, source: source, isUploading: isUploading,
            isUploadCompleted: !isUploading, uploadedSize: isUploading ? 0 : size)
        return lastFileID
    }

    /// The `file` object as one client sees it.
    func fileObject(_ id: Int32, clientID: Int32?) throws -> File {
        guard let record = records[id] else { throw SimulatedError(code: 400, message: "Invalid file identifier") }
        let copy = clientID.flatMap { local[LocalKey(clientID: $0, fileID: id)] } ?? LocalCopy()
        let remoteID = record.isUploadCompleted ? "BQACAgIAAxkBAAEsimulated\(record.id)" : ""
        let uniqueID = record.isUploadCompleted ? "AgADsim\(record.id)" : ""
        let uploaded = record.uploadedSize
        return try SimulatorObjects.decode(
            File.self,
            #"{"@type":"file","id":\#(record.id),"size":\#(record.size),"expected_size":\#(record.size),"local":{"@type":"localFile","path":\#(SimulatorObjects.quoted(copy.path)),"can_be_downloaded":true,"can_be_deleted":\#(copy.isCompleted),"is_downloading_active":\#(copy.isActive),"is_downloading_completed":\#(copy.isCompleted),"download_offset":0,"downloaded_prefix_size":\#(copy.downloadedSize),"downloaded_size":\#(copy.downloadedSize)},"remote":{"@type":"remoteFile","id":"\#(remoteID)","unique_id":"\#(uniqueID)","is_uploading_active":\#(record.isUploading),"is_uploading_completed":\#(record.isUploadCompleted),"uploaded_size":\#(uploaded)}}"#
        )
    }

    /// A message's content for its attachment, as one client sees it.
    func content(_ attachment: FileAttachment, clientID: Int32?) throws -> MessageContent {
        let caption = attachment.caption.jsonString()
        let file = try fileObject(attachment.fileID, clientID: clientID).jsonString()
        let name = SimulatorObjects.quoted(attachment.fileName)
        let mime = SimulatorObjects.quoted(attachment.mimeType)
        let json: String
        switch attachment.kind {
        case .photo:
            let sizes = try attachment.sizes.map { size in
                #"{"@type":"photoSize","type":\#(SimulatorObjects.quoted(size.type)),"photo":\#(try fileObject(size.fileID, clientID: clientID).jsonString()),"width":\#(size.width),"height":\#(size.height),"progressive_sizes":[]}"#
            }.joined(separator: ",")
            json =
                #"{"@type":"messagePhoto","photo":{"@type":"photo","has_stickers":false,"sizes":[\#(sizes)]},"caption":\#(caption),"show_caption_above_media":false,"has_spoiler":false,"is_secret":false}"#
        case .document:
            json =
                #"{"@type":"messageDocument","document":{"@type":"document","file_name":\#(name),"mime_type":\#(mime),"document":\#(file)},"caption":\#(caption)}"#
        case .video:
            json =
                #"{"@type":"messageVideo","video":{"@type":"video","duration":\#(attachment.duration),"width":\#(attachment.width),"height":\#(attachment.height),"file_name":\#(name),"mime_type":\#(mime),"has_stickers":false,"supports_streaming":true,"video":\#(file)},"alternative_videos":[],"storyboards":[],"start_timestamp":0,"caption":\#(caption),"show_caption_above_media":false,"has_spoiler":false,"is_secret":false}"#
        case .audio:
            json =
                #"{"@type":"messageAudio","audio":{"@type":"audio","duration":\#(attachment.duration),"title":\#(SimulatorObjects.quoted(attachment.title)),"performer":\#(SimulatorObjects.quoted(attachment.performer)),"file_name":\#(name),"mime_type":\#(mime),"external_album_covers":[],"audio":\#(file)},"caption":\#(caption)}"#
        case .voiceNote:
            json =
                #"{"@type":"messageVoiceNote","voice_note":{"@type":"voiceNote","duration":\#(attachment.duration),"waveform":"","mime_type":\#(mime),"voice":\#(file)},"caption":\#(caption),"is_listened":false}"#
        }
        return try SimulatorObjects.decode(MessageContent.self, json)
    }

    /// `count` bytes of a file from `offset`.
    func read(_ record: FileRecord, offset: Int64, count: Int64) throws -> [UInt8] {
        switch record.source {
        case .generated(let seed): return Self.generated(seed: seed, offset: offset, count: count)
        case .local(let path): return try Self.readLocal(path, offset: offset, count: count)
        }
    }

    /// The seed of a scenario message's file (its photo's small size: the seed with its lowest bit flipped).
    static func seed(messageID: Int64) -> UInt64 { UInt64(bitPattern: messageID) &* 0x2545_F491_4F6C_DD1D }

    /// The bytes of a generated file: the same for the same seed on every run.
    static func generated(seed: UInt64, offset: Int64, count: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(max(0, count)))
        var index = offset
        var word: UInt64 = 0
        while index < offset + count {
            if index == offset || index % 8 == 0 {
                var z = seed &+ UInt64(index / 8) &* 0x9E37_79B9_7F4A_7C15
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                word = z ^ (z >> 31)
            }
            bytes.append(UInt8(truncatingIfNeeded: word >> UInt64((index % 8) * 8)))
            index += 1
        }
        return bytes
    }

    static func readLocal(_ path: String, offset: Int64, count: Int64) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SimulatedError(code: 400, message: "File \"\(path)\" can't be opened for reading")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        let data = try handle.read(upToCount: Int(count)) ?? Data()
        guard data.count == count else {
            throw SimulatedError(code: 400, message: "File \"\(path)\" was modified")
        }
        return Array(data)
    }

    /// Appends a chunk to a partial download, creating the file (and its folder) for the first chunk.
    static func append(_ bytes: [UInt8], to path: String, first: Bool) throws {
        let manager = FileManager.default
        if first {
            try manager.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard manager.createFile(atPath: path, contents: nil) else {
                throw SimulatedError(code: 400, message: "Can't create file \"\(path)\"")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw SimulatedError(code: 400, message: "Can't open file \"\(path)\" for writing")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: bytes)
    }

    /// Moves a finished download to its folder; a name already taken gets the file identifier in front.
    static func place(_ temporary: String, folder: String, name: String, fileID: Int32) throws -> String {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var destination = folder + "/" + name
        if manager.fileExists(atPath: destination) { destination = folder + "/\(fileID)_" + name }
        try? manager.removeItem(atPath: destination)
        try manager.moveItem(atPath: temporary, toPath: destination)
        return destination
    }
}

extension SimulatorWorld {
    /// Gives a scenario message its file.
    mutating func attach(_ file: SimulatorScenario.MessageFile, to record: MessageRecord) {
        let kind = AttachmentKind(rawValue: file.kind) ?? .document
        let name = file.fileName ?? "\(kind.rawValue)_\(record.id >> 20).\(kind.defaultExtension)"
        let size = max(1, file.size)
        let seed = SimulatorFiles.seed(messageID: record.id)
        var attachment = FileAttachment(
            kind: kind, fileID: 0, fileName: name, mimeType: file.mimeType ?? kind.defaultMimeType,
            width: file.width ?? 0, height: file.height ?? 0, duration: file.duration ?? 0, title: file.title ?? "",
            performer: file.performer ?? "", caption: FormattedText(text: record.text, entities: []))
        if kind == .photo {
            let (width, height) = (file.width ?? 1280, file.height ?? 720)
            let scale = Double(320) / Double(max(1, max(width, height)))
            let small = files.add(
                size: max(1, size / 8), name: "m_" + name, folder: kind.folder, source: .generated(seed: seed ^ 1))
            attachment.fileID = files.add(size: size, name: name, folder: kind.folder, source: .generated(seed: seed))
            attachment.sizes = [
                .init(
                    type: "m", fileID: small, width: Int32(Double(width) * scale),
                    height: Int32(Double(height) * scale)),
                .init(type: "x", fileID: attachment.fileID, width: width, height: height),
            ]
        } else {
            attachment.fileID = files.add(size: size, name: name, folder: kind.folder, source: .generated(seed: seed))
        }
        guard let index = chats[record.chatID]?.messages.lastIndex(where: { $0.id == record.id }) else { return }
        chats[record.chatID]?.messages[index].attachment = attachment
    }
}

// MARK: Requests

extension TDSimulator {
    var fileSettings: SimulatorScenario.FileSettings { scenario.files ?? SimulatorScenario.FileSettings() }

    /// `getFile`, `downloadFile` and `cancelDownloadFile`.
    func fileRequest(
        _ request: Request, clientID: Int32, session: ClientSession, state: inout SimulatorState, outbox: inout Outbox
    ) throws {
        switch request.type {
        case "getFile":
            let id = try request.decode(GetFile.self).fileId
            outbox.answer(try state.world.files.fileObject(id, clientID: clientID))
        case "downloadFile":
            try startDownload(
                try request.decode(DownloadFile.self), clientID: clientID, session: session, state: &state,
                outbox: &outbox)
        case "cancelDownloadFile":
            let cancel = try request.decode(CancelDownloadFile.self)
            let key = LocalKey(clientID: clientID, fileID: cancel.fileId)
            guard state.world.files.records[cancel.fileId] != nil else {
                throw SimulatedError(code: 400, message: "Invalid file identifier")
            }
            if var copy = state.world.files.local[key], copy.isActive,
                !cancel.onlyIfPending || copy.downloadedSize == 0
            {
                // The part already downloaded stays in temp/ and the next download goes on from it.
                stopDownload(key, copy: &copy, keepPart: true, state: &state, outbox: &outbox)
            }
            outbox.answer(Ok())
        default:
            throw SimulatedError(code: 400, message: "The simulator does not support the method \(request.type)")
        }
    }

    private func startDownload(
        _ download: DownloadFile, clientID: Int32, session: ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        guard (1...32).contains(download.priority) else {
            throw SimulatedError(code: 400, message: "Download priority must be in [1;32] range")
        }
        guard download.offset >= 0 else {
            throw SimulatedError(code: 400, message: "Download offset must be non-negative")
        }
        guard download.limit >= 0 else {
            throw SimulatedError(code: 400, message: "Download limit must be non-negative")
        }
        guard state.world.files.records[download.fileId] != nil else {
            throw SimulatedError(code: 400, message: "Invalid file identifier")
        }
        let key = LocalKey(clientID: clientID, fileID: download.fileId)
        var copy = state.world.files.local[key] ?? LocalCopy()
        if copy.isCompleted, !FileManager.default.fileExists(atPath: copy.path) {
            copy = LocalCopy(token: copy.token)  // deleted since: TDLib downloads it again
        }
        if copy.isCompleted {
            state.world.files.local[key] = copy
            outbox.answer(try state.world.files.fileObject(download.fileId, clientID: clientID))
            return
        }
        if download.synchronous { copy.waiting.append(outbox.extra) }
        let starting = !copy.isActive
        if starting {
            copy.isActive = true
            copy.token += 1
        }
        state.world.files.local[key] = copy
        if starting {
            outbox.update(
                .file(UpdateFile(file: try state.world.files.fileObject(download.fileId, clientID: clientID))))
            scheduleDownloadTick(key, generation: session.generation, token: copy.token)
        }
        if !download.synchronous {
            outbox.answer(try state.world.files.fileObject(download.fileId, clientID: clientID))
        }
    }

    private func scheduleDownloadTick(_ key: LocalKey, generation: Int, token: Int) {
        schedule(after: fileSettings.interval, clientID: key.clientID, generation: generation) {
            simulator, state, outbox in
            simulator.advanceDownload(key, generation: generation, token: token, state: &state, outbox: &outbox)
        }
    }

    /// One step of a download: the next chunk written to `temp/`, then moved to its folder at the end.
    private func advanceDownload(
        _ key: LocalKey, generation: Int, token: Int, state: inout SimulatorState, outbox: inout Outbox
    ) {
        guard var copy = state.world.files.local[key], copy.isActive, copy.token == token,
            let record = state.world.files.records[key.fileID]
        else { return }
        let directory = state.world.files.directories[key.clientID] ?? "tdlib"
        let part = directory + "/temp/\(key.fileID).part"
        let count = min(fileSettings.downloadChunk, record.size - copy.downloadedSize)
        do {
            let bytes = try state.world.files.read(record, offset: copy.downloadedSize, count: count)
            try SimulatorFiles.append(bytes, to: part, first: copy.downloadedSize == 0)
            copy.downloadedSize += count
            copy.path = part
            if copy.downloadedSize >= record.size {
                copy.path = try SimulatorFiles.place(
                    part, folder: directory + "/" + record.folder, name: record.name, fileID: record.id)
                copy.isActive = false
                copy.isCompleted = true
            }
        } catch {
            try? FileManager.default.removeItem(atPath: part)
            stopDownload(key, copy: &copy, keepPart: false, state: &state, outbox: &outbox)
            return
        }
        let waiting = copy.isCompleted ? copy.waiting : []
        if copy.isCompleted { copy.waiting = [] }
        state.world.files.local[key] = copy
        guard let file = try? state.world.files.fileObject(key.fileID, clientID: key.clientID) else { return }
        outbox.update(.file(UpdateFile(file: file)))
        if copy.isCompleted {
            for extra in waiting {
                outbox.extra = extra
                outbox.answer(file)
            }
            outbox.extra = nil
        } else {
            scheduleDownloadTick(key, generation: generation, token: token)
        }
    }

    /// Ends a download that was cancelled or failed: `updateFile`, and TDLib's error for synchronous requests.
    private func stopDownload(
        _ key: LocalKey, copy: inout LocalCopy, keepPart: Bool, state: inout SimulatorState, outbox: inout Outbox
    ) {
        let waiting = copy.waiting
        copy.waiting = []
        copy.isActive = false
        copy.token += 1
        if !keepPart {
            copy.downloadedSize = 0
            copy.path = ""
        }
        state.world.files.local[key] = copy
        if let file = try? state.world.files.fileObject(key.fileID, clientID: key.clientID) {
            outbox.update(.file(UpdateFile(file: file)))
        }
        let requestExtra = outbox.extra
        for extra in waiting {
            outbox.extra = extra
            outbox.error(400, "File download has failed or was canceled")
        }
        outbox.extra = requestExtra
    }

    // MARK: Sending files

    /// `sendMessage` with a photo, document, video, audio or voice note from a local file: TDLib's checks of
    /// the file, the pending message, upload progress, then `updateMessageSendSucceeded`.
    func sendFileMessage(
        _ send: SendMessage, me: Int64, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        _ = try state.chat(send.chatId)
        var (attachment, input) = try Self.describe(send.inputMessageContent)
        guard case .local(let local) = input else {
            throw SimulatedError(code: 400, message: "The simulator sends local files only (inputFileLocal)")
        }
        let (path, size) = try checkLocalFile(local.path, isPhoto: attachment.kind == .photo)
        guard attachment.caption.text.utf16.count <= 1024 else {
            throw SimulatedError(code: 400, message: "MEDIA_CAPTION_TOO_LONG")
        }
        announceChat(send.chatId, session: &session, state: state, outbox: &outbox)
        let name = (path as NSString).lastPathComponent
        let fileID = state.world.files.add(
            size: size, name: name, folder: attachment.kind.folder, source: .local(path: path), isUploading: true)
        state.world.files.local[LocalKey(clientID: clientID, fileID: fileID)] = LocalCopy(
            path: path, downloadedSize: size, isCompleted: true)
        attachment.fileID = fileID
        attachment.fileName = name
        if attachment.mimeType.isEmpty { attachment.mimeType = Self.mimeType(of: name, kind: attachment.kind) }
        if attachment.kind == .photo {
            attachment.sizes = [.init(type: "x", fileID: fileID, width: attachment.width, height: attachment.height)]
        }
        state.lastSendingID += 1
        let newest = state.world.chats.values.flatMap { $0.messages.map(\.id) }.max() ?? 0
        // Between the newest message and the next one, as TDLib's temporary identifiers are.
        let pendingID = newest + Int64(state.lastSendingID % 1000) + 1
        let record = SimulatorWorld.MessageRecord(
            id: pendingID, chatID: send.chatId, senderID: me, text: attachment.caption.text,
            date: Int32(Date().timeIntervalSince1970), attachment: attachment)
        let pending = try messageObject(
            record, me: me, state: state, clientID: clientID, pendingSendingID: state.lastSendingID)
        outbox.answer(pending)
        outbox.update(.newMessage(UpdateNewMessage(message: pending)))
        state.world.files.uploads[pendingID] = PendingUpload(
            record: record, fileID: fileID, clientID: clientID, sendingID: state.lastSendingID)
        scheduleUploadTick(pendingID, clientID: clientID, generation: session.generation)
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
    private static func describe(_ content: InputMessageContent) throws -> (FileAttachment, InputFile) {
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
        let count = min(fileSettings.uploadChunk, record.size - record.uploadedSize)
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
            scheduleUploadTick(pendingID, clientID: upload.clientID, generation: generation)
            return
        }
        state.world.files.uploads[pendingID] = nil
        let chatID = upload.record.chatID
        var sentRecord = state.world.appendMessage(
            chatID: chatID, senderID: upload.record.senderID, text: upload.record.text, date: upload.record.date)
        sentRecord.attachment = upload.record.attachment
        if let index = state.world.chats[chatID]?.messages.lastIndex(where: { $0.id == sentRecord.id }) {
            state.world.chats[chatID]?.messages[index] = sentRecord
        }
        guard
            let sent = try? messageObject(
                sentRecord, me: upload.record.senderID, state: state, clientID: upload.clientID),
            let chat = state.world.chats[chatID]
        else { return }
        outbox.update(.messageSendSucceeded(UpdateMessageSendSucceeded(message: sent, oldMessageId: pendingID)))
        outbox.update(
            .chatLastMessage(UpdateChatLastMessage(chatId: chatID, lastMessage: sent, positions: [position(chat)])))
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
        let tdError = TDError(code: Int32(clamping: error.code), message: error.message)
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
