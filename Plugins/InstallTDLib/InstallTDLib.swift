import Foundation
import PackagePlugin

/// `swift package install-tdlib`: installs the TDLib that swift-telegram's API was generated for into the
/// `.tdlib/` folder of the package it runs in, where `TDLibrary.load()` finds it.
///
/// It runs swift-telegram's own `Scripts/install-tdlib`, so the library is the same one, checked against
/// the same pinned sha256, as `make tdlib` installs in swift-telegram's checkout.
@main
struct InstallTDLib: CommandPlugin {
    /// The name of swift-telegram's manifest, which identifies its checkout among the dependencies.
    static let packageName = "swift-telegram"
    static let scriptPath = "Scripts/install-tdlib"

    func performCommand(context: PluginContext, arguments: [String]) async throws {
        if let unknown = arguments.first {
            throw InstallError("unknown argument \(unknown); usage: swift package install-tdlib")
        }
        guard let checkout = Self.swiftTelegram(in: context.package, visited: []) else {
            throw InstallError(
                "\(Self.packageName) (with \(Self.scriptPath)) is not among the dependencies of \(context.package.displayName)"
            )
        }
        let script = checkout.directoryURL.appending(path: Self.scriptPath)
        let destination = context.package.directoryURL.appending(path: ".tdlib")
        let status = try await Self.run(script: script, arguments: [destination.path])
        guard status == 0 else {
            throw InstallError("\(Self.scriptPath) failed (exit status \(status)); its messages are above")
        }
        print("install-tdlib: TDLibrary.load() finds it when the program runs in \(context.package.directoryURL.path)")
    }

    /// The first package named swift-telegram that carries the install script: the package itself or
    /// one of its dependencies, searched depth first.
    static func swiftTelegram(in package: Package, visited: Set<String>) -> Package? {
        if package.displayName == packageName,
            FileManager.default.isExecutableFile(atPath: package.directoryURL.appending(path: scriptPath).path)
        {
            return package
        }
        var visited = visited
        visited.insert(package.id)
        for dependency in package.dependencies where !visited.contains(dependency.package.id) {
            if let found = swiftTelegram(in: dependency.package, visited: visited) { return found }
        }
        return nil
    }

    /// Runs the script with the plugin's standard output and error, and returns its exit status.
    static func run(script: URL, arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", script.path] + arguments
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}

/// A failure of the plugin, shown by SwiftPM as the command's error.
struct InstallError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
