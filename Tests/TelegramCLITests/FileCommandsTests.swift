import Foundation
import Testing

/// A file of `size` bytes in a fresh folder.
private func makeFile(_ name: String, size: Int) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-files-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    try Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: URL(fileURLWithPath: path))
    return path
}

private func emptyFolder() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-out-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

/// The JSON lines of an output, each an object.
private func jsonLines(_ output: String) throws -> [[String: Any]] {
    try output.split(separator: "\n").map { try jsonObject(String($0)) }
}

/// Checks progress events: monotonic, at the total at the end.
private func checkProgressEvents(
    _ events: [[String: Any]], total: Int, sourceLocation: SourceLocation = #_sourceLocation
) {
    let progress = events.filter { $0["event"] as? String == "progress" }
    let transferred = progress.compactMap { $0["transferred"] as? Int }
    #expect(progress.count >= 2, sourceLocation: sourceLocation)
    #expect(transferred.count == progress.count, sourceLocation: sourceLocation)
    #expect(transferred == transferred.sorted(), sourceLocation: sourceLocation)
    #expect(transferred.last == total, sourceLocation: sourceLocation)
    #expect(progress.allSatisfy { $0["total"] as? Int == total && $0["bytes_per_second"] is Int })
}

@Suite("tg: files against the simulator", .serialized)
struct FileCommandsTests {
    @Test func sendFileShowsABarOrJSONProgress() async throws {
        let tg = TG()
        try await tg.run("login", input: "11111\n")
        let photo = try makeFile("beach.jpg", size: 600_000)
        let plain = try await tg.run("send-file", "2001", photo, "--caption", "At the beach")
        #expect(plain.status == 0, "\(plain.error)")
        #expect(plain.output.hasPrefix("Sent photo beach.jpg as message "))
        #expect(plain.error.contains("[########################] 585.9 KB / 585.9 KB"))
        #expect(plain.error.contains("/s"))
        #expect(plain.error.contains("left"))

        let document = try makeFile("data.csv", size: 400_000)
        let json = try await tg.run("send-file", "--json", "--kind", "document", "--", "2001", document)
        #expect(json.status == 0, "\(json.error)")
        let events = try jsonLines(json.output)
        checkProgressEvents(events, total: 400_000)
        #expect(events.dropLast().allSatisfy { $0["direction"] as? String == "upload" })
        let last = try #require(events.last)
        #expect(last["event"] as? String == "sent")
        let message = try #require(last["message"] as? [String: Any])
        let content = try #require(message["content"] as? [String: Any])
        #expect(content["@type"] as? String == "messageDocument")
        #expect(!json.error.contains("["))
    }

    @Test func downloadShowsABarOrJSONProgressAndSavesTheFile() async throws {
        let tg = TG()
        try await tg.run("login", input: "11111\n")
        let history = try await jsonArray(tg.run("history", "--json", "--limit", "2", "--", "-1000000004002").output)
        let ids = history.compactMap { $0["id"] as? Int }
        #expect(ids.count == 2)
        let (document, photo) = (String(ids[0]), String(ids[1]))

        let out = try emptyFolder()
        let plain = try await tg.run("download", "--out", out, "--", "-1000000004002", document)
        #expect(plain.status == 0, "\(plain.error)")
        #expect(plain.output == "Downloaded release-notes.pdf (1.0 MB) to \(out)/release-notes.pdf.\n")
        #expect(plain.error.contains("] 1.0 MB / 1.0 MB"))
        #expect(plain.error.contains("MB/s"))
        #expect(plain.error.contains("left"))
        let saved = try FileManager.default.attributesOfItem(atPath: out + "/release-notes.pdf")
        #expect((saved[.size] as? NSNumber)?.intValue == 1_048_576)
        // Only the file: no temporary part left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["release-notes.pdf"])

        let again = try await tg.run("download", "--out", out, "--", "-1000000004002", document)
        #expect(again.status == 1)
        #expect(again.error == "tg: \(out)/release-notes.pdf already exists (--force replaces it)\n")

        let json = try await tg.run("download", "--json", "--out", out, "--", "-1000000004002", photo)
        #expect(json.status == 0, "\(json.error)")
        let events = try jsonLines(json.output)
        checkProgressEvents(events, total: 262_144)
        let last = try #require(events.last)
        #expect(last["event"] as? String == "downloaded")
        #expect(last["path"] as? String == out + "/logo.jpg")
        #expect(last["size"] as? Int == 262_144)
        #expect(FileManager.default.fileExists(atPath: out + "/logo.jpg"))
    }

    @Test func badInputGetsOneClearLine() async throws {
        let tg = TG()
        try await tg.run("login", input: "11111\n")
        let folder = try emptyFolder()
        let missing = try await tg.run("send-file", "2001", folder + "/missing.png")
        #expect(missing.status == 1)
        #expect(missing.error == "tg: no such file: \(folder)/missing.png\n")
        let directory = try await tg.run("send-file", "2001", folder)
        #expect(directory.error == "tg: \(folder) is a directory, not a file\n")
        let empty = try makeFile("empty.txt", size: 0)
        let emptyOutcome = try await tg.run("send-file", "2001", empty)
        #expect(emptyOutcome.error == "tg: \(empty) is empty (0 bytes): Telegram sends no empty files\n")

        // The simulator enforces Telegram's size limit from its scenario (here a small one).
        var limited = TG()
        let scenario = try makeFile("scenario.json", size: 0)
        try Data(
            #"""
            {"accounts": [{"phone": "+15550100001", "code": "11111", "userId": 1001, "firstName": "Alice"}],
             "users": [{"id": 2001, "firstName": "Dave"}], "chats": [{"id": 2001, "kind": "private", "userId": 2001}],
             "files": {"maxUploadSize": 1000}}
            """#.utf8
        ).write(to: URL(fileURLWithPath: scenario))
        limited.environment["TG_SIMULATOR_SCENARIO"] = scenario
        try await limited.run("login", input: "11111\n")
        let big = try makeFile("big.bin", size: 2000)
        let tooBig = try await limited.run("send-file", "2001", big)
        #expect(tooBig.status == 1)
        #expect(tooBig.error == "tg: TDLib error 400: File \"\(big)\" of size 2000 bytes is too big\n")

        let unwritable = try await tg.run("download", "--out", "/proc", "--", "-1000000004002", String(8 << 20))
        #expect(unwritable.status == 1)
        #expect(unwritable.error == "tg: cannot write to the folder /proc\n")
        let nowhere = try await tg.run(
            "download", "--out", folder + "/nowhere", "--", "-1000000004002", String(8 << 20))
        #expect(nowhere.error == "tg: the folder \(folder)/nowhere does not exist\n")
        let text = try await tg.run("download", "--out", folder, "--", "-3001", String(4 << 20))
        #expect(text.error == "tg: message \(4 << 20) has no file to download\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
