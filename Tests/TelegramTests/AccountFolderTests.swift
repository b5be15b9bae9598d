import Foundation
import TDLib
import TDLibSimulator
import Telegram
import Testing

/// The account's folder: created with its parents, owner-only, and refused clearly when a file is in the way.
@Suite struct AccountFolderTests {
    @Test func missingParentsAreCreatedAndEveryFolderIsOwnerOnly() async throws {
        try await withSimulator { simulator in
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("account-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: base) }
            let root = base.appendingPathComponent("a/b/account").path
            let tg = try await Telegram(
                configuration: try simulatedConfiguration(
                    simulator: simulator, phone: "+15550100001", filesDirectory: root))
            await tg.stop()
            for folder in [root, root + "/database", root + "/files"] {
                var isFolder: ObjCBool = false
                #expect(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue)
                let attributes = try FileManager.default.attributesOfItem(atPath: folder)
                #expect((attributes[.posixPermissions] as? Int) == 0o700, "\(folder)")
            }
        }
    }

    @Test func aFileWhereAFolderGoesIsAClearErrorAndLeavesNoClient() async throws {
        try await withSimulator { simulator in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("account-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let inTheWay = root.appendingPathComponent("database")
            try Data("not a folder".utf8).write(to: inTheWay)
            let configuration = try simulatedConfiguration(
                simulator: simulator, phone: "+15550100001", filesDirectory: root.path)
            let error = await #expect(throws: TelegramError.self) { try await Telegram(configuration: configuration) }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.contains("cannot create the folder \(inTheWay.path)") == true)
            #expect(try TDClientManager.shared(for: simulator).openClientIDs.isEmpty)
            // The file is left as it was.
            #expect(try Data(contentsOf: inTheWay) == Data("not a folder".utf8))
        }
    }
}
