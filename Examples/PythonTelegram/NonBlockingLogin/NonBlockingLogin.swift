import ExampleSupport
import Telegram

/// python-telegram's `get_me_non_blocking_login.py` in Swift: `login(blocking: false)` returns at each
/// question, and the program asks for the code or the password itself before it logs in again; then it
/// prints the account.
///
/// `swift run NonBlockingLogin` (on Telegram: `TG_API_ID`, `TG_API_HASH`, `TG_PHONE`).
public enum NonBlockingLogin {
    /// Logs in without letting the library ask anything: the code and the password come from `ask`
    /// (the terminal, or the simulator's code); `say` reports each step. Returns the final state.
    public static func login(
        _ tg: Telegram, ask prompter: any TelegramPrompter, say: (String) -> Void
    ) async throws -> LoginState {
        var state = try await tg.login(blocking: false)
        say("login(blocking: false) returned \(state)")
        if case .waitCode(let info) = state {
            say("A code is needed: this program asks for it, not the library")
            _ = try await tg.sendCode(try await prompter.code(info))
            state = try await tg.login(blocking: false)
        }
        if case .waitPassword(let hint, _) = state {
            say("A password is needed: this program asks for it, not the library")
            _ = try await tg.sendPassword(try await prompter.password(hint: hint))
            state = try await tg.login(blocking: false)
        }
        say("Authorization state: \(state)")
        return state
    }
}

@main
enum NonBlockingLoginMain {
    static func main() async throws {
        try await ExampleRunner.runOnce(as: .user, login: false) { tg, environment in
            guard case .ready = try await NonBlockingLogin.login(tg, ask: environment.prompter, say: { print($0) })
            else { return }
            print(try await tg.getMe().jsonString())
        }
    }
}
