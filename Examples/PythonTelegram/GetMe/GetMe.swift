import ExampleSupport
import Telegram

/// python-telegram's `get_me.py` in Swift: logs in as a user, prints who that is, and ends.
///
/// `swift run GetMe` (on Telegram: `TG_API_ID`, `TG_API_HASH`, `TG_PHONE`).
public enum GetMe {
    /// The logged-in account, as TDLib describes it.
    public static func me(on tg: Telegram) async throws -> User {
        try await tg.getMe()
    }

    /// One line about a user: identifier, name and username.
    public static func describe(_ user: User) -> String {
        let name = [user.firstName, user.lastName].filter { !$0.isEmpty }.joined(separator: " ")
        let username = user.usernames?.activeUsernames.first.map { " (@\($0))" } ?? ""
        return "\(user.id): \(name)\(username)"
    }
}

@main
enum GetMeMain {
    static func main() async throws {
        try await ExampleRunner.runOnce(as: .user) { tg, _ in
            let me = try await GetMe.me(on: tg)
            print(GetMe.describe(me))
            print(me.jsonString())
        }
    }
}
