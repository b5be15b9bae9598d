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
public struct TerminalPrompter: TelegramPrompter {
    /// Creates the prompter.
    public init() {}

    public func code(_ info: AuthenticationCodeInfo) async throws -> String {
        try ask("Enter the login code sent to \(info.phoneNumber): ")
    }

    public func password(hint: String) async throws -> String {
        try ask(hint.isEmpty ? "Password: " : "Password (hint: \(hint)): ", echo: false)
    }

    public func emailAddress() async throws -> String { try ask("Email address: ") }

    public func emailCode(_ info: EmailAddressAuthenticationCodeInfo) async throws -> String {
        try ask("Enter the code sent to \(info.emailAddressPattern): ")
    }

    public func registration(termsOfService: TermsOfService) async throws -> (firstName: String, lastName: String) {
        write("Terms of service:\n\(termsOfService.text.text)\n")
        return (try ask("First name: "), try ask("Last name: "))
    }

    public func showQRLink(_ link: String) async {
        write("Scan this link as a QR code in Telegram (Settings > Devices > Link Desktop Device):\n\(link)\n")
    }

    public func show(error: TDLibError) async { write("\(error.message), try again.\n") }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes `prompt` on standard error and reads one line from standard input; with `echo` off,
    /// a terminal does not show what is typed.
    /// - Throws: ``TelegramError`` with code `noInput` when standard input has ended.
    public func ask(_ prompt: String, echo: Bool = true) throws -> String {
        write(prompt)
        let restore = echo ? nil : Self.disableEcho()
        defer {
            if let restore {
                restore()
                write("\n")
            }
        }
        guard let line = readLine(strippingNewline: true) else {
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
