import Foundation
import Testing

@testable import TDLibAPIClient
@testable import TDLibSimulator

/// The channel of the default scenario with a photo (7 << 20) and a document (8 << 20).
private let channel: Int64 = -1_000_000_004_002
private let photoMessage: Int64 = 7 << 20
private let documentMessage: Int64 = 8 << 20

/// A scenario with fast transfers and small limits, so that tests are quick.
private func fastScenario(
    download: Int64 = 8 << 20, upload: Int64 = 8 << 20, interval: Double = 0.01, maxUpload: Int64? = nil,
    maxPhoto: Int64? = nil
) -> SimulatorScenario {
    var scenario = SimulatorScenario.default
    scenario.events = []
    scenario.files = .init(
        downloadBytesPerSecond: download, uploadBytesPerSecond: upload, progressIntervalSeconds: interval,
        maxUploadSize: maxUpload, maxPhotoSize: maxPhoto)
    return scenario
}

/// A file of `size` bytes in a fresh folder.
func temporaryFile(_ name: String, size: Int, byte: UInt8 = 0x5a) throws -> String {
    let folder = try SimulatedTelegram.temporaryDirectory()
    let path = folder + "/" + name
    let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) ^ byte }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("Simulator: files")
struct SimulatorFileTests {
    /// A client logged in as Alice whose files directory is `filesDirectory` (its database directory when nil).
    func alice(_ telegram: SimulatedTelegram, filesDirectory: String? = nil) async throws -> (TDClient, UpdateLog) {
        let (client, log) = try await telegram.client(filesDirectory: filesDirectory ?? "", useFileDatabase: true)
        _ = try await client.send(SetAuthenticationPhoneNumber(phoneNumber: "+15550100001"))
        _ = try await client.send(CheckAuthenticationCode(code: "11111"))
        _ = try await log.next {
            if case .authorizationState(let s) = $0, case .ready = s.authorizationState { true } else { nil }
        }
        return (client, log)
    }

    func document(_ client: TDClient) async throws -> (Message, File) {
        let message = try await client.send(GetMessage(chatId: channel, messageId: documentMessage))
        guard case .document(let content) = message.content else { throw HarnessError.timedOut }
        return (message, content.document.document)
    }

    /// The `updateFile` updates of one file, in order, until `until` accepts one.
    func fileUpdates(_ log: UpdateLog, id: Int32, timeout: Duration = .seconds(10), until: (File) -> Bool)
        async throws -> [File]
    {
        var files: [File] = []
        while true {
            let file = try await log.next(timeout: timeout) { update -> File? in
                if case .file(let changed) = update, changed.file.id == id { return changed.file }
                return nil
            }
            files.append(file)
            if until(file) { return files }
        }
    }

    @Test func scenarioMessagesCarryAPhotoAndADocumentWithSizes() async throws {
        try await withSimulator(fastScenario()) { telegram in
            let (client, _) = try await alice(telegram)
            let photo = try await client.send(GetMessage(chatId: channel, messageId: photoMessage))
            guard case .photo(let content) = photo.content else {
                Issue.record("expected a photo, got \(photo.content)")
                return
            }
            #expect(content.caption.text == "The new logo")
            #expect(content.photo.sizes.map(\.type) == ["m", "x"])
            #expect(content.photo.sizes.map(\.photo.size) == [32768, 262144])
            #expect(content.photo.sizes.last?.width == 1280)
            let (_, file) = try await document(client)
            #expect(file.size == 1_048_576)
            #expect(!file.local.isDownloadingCompleted && file.local.path.isEmpty)
            #expect(file.remote.isUploadingCompleted && !file.remote.id.isEmpty)
            let got = try await client.send(GetFile(fileId: file.id))
            #expect(got == file)
            // The chat order and the older messages stay as they were.
            let chats = try await client.send(GetChats(chatList: .main(ChatListMain()), limit: 10))
            #expect(chats.chatIds == [channel, -1_000_000_004_001, -3001, 2002, 2001])
        }
    }

