import Foundation
import Telegram
import Testing

/// How a batch of requests ended: every request counts once, answered or failed with its typed error.
struct Outcomes: CustomStringConvertible, Sendable {
    var sent = 0
    var answered = 0
    /// Failures by kind: `TDLib 500 Request aborted`, `clientClosed`, `timedOut`...
    var failed: [String: Int] = [:]

    var failures: Int { failed.values.reduce(0, +) }
    /// Requests that neither answered nor failed: a lost request. Zero when nothing was lost.
    var lost: Int { sent - answered - failures }

    var description: String {
        let kinds = failed.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return "sent \(sent), answered \(answered), failed \(failures) [\(kinds)], lost \(lost)"
    }

    mutating func record(_ result: Result<Void, any Error>) {
        switch result {
        case .success: answered += 1
        case .failure(let error): failed[Self.kind(of: error), default: 0] += 1
        }
    }

    /// The typed identity of an error; anything untyped shows as such, so a test can refuse it.
    static func kind(of error: any Error) -> String {
        switch error {
        case let error as TDLibError: "TDLib \(error.code) \(error.message)"
        case let error as TDClientError: "\(error.code)"
        case let error as TelegramError: "telegram.\(error.code)"
        default: "untyped \(type(of: error))"
        }
    }
}

/// Runs `count` requests at once, each through `request`, and waits until every one has ended.
///
/// A request that has not ended within `bound` is a hang: the test records it and cancels the batch,
/// so a hang fails the test instead of stalling the suite.
func runConcurrently(
    _ count: Int, bound: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
    _ request: @escaping @Sendable (Int) async throws -> Void
) async -> Outcomes {
    let batch = Task {
        await withTaskGroup(of: Result<Void, any Error>.self) { group in
            for index in 0..<count {
                group.addTask {
                    do {
                        try await request(index)
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var outcomes = Outcomes(sent: count)
            for await result in group { outcomes.record(result) }
            return outcomes
        }
    }
    let watchdog = Task {
        try await Task.sleep(for: bound)  // a hang guard, far beyond any run; the verdict is in the outcomes
        Issue.record("requests were still waiting after \(bound): a hang", sourceLocation: sourceLocation)
        batch.cancel()
    }
    let outcomes = await batch.value
    watchdog.cancel()
    return outcomes
}

/// Figures a reliability test reports in the log, for the reader of the test run.
func report(_ test: String, _ outcomes: Outcomes) {
    print("reliability: \(test): \(outcomes)")
}

/// A fresh path that can never be created: its parent is a regular file (even root cannot make it a folder).
func uncreatablePath() throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-folder-\(UUID().uuidString)")
    try Data("a file".utf8).write(to: file)
    return file.path + "/sub"
}
