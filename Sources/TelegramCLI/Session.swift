import ArgumentParser
import Foundation
import Logging
import Telegram

/// Runs one command's work with a client, and always stops the client: on success, on an error, and
/// on Ctrl-C (SIGINT) or SIGTERM, so that TDLib never sees the process exit under it.
enum Session {
    static func run(
        _ options: ConnectionOptions, requireLogin: Bool = true, interruptIsSuccess: Bool = false,
        _ body: @escaping @Sendable (Telegram) async throws -> Void
    ) async throws {
        let logger = Logger(label: "tg")
        let telegram = try await Telegram(configuration: try await options.configuration(), logger: logger)
        let outcome = await withTaskGroup(of: Result<Bool, any Error>.self) { group in
            group.addTask {
                do {
                    if requireLogin {
                        let state = try await telegram.login(blocking: false)
                        guard state == .ready else {
                            throw CLIError("not logged in (the login waits for \(state.name)): run `tg login` first")
                        }
                    }
                    try await body(telegram)
                    return .success(false)
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                await SignalWaiter.waitForTermination()
                return .success(true)
            }
            let first = await group.next() ?? .success(false)
            group.cancelAll()
            return first
        }
        await telegram.stop()
        switch outcome {
        case .success(true): if !interruptIsSuccess { throw ExitCode(130) }
        case .success(false): return
        case .failure(let error): throw error
        }
    }
}

/// A failure of the command line itself, shown as one line.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Where command output goes: tables for people, JSON for programs.
enum Output {
    static func line(_ text: String) {
        // Unbuffered, so that `tg listen` output reaches a pipe line by line.
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A plain table with a header, columns padded to their widest cell.
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            line(
                row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                }.joined(separator: "  "))
        }
    }

    /// A message's text, or a short description of what it holds.
    static func summary(_ content: MessageContent?) -> String {
        guard let content else { return "" }
        let text: String
        switch content {
        case .text(let message): text = message.text.text
        case .photo(let photo): text = "[photo] " + photo.caption.text
        case .document(let document): text = "[document] " + document.document.fileName
        default: text = "[\(content.jsonString().split(separator: "\"").dropFirst(2).first ?? "message")]"
        }
        return text.replacingOccurrences(of: "\n", with: " ")
    }

    static func name(_ user: User) -> String {
        [user.firstName, user.lastName].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
