import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 10 for `tg`: a process killed in the middle of a login, and arguments no command can take.
@Suite("tg: reliability against the simulator", .serialized)
struct ReliabilityCLITests {
    @Test func aLoginKilledAtThePasswordResumesThereAfterARestart() async throws {
        var tg = TG()
        tg.environment["TG_PHONE"] = "+15550100002"
        // Standard input stays open: the process waits at the prompt until it is killed.
        let login = try tg.start(["login"], input: "22222\n", keepingInputOpen: true)
        let prompts = try await login.waitForError(containing: "Password (hint: a horse): ")
        #expect(prompts.contains("Password (hint: a horse): "), "tg said: \(prompts)")
        login.kill()
        let killed = try await login.finished()
        #expect(killed.signalled)
        #expect(killed.status == SIGKILL)

        // As TDLib keeps the login in its database, the restarted process asks for the password at once:
        // had it started over, "correct horse" would have been taken as the code and refused.
        let resumed = try await tg.run("login", input: "correct horse\n")
        #expect(resumed.status == 0, "tg said: \(resumed.error)")
        #expect(resumed.output.contains("Logged in as Bob Secure"))
        #expect(!resumed.error.contains("Enter the login code"))
        #expect(resumed.error.contains("Password (hint: a horse): "))
        #expect(try await tg.run("me").status == 0)
    }

    @Test func aLoginKilledAtTheCodeAsksForTheCodeAgainNotThePhone() async throws {
        var tg = TG()
        tg.environment["TG_PHONE"] = "+15550100003"
        // Standard input stays open, so that the process is still at the prompt when it is killed.
        let first = try tg.start(["login"], keepingInputOpen: true)
        try await first.waitForError(containing: "Enter the login code sent to")
        first.kill()
        #expect(try await first.finished().signalled)
        let resumed = try await tg.run("login", input: "33333\ncarol@example.com\n44444\n")
        #expect(resumed.status == 0, "tg said: \(resumed.error)")
        #expect(resumed.output.contains("Logged in as Carol Mail"))
    }

    @Test func argumentsNoCommandCanTakeGiveOneLineAndAUsageStatus() async throws {
        let tg = TG()
        let huge = String(repeating: "9", count: 5_000)
        for arguments in [
            ["history", "--", "-9223372036854775809"], ["history", "--", "9223372036854775808"],
            ["history", huge], ["history", ""], ["send", "1"], ["call", "getOption", "{\"name\":"],
            ["call", "getOption", "[1]"], ["chats", "--limit", "-1"], ["chats", "--limit", "99999999999"],
            ["nonsense-command"], ["me", "--verbosity", "x"],
        ] {
            let outcome = try await tg.run(arguments)
            #expect(outcome.status != 0, "\(arguments.map { $0.prefix(20) })")
            #expect(!outcome.error.isEmpty)
            #expect(!outcome.error.contains("Fatal error"), "\(arguments.map { $0.prefix(20) }): \(outcome.error)")
        }
        // Ids at the edges parse and reach TDLib, whose error comes on one line, explained.
        try await tg.run("login", input: "11111\n")
        for id in ["-9223372036854775808", "9223372036854775807", "0"] {
            let outcome = try await tg.run(["history", "--", id])
            #expect(outcome.status == 1)
            #expect(outcome.error.hasPrefix("tg: TDLib error 400: Chat not found (chat \(id) is not one that TDLib "))
            #expect(outcome.error.contains("loadChats"))
            #expect(outcome.error.filter { $0 == "\n" }.count == 1)
        }
        let text = try await tg.run(["send", "2001", String(repeating: "x", count: 5_000)])
        #expect(text.status == 1)
        #expect(text.error == "tg: TDLib error 400: MESSAGE_TOO_LONG\n")
    }
}
