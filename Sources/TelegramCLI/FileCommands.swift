import ArgumentParser
import Foundation
import Telegram

/// How `send-file` sends a file.
enum FileKind: String, ExpressibleByArgument, CaseIterable {
    case auto, photo, video, audio, voice, document

    /// The kind a file's extension suggests.
    static func guess(_ path: String) -> FileKind {
        switch (path as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg", "png", "webp": .photo
        case "mp4", "mov", "m4v", "webm": .video
        case "mp3", "m4a", "flac", "wav", "aac": .audio
        case "ogg", "oga", "opus": .voice
        default: .document
        }
    }
}

struct SendFile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-file",
        abstract:
            "Send a local file (photo, video, audio, voice note or document), with a progress bar on standard error.",
        discussion: """
            The kind follows the file's extension unless --kind says otherwise. With --json, standard output has \
            one JSON object per line: {"event":"progress",...} while uploading, then {"event":"sent","message":{...}}.
            """)
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "The chat's identifier.") var chat: Int64
    @Argument(help: "The file to send.") var path: String
    @Option(help: "A caption (plain text).") var caption: String?
    @Option(help: "Send as: auto (by extension), photo, video, audio, voice or document.") var kind: FileKind = .auto

    func run() async throws {
        let (json, chat, path, caption) = (options.json, chat, path, caption.map { Caption($0) })
        let kind = kind == .auto ? FileKind.guess(path) : kind
        try Telegram.checkFileToSend(path)  // before connecting: a clear error, at once
        try await Session.run(options) { telegram in
            let upload: FileUploadTask =
                switch kind {
                case .photo: try await telegram.sendPhoto(chatID: chat, path: path, caption: caption)
                case .video: try await telegram.sendVideo(chatID: chat, path: path, caption: caption)
                case .audio: try await telegram.sendAudio(chatID: chat, path: path, caption: caption)
                case .voice: try await telegram.sendVoiceNote(chatID: chat, path: path, caption: caption)
                case .document, .auto: try await telegram.sendDocument(chatID: chat, path: path, caption: caption)
                }
            var display = TransferDisplay(json: json)
            var sent: Message?
            for try await progress in upload {
                display.show(progress)
                if let message = progress.message { sent = message }
            }
            display.finish()
            guard let sent else { throw CLIError("the upload ended without a message") }
            if json {
                Output.line(#"{"event":"sent","message":"# + sent.jsonString() + "}")
            } else {
                Output.line(
                    "Sent \(kind.rawValue) \((path as NSString).lastPathComponent) as message \(sent.id) to chat \(chat)."
                )
            }
        }
    }
}