    @Test func downloadWritesTheFileInChunksWithMonotonicProgress() async throws {
        let files = try SimulatedTelegram.temporaryDirectory()
        try await withSimulator(fastScenario()) { telegram in
            let (client, log) = try await alice(telegram, filesDirectory: files)
            let (_, file) = try await document(client)
            let done = try await client.send(
                DownloadFile(fileId: file.id, priority: 1, offset: 0, limit: 0, synchronous: true))
            #expect(done.local.isDownloadingCompleted)
            #expect(done.local.downloadedSize == file.size)
            #expect(done.local.path == files + "/documents/release-notes.pdf")
            let updates = try await fileUpdates(log, id: file.id) { $0.local.isDownloadingCompleted }
            let sizes = updates.map(\.local.downloadedSize)
            #expect(sizes.count >= 8)
            #expect(sizes == sizes.sorted())
            #expect(sizes.last == file.size)
            #expect(updates.dropLast().allSatisfy { $0.local.isDownloadingActive && !$0.local.isDownloadingCompleted })
            let content = try Data(contentsOf: URL(fileURLWithPath: done.local.path))
            let expected = SimulatorFiles.generated(
                seed: SimulatorFiles.seed(messageID: documentMessage), offset: 0, count: file.size)
            #expect(Array(content) == expected)
            #expect(try FileManager.default.contentsOfDirectory(atPath: files + "/temp").isEmpty)
            // A second download completes at once, with no new progress.
            let again = try await client.send(
                DownloadFile(fileId: file.id, priority: 32, offset: 0, limit: 0, synchronous: false))
            #expect(again == done)
        }
    }

