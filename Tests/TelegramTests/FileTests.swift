import Foundation
import TDLibSimulator
import Telegram
import Testing

/// The default scenario's news channel, with a photo (7 << 20) and a 1 MiB document (8 << 20).
private let channel: Int64 = -1_000_000_004_002
private let documentMessage: Int64 = 8 << 20

private func scenario(
    download: Int64 = 8 << 20, upload: Int64 = 4 << 20, interval: Double = 0.01, maxUpload: Int64? = nil
) -> SimulatorScenario {
    var scenario = SimulatorScenario.default
    scenario.events = []
    scenario.files = .init(
        downloadBytesPerSecond: download, uploadBytesPerSecond: upload, progressIntervalSeconds: interval,
        maxUploadSize: maxUpload)
    return scenario
}

/// A file with distinct bytes in a fresh folder.
private func makeFile(_ name: String, size: Int, seed: UInt8 = 7) throws -> (path: String, bytes: Data) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("telegram-files-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 131) >> 3) ^ seed })
    let url = folder.appendingPathComponent(name)
    try bytes.write(to: url)
    return (url.path, bytes)
}

private func expectInvalidFile(
    _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected an invalid file error", sourceLocation: sourceLocation)
    } catch let error as TelegramError {
        #expect(error.code == .invalidFile, sourceLocation: sourceLocation)
        #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected an invalid file error, got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Telegram: files against the simulator")
struct TelegramFileTests {
    func alice(_ simulator: TDSimulator, filesDirectory: String? = nil) async throws -> Telegram {
        let tg = try await Telegram(
            configuration: try simulatedConfiguration(
                simulator: simulator, phone: "+15550100001", filesDirectory: filesDirectory))
        _ = try await tg.login(blocking: false)
        try await tg.sendCode("11111")
        return tg
    }

    func bob(_ simulator: TDSimulator) async throws -> Telegram {
        let tg = try await Telegram(
            configuration: try simulatedConfiguration(simulator: simulator, phone: "+15550100002"))
        _ = try await tg.login(blocking: false)
        try await tg.sendCode("22222")
        try await tg.sendPassword("correct horse")
        return tg
    }

    /// Checks a transfer's progress: monotonic, at the full size at the end, the last element complete.
    func checkProgress(_ progress: [FileProgress], size: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        let sizes = progress.map(\.transferredSize)
        #expect(sizes == sizes.sorted(), sourceLocation: sourceLocation)
        #expect(sizes.last == size, sourceLocation: sourceLocation)
        #expect(progress.last?.isCompleted == true, sourceLocation: sourceLocation)
        #expect(progress.dropLast().allSatisfy { !$0.isCompleted }, sourceLocation: sourceLocation)
        #expect(progress.allSatisfy { $0.totalSize == size }, sourceLocation: sourceLocation)
    }

    @Test func eachSendKindReportsUploadProgressAndEndsWithTheSentMessage() async throws {
        try await withSimulator(scenario()) { simulator in
            let tg = try await alice(simulator)
            let bold = FormattedText(
                text: "Bold caption", entities: [TextEntity(offset: 0, length: 4, type: .bold(TextEntityTypeBold()))])
            let sends: [(String, @Sendable (String) async throws -> FileUploadTask)] = [
                ("photo.jpg", { try await tg.sendPhoto(chatID: 2001, path: $0, caption: Caption(bold), width: 8) }),
                ("notes.txt", { try await tg.sendDocument(chatID: 2001, path: $0, caption: "Plain caption") }),
                ("clip.mp4", { try await tg.sendVideo(chatID: 2001, path: $0, duration: 4, width: 16, height: 9) }),
                ("song.mp3", { try await tg.sendAudio(chatID: 2001, path: $0, title: "Song", performer: "Band") }),
                ("hello.oga", { try await tg.sendVoiceNote(chatID: 2001, path: $0, caption: "Hi", duration: 1) }),
            ]
            for (name, send) in sends {
                let (path, _) = try makeFile(name, size: 200_000)
                let upload = try await send(path)
                #expect(upload.message.content.file?.id == upload.fileID)
                var progress: [FileProgress] = []
                for try await step in upload { progress.append(step) }
                checkProgress(progress, size: 200_000)
                #expect(progress.count >= 3)
                #expect(progress.allSatisfy { $0.direction == .upload })
                let sent = try #require(progress.last?.message)
                #expect(sent.id != upload.message.id && sent.sendingState == nil)
                #expect(sent.content.file?.remote.isUploadingCompleted == true)
                switch (name, sent.content) {
                case ("photo.jpg", .photo(let photo)):
                    #expect(photo.caption == bold)
                    #expect(photo.photo.sizes.last?.width == 8)
                case ("notes.txt", .document(let document)):
                    #expect(document.caption.text == "Plain caption")
                    #expect(document.document.fileName == "notes.txt")
                    #expect(document.document.mimeType == "text/plain")
                case ("clip.mp4", .video(let video)): #expect(video.video.duration == 4)
                case ("song.mp3", .audio(let audio)): #expect(audio.audio.performer == "Band")
                case ("hello.oga", .voiceNote(let voice)): #expect(voice.caption.text == "Hi")
                default: Issue.record("\(name) was sent as \(sent.content)")
                }
                #expect(try await tg.getMessage(chatID: 2001, messageID: sent.id).content == sent.content)
            }
        }
    }

    @Test func downloadReportsMonotonicProgressAndTheFileArrivesWhole() async throws {
        try await withSimulator(scenario()) { simulator in
            let tg = try await alice(simulator)
            let message = try await tg.getMessage(chatID: channel, messageID: documentMessage)
            #expect(message.content.fileName == "release-notes.pdf")
            let file = try #require(message.content.file)
            var progress: [FileProgress] = []
            for try await step in tg.downloadFile(fileID: file.id, priority: 16) { progress.append(step) }
            checkProgress(progress, size: 1_048_576)
            #expect(progress.count >= 5)
            let path = try #require(progress.last?.localPath)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 1_048_576)
            #expect(try await tg.getFile(file.id).local.isDownloadingCompleted)
            // Downloaded already: completes at once.
            #expect(try await tg.downloadFile(fileID: file.id).localPath() == path)

            // A photo's sizes, smallest first; `file` is the largest.
            let photo = try await tg.getMessage(chatID: channel, messageID: 7 << 20)
            #expect(photo.content.files.map(\.size) == [32_768, 262_144])
            #expect(photo.content.file?.size == 262_144)
            #expect(photo.content.fileName == nil)
            #expect(try await tg.getMessage(chatID: -3001, messageID: 4 << 20).content.file == nil)
        }
    }

    @Test func aFileSentByOneAccountDownloadsWholeForAnother() async throws {
        try await withSimulator(scenario()) { simulator in
            let alice = try await alice(simulator)
            let (path, bytes) = try makeFile("report.bin", size: 333_333)
            let sent = try await alice.sendDocument(chatID: 2002, path: path, caption: "for Bob").sentMessage()
            let bob = try await bob(simulator)
            let message = try await bob.getMessage(chatID: 2002, messageID: sent.id)
            #expect(message.isOutgoing == false)
            let file = try #require(message.content.file)
            #expect(!file.local.isDownloadingCompleted)
            let local = try await bob.downloadFile(fileID: file.id).localPath()
            #expect(local != path)
            #expect(try Data(contentsOf: URL(fileURLWithPath: local)) == bytes)
        }
    }

    @Test func cancellingTheDownloadingTaskStopsTheDownload() async throws {
        let clock = SimulatorClock.manual()
        try await withSimulator(scenario(download: 512 << 10, interval: 0.02), clock: clock) { simulator in
            let tg = try await alice(simulator)
            let file = try #require(try await tg.getMessage(chatID: channel, messageID: documentMessage).content.file)
            let (started, signal) = AsyncStream<Void>.makeStream()
            let download = tg.downloadFile(fileID: file.id)
            let consumer = Task {
                for try await step in download where step.transferredSize > 0 { signal.yield() }
            }
            try await simulator.waitForRequests("downloadFile")
            clock.advance(by: .milliseconds(100))  // a few steps of 10 KiB into the 1 MiB document
            for await _ in started { break }
            consumer.cancel()
            _ = await consumer.result
            try await simulator.waitForRequests("cancelDownloadFile")
            let state = try await tg.getFile(file.id)
            #expect(!state.local.isDownloadingActive && !state.local.isDownloadingCompleted)
            #expect(state.local.downloadedSize > 0 && state.local.downloadedSize < file.size)
            clock.advance(by: .seconds(5))  // long enough for the whole file: a cancelled download stays put
            #expect(try await tg.getFile(file.id).local.downloadedSize == state.local.downloadedSize)

            // Explicit cancellation works the same, and a new download finishes the file.
            let second = tg.downloadFile(fileID: file.id)
            let finishing = Task { try await second.localPath() }
            try await simulator.waitForRequests("downloadFile", count: 2)
            try await tg.cancelDownloadFile(fileID: file.id)
            await #expect(throws: TDLibError.self) { _ = try await finishing.value }
            let third = Task { try await tg.downloadFile(fileID: file.id, priority: 32).localPath() }
            try await simulator.waitForRequests("downloadFile", count: 3)
            clock.advance(by: .seconds(5))
            let path = try await third.value
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 1_048_576)
        }
    }

    @Test func badFilesAreRefusedWithClearErrors() async throws {
        // Uploads take three seconds: the file removed below is gone long before the end.
        let clock = SimulatorClock.manual()
        try await withSimulator(scenario(upload: 30_000, interval: 0.05, maxUpload: 100_000), clock: clock) {
            simulator in
            let tg = try await alice(simulator)
            let (path, _) = try makeFile("ok.txt", size: 10)
            let folder = (path as NSString).deletingLastPathComponent
            await expectInvalidFile("no such file: \(folder)/missing.jpg") {
                _ = try await tg.sendPhoto(chatID: 2001, path: folder + "/missing.jpg")
            }
            await expectInvalidFile("\(folder) is a directory, not a file") {
                _ = try await tg.sendDocument(chatID: 2001, path: folder)
            }
            let (empty, _) = try makeFile("empty.txt", size: 0)
            await expectInvalidFile("\(empty) is empty (0 bytes)") {
                _ = try await tg.sendDocument(chatID: 2001, path: empty)
            }
            if getuid() != 0 {  // root reads any file
                let (locked, _) = try makeFile("locked.txt", size: 10)
                try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
                await expectInvalidFile("\(locked) cannot be read") {
                    _ = try await tg.sendDocument(chatID: 2001, path: locked)
                }
            }
            let (big, _) = try makeFile("big.bin", size: 100_001)
            await expectTDLibError("File \"\(big)\" of size 100001 bytes is too big") {
                _ = try await tg.sendDocument(chatID: 2001, path: big)
            }
            // A file that disappears during the upload: the message fails, the sequence throws.
            let (going, _) = try makeFile("going.bin", size: 90_000)
            let upload = try await tg.sendDocument(chatID: 2001, path: going)
            try FileManager.default.removeItem(atPath: going)
            clock.advance(by: .seconds(5))  // the upload goes on only now, and finds the file gone
            await expectTDLibError("File \"\(going)\" can't be opened for reading") {
                _ = try await upload.sentMessage()
            }
            // Nothing was sent.
            let history = try await tg.getChatHistory(chatID: 2001, limit: 1)
            #expect(history.messages.first??.content.file == nil)
        }
    }

    @Test func cancellingAnUploadDeletesThePendingMessage() async throws {
        let clock = SimulatorClock.manual()
        try await withSimulator(scenario(upload: 100_000, interval: 0.02), clock: clock) { simulator in
            let tg = try await alice(simulator)
            let (path, _) = try makeFile("slow.bin", size: 400_000)
            let upload = try await tg.sendDocument(chatID: 2001, path: path)
            var iterator = upload.makeAsyncIterator()
            clock.advance(by: .milliseconds(20))  // one step of the upload, then the clock stands still
            _ = try await iterator.next()
            try await upload.cancel()
            clock.advance(by: .seconds(10))  // long past the whole upload: a cancelled one must not go on
            await #expect(throws: CancellationError.self) {
                while try await iterator.next() != nil {}
            }
            #expect(try await tg.getFile(upload.fileID).remote.isUploadingCompleted == false)
        }
    }

    @Test func downloadIntoAnUnwritableFolderThrowsAndLeavesNothingDone() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("telegram-files-\(UUID().uuidString)")
            .path
        try await withSimulator(scenario()) { simulator in
            let tg = try await alice(simulator, filesDirectory: root)
            // TDLib's files folder becomes a plain file: nothing can be written under it, even by root.
            try FileManager.default.removeItem(atPath: root + "/files")
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: root + "/files"))
            let file = try #require(try await tg.getMessage(chatID: channel, messageID: documentMessage).content.file)
            await expectTDLibError("File download has failed or was canceled") {
                _ = try await tg.downloadFile(fileID: file.id).localPath()
            }
            let state = try await tg.getFile(file.id)
            #expect(!state.local.isDownloadingCompleted && state.local.path.isEmpty)
        }
    }
}
