import Foundation
import Testing

@testable import TDLib

@Suite("Loading TDLib")
struct LoaderTests {
    @Test func missingFileListsWhatWasTriedAndTheFix() throws {
        let error = #expect(throws: TDClientError.self) {
            try TDLibrary.load(path: "/nonexistent/libtdjson.so")
        }
        #expect(error?.code == .libraryNotFound)
        #expect(error?.message.contains("/nonexistent/libtdjson.so: no such file") == true)
        #expect(error?.message.contains("make tdlib") == true)
    }

    @Test func installCommandFitsWhereTheProgramRuns() throws {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        #expect(TDLibrary.installCommand(searching: [checkout]).hasPrefix("make tdlib"))

        let dependent = try RealTDLib.temporaryDirectory()
        try Data("// swift-tools-version: 6.1\n".utf8).write(to: URL(fileURLWithPath: dependent + "/Package.swift"))
        let inDependent = TDLibrary.installCommand(searching: [dependent + "/.build/debug", dependent, "/"])
        #expect(inDependent.hasPrefix("swift package install-tdlib"))
        #expect(inDependent.contains(dependent))

        let elsewhere = TDLibrary.installCommand(searching: [try RealTDLib.temporaryDirectory()])
        #expect(elsewhere.contains("swift package install-tdlib") && elsewhere.contains("TDLIB_PATH"))
    }

    @Test func fileThatIsNotALibraryGivesTheLoadersReason() throws {
        let path = try RealTDLib.temporaryDirectory() + "/libtdjson.so"
        try Data("not a library".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: TDClientError.self) {
            try TDLibrary.load(path: path)
        }
        #expect(error?.code == .libraryNotFound)
        #expect(error?.message.contains(path) == true)
    }

    @Test func libraryWithoutTDLibSymbolsNamesThem() throws {
        #if os(Linux)
            let error = #expect(throws: TDClientError.self) {
                try TDLibrary.load(path: "/lib/x86_64-linux-gnu/libm.so.6")
            }
            #expect(error?.code == .missingSymbol)
            #expect(error?.message.contains("td_create_client_id") == true)
            #expect(error?.message.contains("td_receive") == true)
        #endif
    }

    @Test func environmentVariableIsUsedAndReported() throws {
        let error = #expect(throws: TDClientError.self) {
            try TDLibrary.load(environment: ["TDLIB_PATH": "/nowhere/libtdjson.so"])
        }
        #expect(error?.message.contains("TDLIB_PATH: /nowhere/libtdjson.so") == true)
    }

    @Test func projectLocalInstallIsFoundWithoutConfiguration() throws {
        let library = try TDLibrary.load(environment: [:])
        #expect(library.path.hasSuffix(TDLibrary.fileName))
        #expect(try TDLibrary.load(path: library.path) === library)
    }

    @Test func oneManagerPerLibrary() throws {
        let manager = try RealTDLib.requireManager()
        let error = #expect(throws: TDClientError.self) {
            try TDClientManager(library: manager.library)
        }
        #expect(error?.code == .libraryInUse)
    }
}
