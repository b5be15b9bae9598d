import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// TDLib's JSON library (`libtdjson`), loaded at run time with `dlopen`.
///
/// Use ``load(path:environment:logger:)`` to find it; the library is never unloaded.
public final class TDLibrary: TDJSONInterface {
    private typealias CreateClientID = @convention(c) () -> Int32
    private typealias Send = @convention(c) (Int32, UnsafePointer<CChar>?) -> Void
    private typealias Receive = @convention(c) (Double) -> UnsafePointer<CChar>?
    private typealias Execute = @convention(c) (UnsafePointer<CChar>?) -> UnsafePointer<CChar>?
    private typealias SetLogCallback = @convention(c) (Int32, TDLogMessageCallback?) -> Void

    /// The path the library was loaded from.
    public let path: String
    public var name: String { path }

    private let createClientIDFunction: CreateClientID
    private let sendFunction: Send
    private let receiveFunction: Receive
    private let executeFunction: Execute
    private let setLogCallbackFunction: SetLogCallback

    private init(
        path: String, createClientID: CreateClientID, send: Send, receive: Receive, execute: Execute,
        setLogCallback: SetLogCallback
    ) {
        self.path = path
        self.createClientIDFunction = createClientID
        self.sendFunction = send
        self.receiveFunction = receive
        self.executeFunction = execute
        self.setLogCallbackFunction = setLogCallback
    }

    public func createClientID() -> Int32 { createClientIDFunction() }
    public func send(clientID: Int32, request: UnsafePointer<CChar>) { sendFunction(clientID, request) }
    public func receive(timeout: Double) -> UnsafePointer<CChar>? { receiveFunction(timeout) }
    public func execute(request: UnsafePointer<CChar>) -> UnsafePointer<CChar>? { executeFunction(request) }
    public func setLogMessageCallback(maxVerbosity: Int32, callback: TDLogMessageCallback?) {
        setLogCallbackFunction(maxVerbosity, callback)
    }

    /// The environment variable that names a library path.
    public static let environmentVariable = "TDLIB_PATH"

    /// The command that installs the project-local library where the program runs: `make tdlib` in a
    /// checkout of swift-telegram, `swift package install-tdlib` in a package that depends on it.
    public static var installCommand: String { installCommand(searching: projectLocalSearchDirectories()) }

    /// The install command for the first folder of `directories` that is swift-telegram's checkout (its
    /// Makefile and install script) or another package (a `Package.swift`).
    static func installCommand(searching directories: [String]) -> String {
        let manager = FileManager.default
        for directory in directories {
            if manager.fileExists(atPath: directory + "/Makefile"),
                manager.fileExists(atPath: directory + "/Scripts/install-tdlib")
            {
                return "make tdlib   (runs Scripts/install-tdlib)"
            }
            if manager.fileExists(atPath: directory + "/Package.swift") {
                return "swift package install-tdlib   (in \(directory), the package that depends on swift-telegram)"
            }
        }
        return "swift package install-tdlib   (in the folder of your Package.swift), or set \(environmentVariable)"
    }

    /// The file name of the library on this system.
    public static var fileName: String {
        #if os(macOS)
            "libtdjson.dylib"
        #else
            "libtdjson.so"
        #endif
    }

    /// Loads TDLib from the first place that applies, and logs which one it used.
    ///
    /// The order: `path` when given (and nothing else); else the `TDLIB_PATH` environment variable
    /// when set (and nothing else); else the project-local install `.tdlib/lib/` found from the
    /// current directory or the executable upwards; else a system `libtdjson` found by the dynamic loader.
    /// The same file is loaded once per process; later calls return the same instance.
    /// - Throws: ``TDClientError`` with code `libraryNotFound`, listing every place tried and why it
    ///   failed, or `missingSymbol`, naming the symbols missing.
    public static func load(
        path: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "swift-telegram.tdlib")
    ) throws(TDClientError) -> TDLibrary {
        var candidates: [(place: String, path: String)] = []
        if let path {
            candidates = [("the path given", path)]
        } else if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            candidates = [("\(environmentVariable)", fromEnvironment)]
        } else {
            for directory in projectLocalSearchDirectories() {
                let candidate = directory + "/.tdlib/lib/" + fileName
                if FileManager.default.fileExists(atPath: candidate) {
                    candidates.append(("the project-local install", candidate))
                    break
                }
            }
            if candidates.isEmpty {
                candidates.append(("the project-local install", "./.tdlib/lib/" + fileName))
            }
            candidates.append(("the system's dynamic loader", fileName))
        }

        var failures: [String] = []
        for candidate in candidates {
            switch open(candidate.path) {
            case .success(let library):
                logger.info(
                    "Loaded TDLib",
                    metadata: ["from": "\(candidate.place)", "path": "\(library.path)"])
                return library
            case .failure(let error) where error.code == .missingSymbol:
                throw error
            case .failure(let error):
                failures.append("- \(candidate.place): \(candidate.path): \(error.message)")
            }
        }
        throw TDClientError(
            .libraryNotFound,
            "TDLib's JSON library could not be loaded. Tried:\n" + failures.joined(separator: "\n")
                + "\nTo install it: \(installCommand)")
    }

    private static let loaded = LockedDictionary<String, TDLibrary>()

    /// Opens one file, checking every required symbol; the same resolved file gives the same instance.
    static func open(_ path: String) -> Result<TDLibrary, TDClientError> {
        let isBareName = !path.contains("/")
        if !isBareName, !FileManager.default.fileExists(atPath: path) {
            return .failure(TDClientError(.libraryNotFound, "no such file"))
        }
        let key = isBareName ? path : URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        if let existing = loaded[key] { return .success(existing) }

        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            return .failure(TDClientError(.libraryNotFound, reason))
        }
        var missing: [String] = []
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let pointer = dlsym(handle, name) else {
                missing.append(name)
                return nil
            }
            return unsafeBitCast(pointer, to: type)
        }
        let createClientID = symbol("td_create_client_id", as: CreateClientID.self)
        let send = symbol("td_send", as: Send.self)
        let receive = symbol("td_receive", as: Receive.self)
        let execute = symbol("td_execute", as: Execute.self)
        let setLogCallback = symbol("td_set_log_message_callback", as: SetLogCallback.self)
        guard let createClientID, let send, let receive, let execute, let setLogCallback else {
            dlclose(handle)
            return .failure(
                TDClientError(
                    .missingSymbol,
                    "\(path) is not a usable libtdjson: missing \(missing.joined(separator: ", "))"))
        }
        let library = TDLibrary(
            path: key, createClientID: createClientID, send: send, receive: receive, execute: execute,
            setLogCallback: setLogCallback)
        return .success(loaded.insertIfAbsent(key, library))
    }

    /// The current directory, the executable's directory, and each of their parents.
    static func projectLocalSearchDirectories() -> [String] {
        var starts = [FileManager.default.currentDirectoryPath]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            starts.append(executable.deletingLastPathComponent().path)
        }
        var directories: [String] = []
        for start in starts {
            var url = URL(fileURLWithPath: start).standardizedFileURL
            while true {
                if !directories.contains(url.path) { directories.append(url.path) }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        return directories
    }
}