struct Download: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download the file of a message into a folder, with a progress bar on standard error.",
        discussion: """
            Photos give their largest size. With --json, standard output has one JSON object per line: \
            {"event":"progress",...} while downloading, then {"event":"downloaded","path":...}. An existing file \
            is kept unless --force.
            """)
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "The chat's identifier.") var chat: Int64
    @Argument(help: "The message's identifier.") var message: Int64
    @Option(help: "The folder to save into (the current one by default).") var out: String = "."
    @Flag(help: "Replace a file of the same name.") var force = false

    func run() async throws {
        let (json, chat, messageID, force) = (options.json, chat, message, force)
        let folder = try Self.writableFolder(out)
        try await Session.run(options) { telegram in
            let message = try await telegram.getMessage(chatID: chat, messageID: messageID)
            guard let file = message.content.file else {
                throw CLIError("message \(messageID) has no file to download")
            }
            // The sender's file name when there is one (checked before downloading), else TDLib's.
            let given = Self.safeName(message.content.fileName)
            if let given { try Self.checkFree((folder as NSString).appendingPathComponent(given), force: force) }
            var display = TransferDisplay(json: json)
            var localPath: String?
            for try await progress in telegram.downloadFile(fileID: file.id) {
                display.show(progress)
                if let path = progress.localPath { localPath = path }
            }
            display.finish()
            guard let localPath else { throw CLIError("the download ended without a file") }
            let name = given ?? Self.safeName((localPath as NSString).lastPathComponent) ?? "file_\(file.id)"
            let destination = (folder as NSString).appendingPathComponent(name)
            if given == nil { try Self.checkFree(destination, force: force) }
            try Self.copy(localPath, to: destination)
            if json {
                Output.line(
                    TDJSONValue.object([
                        "event": "downloaded", "file_id": .int(Int64(file.id)), "path": .string(destination),
                        "size": .int(file.size),
                    ]).jsonString())
            } else {
                Output.line("Downloaded \(name) (\(TransferDisplay.bytes(file.size))) to \(destination).")
            }
        }
    }

    /// A file name that stays inside the folder, or nil.
    static func safeName(_ name: String?) -> String? {
        guard let name, !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { return nil }
        return name
    }

    static func checkFree(_ destination: String, force: Bool) throws {
        if !force, FileManager.default.fileExists(atPath: destination) {
            throw CLIError("\(destination) already exists (--force replaces it)")
        }
    }

    /// The folder, checked before anything is downloaded: it must exist and take a new file.
    static func writableFolder(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError("the folder \(path) does not exist")
        }
        guard isDirectory.boolValue else { throw CLIError("\(path) is not a folder") }
        let probe = (path as NSString).appendingPathComponent(".tg-write-check-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: probe, contents: nil) else {
            throw CLIError("cannot write to the folder \(path)")
        }
        try? FileManager.default.removeItem(atPath: probe)
        return path
    }

    /// Copies through a temporary name, so that a failed copy never leaves a partial file under the real name.
    static func copy(_ source: String, to destination: String) throws {
        let manager = FileManager.default
        let folder = (destination as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".tg-download-\(UUID().uuidString).part")
        do {
            try manager.copyItem(atPath: source, toPath: temporary)
            if manager.fileExists(atPath: destination) { try manager.removeItem(atPath: destination) }
            try manager.moveItem(atPath: temporary, toPath: destination)
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw CLIError("cannot save \(destination): \(error.localizedDescription)")
        }
    }
}

/// A transfer's progress: a bar on standard error (bytes, rate, time left), or JSON lines on standard output.
struct TransferDisplay {
    let json: Bool
    private let start = Date()
    private var lastDrawn = Date.distantPast
    private var drewBar = false

    init(json: Bool) { self.json = json }

    mutating func show(_ progress: FileProgress) {
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0.05 ? Double(progress.transferredSize) / elapsed : 0
        let remaining = max(0, progress.totalSize - progress.transferredSize)
        let secondsLeft = rate > 0 ? Double(remaining) / rate : nil
        if json {
            var fields: [String: TDJSONValue] = [
                "event": "progress", "direction": progress.direction == .download ? "download" : "upload",
                "file_id": .int(Int64(progress.fileID)), "transferred": .int(progress.transferredSize),
                "total": .int(progress.totalSize), "bytes_per_second": .int(Int64(rate.rounded())),
            ]
            if let secondsLeft { fields["seconds_left"] = .double((secondsLeft * 10).rounded() / 10) }
            Output.line(TDJSONValue.object(fields).jsonString())
            return
        }
        // At most ten redraws a second, and always the last one.
        guard progress.isCompleted || Date().timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = Date()
        let width = 24
        let filled = Int(progress.fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let left = secondsLeft.map { "  \(Self.duration($0)) left" } ?? ""
        let line =
            "\r[\(bar)] \(Self.bytes(progress.transferredSize)) / \(Self.bytes(progress.totalSize))  \(Self.bytes(Int64(rate)))/s\(left)"
        FileHandle.standardError.write(Data((line + "   ").utf8))
        drewBar = true
    }

    func finish() {
        if drewBar { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}
