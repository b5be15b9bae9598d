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