    @Test func cancelStopsADownloadMidwayAndTheNextOneGoesOnFromThePart() async throws {
        let files = try SimulatedTelegram.temporaryDirectory()
        let clock = SimulatorClock.manual()
        try await withSimulator(fastScenario(download: 512 << 10, interval: 0.02), clock: clock) { telegram in
            let (client, log) = try await alice(telegram, filesDirectory: files)
            let (_, file) = try await document(client)
            let waiting = Task {
                try await client.send(
                    DownloadFile(fileId: file.id, priority: 1, offset: 0, limit: 0, synchronous: true))
            }
            try await telegram.simulator.waitForRequests("downloadFile")
            // 12 steps of 0.02 s at 512 KiB/s: about 120 KiB of the 1 MiB document.
            clock.advance(by: .milliseconds(250))
            _ = try await fileUpdates(log, id: file.id) { $0.local.downloadedSize >= 100_000 }
            _ = try await client.send(CancelDownloadFile(fileId: file.id, onlyIfPending: false))
            await expectTDLibError(400, "File download has failed or was canceled") { _ = try await waiting.value }
            let stopped = try await client.send(GetFile(fileId: file.id))
            #expect(!stopped.local.isDownloadingActive && !stopped.local.isDownloadingCompleted)
            #expect(stopped.local.downloadedSize > 0 && stopped.local.downloadedSize < file.size)
            // Time goes on; a cancelled download stays where it stopped.
            clock.advance(by: .seconds(5))
            #expect(try await client.send(GetFile(fileId: file.id)) == stopped)
            #expect(!FileManager.default.fileExists(atPath: files + "/documents/release-notes.pdf"))

            let resumed = Task {
                try await client.send(
                    DownloadFile(fileId: file.id, priority: 1, offset: 0, limit: 0, synchronous: true))
            }
            try await telegram.simulator.waitForRequests("downloadFile", count: 2)
            clock.advance(by: .seconds(5))
            let done = try await resumed.value
            let content = try Data(contentsOf: URL(fileURLWithPath: done.local.path))
            #expect(
                Array(content)
                    == SimulatorFiles.generated(
                        seed: SimulatorFiles.seed(messageID: documentMessage), offset: 0, count: file.size))
        }
    }

    @Test func downloadIntoAnUnwritableFolderFailsAndNothingIsReportedDone() async throws {
        try await withSimulator(fastScenario()) { telegram in
            let (client, _) = try await alice(telegram, filesDirectory: "/proc/simulator-files")
            let (_, file) = try await document(client)
            await expectTDLibError(400, "File download has failed or was canceled") {
                _ = try await client.send(
                    DownloadFile(fileId: file.id, priority: 1, offset: 0, limit: 0, synchronous: true))
            }
            let after = try await client.send(GetFile(fileId: file.id))
            #expect(!after.local.isDownloadingCompleted && !after.local.isDownloadingActive)
            #expect(after.local.path.isEmpty && after.local.downloadedSize == 0)
        }
    }

    @Test func badDownloadRequestsGetTDLibsErrors() async throws {
        try await withSimulator(fastScenario()) { telegram in
            let (client, _) = try await alice(telegram)
            await expectTDLibError(400, "Download priority must be in [1;32] range") {
                _ = try await client.send(DownloadFile(fileId: 1, priority: 0, offset: 0, limit: 0, synchronous: false))
            }
            await expectTDLibError(400, "Invalid file identifier") {
                _ = try await client.send(
                    DownloadFile(fileId: 9999, priority: 1, offset: 0, limit: 0, synchronous: false))
            }
            await expectTDLibError(400, "Invalid file identifier") { _ = try await client.send(GetFile(fileId: 9999)) }
        }
    }

    func caption(_ text: String) -> FormattedText { FormattedText(text: text, entities: []) }

    @Test func eachKindIsSentWithUploadProgress() async throws {
        try await withSimulator(fastScenario(upload: 2 << 20)) { telegram in
            let (client, log) = try await alice(telegram)
            let kinds = try ["photo.jpg", "notes.pdf", "clip.mp4", "song.mp3", "voice.oga"].map { name in
                let path = try temporaryFile(name, size: 300_000)
                return (path, content(name, .local(InputFileLocal(path: path))))
            }
            for (path, content) in kinds {
                let pending = try await client.send(SendMessage(chatId: 2001, inputMessageContent: content))
                guard case .pending = pending.sendingState else {
                    Issue.record("expected a pending message")
                    continue
                }
                let file = try #require(SimulatorFileTests.file(of: pending.content))
                #expect(file.size == 300_000)
                #expect(file.local.isDownloadingCompleted && file.local.path == path)
                #expect(file.remote.isUploadingActive && file.remote.uploadedSize == 0)
                let updates = try await fileUpdates(log, id: file.id) { $0.remote.isUploadingCompleted }
                let uploaded = updates.map(\.remote.uploadedSize)
                #expect(uploaded.count >= 2)
                #expect(uploaded == uploaded.sorted() && uploaded.last == 300_000)
                let sent = try await log.next { update -> Message? in
                    if case .messageSendSucceeded(let sent) = update, sent.oldMessageId == pending.id {
                        return sent.message
                    }
                    return nil
                }
                #expect(sent.id % (1 << 20) == 0 && sent.id > pending.id)
                #expect(sent.sendingState == nil)
                #expect(SimulatorFileTests.file(of: sent.content)?.remote.isUploadingCompleted == true)
                let fetched = try await client.send(GetMessage(chatId: 2001, messageId: sent.id))
                #expect(fetched.content == sent.content)
            }
            let history = try await client.send(
                GetChatHistory(chatId: 2001, fromMessageId: 0, offset: 0, limit: 5, onlyLocal: false))
            let types = history.messages.compactMap {
                $0?.content.jsonString().split(separator: "\"").dropFirst(3).first
            }
            #expect(types == ["messageVoiceNote", "messageAudio", "messageVideo", "messageDocument", "messagePhoto"])
        }
    }

    /// A message content of the kind the file name suggests, with a caption.
    func content(_ name: String, _ file: InputFile) -> InputMessageContent {
        switch name {
        case "photo.jpg":
            .photo(
                InputMessagePhoto(
                    photo: InputPhoto(photo: file, addedStickerFileIds: [], width: 640, height: 480),
                    caption: caption("a photo"), showCaptionAboveMedia: false, hasSpoiler: false))
        case "clip.mp4":
            .video(
                InputMessageVideo(
                    video: InputVideo(
                        video: file, startTimestamp: 0, addedStickerFileIds: [], duration: 3, width: 320, height: 240,
                        supportsStreaming: true),
                    caption: caption("a video"), showCaptionAboveMedia: false, hasSpoiler: false))
        case "song.mp3":
            .audio(
                InputMessageAudio(
                    audio: InputAudio(audio: file, duration: 61, title: "Song", performer: "Band"),
                    caption: caption("an audio")))
        case "voice.oga":
            .voiceNote(
                InputMessageVoiceNote(
                    voiceNote: InputVoiceNote(voiceNote: file, duration: 2, waveform: []),
                    caption: caption("a voice note")))
        default:
            .document(
                InputMessageDocument(
                    document: InputDocument(document: file, disableContentTypeDetection: false),
                    caption: caption("a document")))
        }
    }

    static func file(of content: MessageContent) -> File? {
        switch content {
        case .photo(let photo): photo.photo.sizes.last?.photo
        case .document(let document): document.document.document
        case .video(let video): video.video.video
        case .audio(let audio): audio.audio.audio
        case .voiceNote(let voice): voice.voiceNote.voice
        default: nil
        }
    }

    func document(at path: String) -> InputMessageContent {
        .document(
            InputMessageDocument(
                document: InputDocument(
                    document: .local(InputFileLocal(path: path)), disableContentTypeDetection: false)
            ))
    }

    @Test func badFilesGetTDLibsErrors() async throws {
        try await withSimulator(fastScenario(maxUpload: 10_000, maxPhoto: 5_000)) { telegram in
            let (client, _) = try await alice(telegram)
            let folder = try SimulatedTelegram.temporaryDirectory()
            func send(_ content: InputMessageContent) async throws {
                _ = try await client.send(SendMessage(chatId: 2001, inputMessageContent: content))
            }
            await expectTDLibError(400, "Can't find real file path") { try await send(document(at: folder + "/nope")) }
            await expectTDLibError(400, "File must be a regular file") { try await send(document(at: folder)) }
            let empty = try temporaryFile("empty.txt", size: 0)
            await expectTDLibError(400, "File must be non-empty") { try await send(document(at: empty)) }
            let big = try temporaryFile("big.bin", size: 10_001)
            await expectTDLibError(400, "File \"\(big)\" of size 10001 bytes is too big") {
                try await send(document(at: big))
            }
            let photo = try temporaryFile("big.jpg", size: 6_000)
            await expectTDLibError(400, "File \"\(photo)\" of size 6000 bytes is too big for a photo") {
                try await send(
                    .photo(
                        InputMessagePhoto(
                            photo: InputPhoto(
                                photo: .local(InputFileLocal(path: photo)), addedStickerFileIds: [], width: 0,
                                height: 0), showCaptionAboveMedia: false, hasSpoiler: false)))
            }
            // The same file is fine as a document.
            try await send(document(at: photo))
            await expectTDLibError(400, "File must have non-empty path") { try await send(document(at: "")) }
            await expectTDLibError(400, "The simulator sends local files only (inputFileLocal)") {
                try await send(
                    .document(
                        InputMessageDocument(
                            document: InputDocument(
                                document: .remote(InputFileRemote(id: "x")), disableContentTypeDetection: false))))
            }
        }
    }

    @Test func aFileRemovedDuringTheUploadFailsTheMessage() async throws {
        let clock = SimulatorClock.manual()
        try await withSimulator(fastScenario(upload: 10_000, interval: 0.05), clock: clock) { telegram in
            let (client, log) = try await alice(telegram)
            let path = try temporaryFile("going.bin", size: 50_000)
            let pending = try await client.send(SendMessage(chatId: 2001, inputMessageContent: document(at: path)))
            try FileManager.default.removeItem(atPath: path)
            clock.advance(by: .seconds(10))  // the upload goes on only now, and finds the file gone
            let failed = try await log.next { update -> UpdateMessageSendFailed? in
                if case .messageSendFailed(let failed) = update { return failed }
                return nil
            }
            #expect(failed.oldMessageId == pending.id)
            #expect(failed.error.code == 400)
            #expect(failed.error.message == "File \"\(path)\" can't be opened for reading")
            guard case .failed = failed.message.sendingState else {
                Issue.record("expected a failed message")
                return
            }
            let history = try await client.send(
                GetChatHistory(chatId: 2001, fromMessageId: 0, offset: 0, limit: 1, onlyLocal: false))
            #expect(history.messages.first??.id != pending.id)
        }
    }

    @Test func deletingAPendingMessageStopsItsUpload() async throws {
        let clock = SimulatorClock.manual()
        try await withSimulator(fastScenario(upload: 100_000, interval: 0.02), clock: clock) { telegram in
            let (client, log) = try await alice(telegram)
            let path = try temporaryFile("slow.bin", size: 200_000)
            let pending = try await client.send(SendMessage(chatId: 2001, inputMessageContent: document(at: path)))
            let file = try #require(SimulatorFileTests.file(of: pending.content))
            clock.advance(by: .milliseconds(50))
            _ = try await fileUpdates(log, id: file.id) { $0.remote.uploadedSize > 0 }
            _ = try await client.send(DeleteMessages(chatId: 2001, messageIds: [pending.id], revoke: true))
            _ = try await fileUpdates(log, id: file.id) { !$0.remote.isUploadingActive }
            // Long past the time the whole upload would take: it must not go on.
            clock.advance(by: .seconds(10))
            let updates = await log.updates
            #expect(!updates.contains { if case .messageSendSucceeded = $0 { true } else { false } })
            let stopped = try await client.send(GetFile(fileId: file.id))
            #expect(!stopped.remote.isUploadingActive && !stopped.remote.isUploadingCompleted)
        }
    }
}
