import Foundation
import TDLib
import TDLibAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a blocking login gets the user's answers: the terminal by default, or anything else.
public protocol TelegramPrompter: Sendable {
    /// The login code sent as `info` describes.
    func code(_ info: AuthenticationCodeInfo) async throws -> String
    /// The 2FA password; `hint` is the account's password hint.
    func password(hint: String) async throws -> String
    /// An email address to send a login code to.
    func emailAddress() async throws -> String
    /// The code sent to the email address `info` describes.
    func emailCode(_ info: EmailAddressAuthenticationCodeInfo) async throws -> String
    /// The names of a new account, after showing the terms of service.
    func registration(termsOfService: TermsOfService) async throws -> (firstName: String, lastName: String)
    /// Shows the `tg://login` link of a QR-code login to scan from another device.
    func showQRLink(_ link: String) async
    /// Shows an error of the last answer (a wrong code, say) before asking again.
    func show(error: TDLibError) async
}

/// Asks on the terminal: prompts on standard error, answers from standard input, the password without echo.
///
/// The lines are read on a thread of their own: while the user types, no thread of Swift's cooperative
/// pool waits.
public struct TerminalPrompter: TelegramPrompter {
    /// Creates the prompter.
    public init() {}

    /// Asks for the login code sent as `info` describes.
    public func code(_ info: AuthenticationCodeInfo) async throws -> String {
        try await ask("Enter the login code sent to \(info.phoneNumber): ")
    }

    /// Asks for the 2FA password, without echo, with its hint when there is one.
    public func password(hint: String) async throws -> String {
        try await ask(hint.isEmpty ? "Password: " : "Password (hint: \(hint)): ", echo: false)
    }

    /// Asks for an email address to send a login code to.
    public func emailAddress() async throws -> String { try await ask("Email address: ") }

    /// Asks for the code sent to the email address `info` describes.
    public func emailCode(_ info: EmailAddressAuthenticationCodeInfo) async throws -> String {
        try await ask("Enter the code sent to \(info.emailAddressPattern): ")
    }

    /// Shows the terms of service, then asks for the first and last names.
    public func registration(termsOfService: TermsOfService) async throws -> (firstName: String, lastName: String) {
        write("Terms of service:\n\(termsOfService.text.text)\n")
        let firstName = try await ask("First name: ")
        return (firstName, try await ask("Last name: "))
    }

    /// Prints the `tg://login` link to scan.
    public func showQRLink(_ link: String) async {
        write("Scan this link as a QR code in Telegram (Settings > Devices > Link Desktop Device):\n\(link)\n")
    }

    /// Prints the error's message before the question comes again.
    public func show(error: TDLibError) async { write("\(error.message), try again.\n") }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes `prompt` on standard error and waits for one line of standard input, read on a thread of
    /// its own; with `echo` off, a terminal does not show what is typed.
    ///
    /// A cancelled task stops waiting at once (echo comes back); the line being typed then answers the
    /// next question.
    /// - Throws: ``TelegramError`` with code `noInput` when standard input has ended;
    ///   `CancellationError` when the task is cancelled.
    package func ask(_ prompt: String, echo: Bool = true) async throws -> String {
        write(prompt)
        let restore = echo ? nil : Self.disableEcho()
        defer {
            if let restore {
                restore()
                write("\n")
            }
        }
        return try Self.answer(try await StandardInputReader.shared.nextLine())
    }

    private static func answer(_ line: String?) throws -> String {
        guard let line else {
            throw TelegramError(.noInput, "the login needs an answer and standard input has ended")
        }
        return line.trimmingCharacters(in: .whitespaces)
    }

    /// Turns terminal echo off and returns how to turn it back on; nothing when input is not a terminal.
    private static func disableEcho() -> (() -> Void)? {
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return nil }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSANOW, &silent) == 0 else { return nil }
        let saved = original
        return {
            var restored = saved
            tcsetattr(STDIN_FILENO, TCSANOW, &restored)
        }
    }
}

/// Reads standard input line by line on a dedicated thread, for tasks that wait without blocking.
///
/// The thread runs while someone waits for a line and ends when nobody does. A line nobody waits for
/// any more (its task was cancelled) is kept for the next question; so is the end of input.
private final class StandardInputReader: Sendable {
    private struct State {
        var waiters: [(id: Int, continuation: CheckedContinuation<String?, any Error>)] = []
        var lastWaiterID = 0
        /// Lines read that nobody took yet; `nil` stands for the end of input.
        var buffered: [String?] = []
        var isReading = false
    }

    static let shared = StandardInputReader()
    private let state = Locked(State())

    /// The next line of standard input, or `nil` at its end.
    func nextLine() async throws -> String? {
        let id = state.withLock { state in
            state.lastWaiterID += 1
            return state.lastWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String?, any Error>) in
                enum Next {
                    case line(String?)
                    case cancelled
                    case startReading
                    case wait
                }
                let next = state.withLock { state -> Next in
                    if !state.buffered.isEmpty { return .line(state.buffered.removeFirst()) }
                    // Checked under the lock: a cancellation after it finds the waiter below.
                    if Task.isCancelled { return .cancelled }
                    state.waiters.append((id, continuation))
                    guard !state.isReading else { return .wait }
                    state.isReading = true
                    return .startReading
                }
                switch next {
                case .line(let line): continuation.resume(returning: line)
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .startReading: startThread()
                case .wait: break
                }
            }
        } onCancel: {
            let cancelled = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0).continuation }
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }

    /// Reads lines, each for the first waiter, until nobody waits.
    private func startThread() {
        let thread = Thread { [self] in
            while true {
                let line = readLine(strippingNewline: true)
                let (ready, goOn) = state.withLock { state -> ([CheckedContinuation<String?, any Error>], Bool) in
                    if state.waiters.isEmpty {
                        state.buffered.append(line)
                        state.isReading = false
                        return ([], false)
                    }
                    if line == nil {
                        // The end of input answers every waiter, and the next question too.
                        let all = state.waiters.map(\.continuation)
                        state.waiters = []
                        state.buffered.append(nil)
                        state.isReading = false
                        return (all, false)
                    }
                    let first = state.waiters.removeFirst().continuation
                    state.isReading = !state.waiters.isEmpty
                    return ([first], state.isReading)
                }
                for waiter in ready { waiter.resume(returning: line) }
                if !goOn { return }
            }
        }
        thread.name = "swift-telegram.stdin"
        thread.start()
    }
}
