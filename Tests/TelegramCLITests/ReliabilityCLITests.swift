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
    /// Reads standard error until it contains `text`, at most `timeout`; returns what was read.
    private func waitFor(_ text: String, in pipe: Pipe, timeout: TimeInterval = 30) -> String {
        let handle = pipe.fileHandleForReading
        let flags = fcntl(handle.fileDescriptor, F_GETFL)
        _ = fcntl(handle.fileDescriptor, F_SETFL, flags | O_NONBLOCK)
        var received = Data()
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline, !String(decoding: received, as: UTF8.self).contains(text) {
            let count = read(handle.fileDescriptor, &buffer, buffer.count)
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else {
                usleep(10_000)
            }
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func aLoginKilledAtThePasswordResumesThereAfterARestart() throws {
        var tg = TG()
        tg.environment["TG_PHONE"] = "+15550100002"
        // Standard input stays open: the process waits at the prompt until it is killed.
        guard let binary = TG.binary else { throw CLIMissing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["login", "--simulator"]
        var environment = ProcessInfo.processInfo.environment
        environment["TG_FILES_DIRECTORY"] = tg.folder
        environment["TG_PHONE"] = "+15550100002"
        for key in ["TG_BOT_TOKEN", "TG_SIMULATOR_SCENARIO", "TG_DATABASE_KEY"] { environment[key] = nil }
        process.environment = environment
        let (input, error) = (Pipe(), Pipe())
        process.standardInput = input
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("22222\n".utf8))
        let prompts = waitFor("Password (hint: a horse): ", in: error)
        #expect(prompts.contains("Password (hint: a horse): "), "tg said: \(prompts)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)

        // As TDLib keeps the login in its database, the restarted process asks for the password at once:
        // had it started over, "correct horse" would have been taken as the code and refused.
        let resumed = try tg.run("login", input: "correct horse\n")
        #expect(resumed.status == 0, "tg said: \(resumed.error)")
        #expect(resumed.output.contains("Logged in as Bob Secure"))
        #expect(!resumed.error.contains("Enter the login code"))
        #expect(resumed.error.contains("Password (hint: a horse): "))
        #expect(try tg.run("me").status == 0)
    }

    @Test func aLoginKilledAtTheCodeAsksForTheCodeAgainNotThePhone() throws {
        var tg = TG()
        tg.environment["TG_PHONE"] = "+15550100003"
        let (first, _, error) = try tg.process(["login"], input: nil)
        // `tg.process` closes standard input, so the prompt ends the run: kill it as soon as it shows.
        _ = waitFor("Enter the login code sent to", in: error)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let resumed = try tg.run("login", input: "33333\ncarol@example.com\n44444\n")
        #expect(resumed.status == 0, "tg said: \(resumed.error)")
        #expect(resumed.output.contains("Logged in as Carol Mail"))
    }

    @Test func argumentsNoCommandCanTakeGiveOneLineAndAUsageStatus() throws {
        let tg = TG()
        let huge = String(repeating: "9", count: 5_000)
        for arguments in [
            ["history", "--", "-9223372036854775809"], ["history", "--", "9223372036854775808"],
            ["history", huge], ["history", ""], ["send", "1"], ["call", "getOption", "{\"name\":"],
            ["call", "getOption", "[1]"], ["chats", "--limit", "-1"], ["chats", "--limit", "99999999999"],
            ["nonsense-command"], ["me", "--verbosity", "x"],
        ] {
            let outcome = try tg.run(arguments)
            #expect(outcome.status != 0, "\(arguments.map { $0.prefix(20) })")
            #expect(!outcome.error.isEmpty)
            #expect(!outcome.error.contains("Fatal error"), "\(arguments.map { $0.prefix(20) }): \(outcome.error)")
        }
        // Ids at the edges parse and reach TDLib, which answers with its own one-line error.
        try tg.run("login", input: "11111\n")
        for id in ["-9223372036854775808", "9223372036854775807", "0"] {
            let outcome = try tg.run(["history", "--", id])
            #expect(outcome.status == 1)
            #expect(outcome.error == "tg: TDLib error 400: Chat not found\n")
        }
        let text = try tg.run(["send", "2001", String(repeating: "x", count: 5_000)])
        #expect(text.status == 1)
        #expect(text.error == "tg: TDLib error 400: MESSAGE_TOO_LONG\n")
    }
}

extension TG {
    @discardableResult
    func run(_ arguments: [String], input: String? = nil) throws -> Outcome {
        let (process, output, error) = try process(arguments, input: input)
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            error: String(decoding: err, as: UTF8.self))
    }
}
