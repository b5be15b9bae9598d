import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the built `tg` as a process, against the simulator, in a folder of its own.
///
/// Nothing here blocks the calling thread: output is read by Dispatch as it arrives, and every wait
/// (for the exit, or for a text to appear) is a continuation, so the cooperative pool's threads stay free
/// for the other suites' tests while `tg` runs.
struct TG {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tg-tests-\(UUID().uuidString)").path
    var environment: [String: String] = [:]

    static var binary: String? { binary(named: "tg") }

    /// The built executable `name`, next to the tests.
    static func binary(named name: String) -> String? {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent(name).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `tg-web` on the built-in simulator, on a free port of 127.0.0.1, its sessions in ``folder``.
    func startWeb() throws -> RunningTG {
        guard let binary = Self.binary(named: "tg-web") else { throw CLIMissing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var environment = ProcessInfo.processInfo.environment
        for key in ["TG_API_ID", "TG_API_HASH", "TG_SIMULATOR_SCENARIO", "TG_WEB_HOST"] { environment[key] = nil }
        environment["TG_WEB_PORT"] = "0"
        environment["TMPDIR"] = folder
        environment.merge(self.environment) { $1 }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        process.environment = environment
        return try RunningTG(process, command: "tg-web", input: nil, keepingInputOpen: false)
    }

    struct Outcome: Sendable {
        var status: Int32
        var output: String
        var error: String
        /// Whether a signal ended the process; `status` is then the signal's number.
        var signalled = false
    }

    /// Runs `tg` to its end; `input` is its whole standard input.
    @discardableResult
    func run(_ arguments: String..., input: String? = nil) async throws -> Outcome {
        try await run(arguments, input: input)
    }

    @discardableResult
    func run(_ arguments: [String], input: String? = nil) async throws -> Outcome {
        try await start(arguments, input: input).finished()
    }

    /// Starts `tg` and returns at once. `input` goes to its standard input, which is then closed, unless
    /// `keepingInputOpen` (then `tg` waits at a prompt for more, until it is killed).
    func start(_ arguments: [String], input: String? = nil, keepingInputOpen: Bool = false) throws -> RunningTG {
        guard let binary = Self.binary else { throw CLIMissing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // After the subcommand, before any `--` that ends the options; `execute` always uses real TDLib.
        let backend = arguments.first == "execute" ? [] : ["--simulator"]
        process.arguments = Array(arguments.prefix(1)) + backend + arguments.dropFirst()
        var environment = ProcessInfo.processInfo.environment
        environment["TG_FILES_DIRECTORY"] = folder
        for key in ["TG_BOT_TOKEN", "TG_PHONE", "TG_SIMULATOR_SCENARIO", "TG_DATABASE_KEY"] { environment[key] = nil }
        environment.merge(self.environment) { $1 }
        process.environment = environment
        return try RunningTG(
            process, command: (["tg"] + arguments.map { String($0.prefix(40)) }).joined(separator: " "),
            input: input, keepingInputOpen: keepingInputOpen)
    }
}

struct CLIMissing: Error, CustomStringConvertible {
    var description: String { "the tg executable is not built next to the tests (swift build --build-tests builds it)" }
}

/// A `tg` that was started and may still run: what it printed so far, and its exit once it comes.
final class RunningTG: Sendable {
    /// How long any wait may last: long enough for a loaded machine, so that it only catches a hang.
    static let patience: TimeInterval = 120

    private let process: Process
    /// Held so that a standard input kept open stays open: releasing the handle would close it.
    private let input: FileHandle
    private let events: Events
    private let command: String

    fileprivate init(_ process: Process, command: String, input: String?, keepingInputOpen: Bool) throws {
        let (standardInput, output, error) = (Pipe(), Pipe(), Pipe())
        let events = Events()
        (self.process, self.input, self.events, self.command) =
            (process, standardInput.fileHandleForWriting, events, command)
        process.standardInput = standardInput
        process.standardOutput = output
        process.standardError = error
        process.terminationHandler = { process in
            events.exited(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal)
        }
        if let input {
            // Into the pipe before the launch: a short text fits in its buffer (a page at least), so the write
            // cannot block, and the reading end is still open here, so it cannot meet a process that already
            // ended (SIGPIPE).
            let bytes = Data(input.utf8)
            guard bytes.count <= 4096 else { throw InputTooLong() }
            try standardInput.fileHandleForWriting.write(contentsOf: bytes)
        }
        // If the launch fails, this throws before anyone waits: no continuation exists yet.
        try process.run()
        if !keepingInputOpen { try standardInput.fileHandleForWriting.close() }
        // Both streams at once, each on Dispatch's threads: a process that fills one pipe while the other is
        // read would otherwise block forever.
        collect(output.fileHandleForReading, as: .output, into: events)
        collect(error.fileHandleForReading, as: .error, into: events)
    }

    /// Waits until `tg` has printed `text` on standard output; returns the output so far.
    @discardableResult
    func waitForOutput(containing text: String) async throws -> String {
        try await wait(for: .text(text, on: .output))
        return events.outcome.output
    }

    /// Waits until `tg` has printed `text` on standard error (where it writes its prompts); returns the error
    /// output so far.
    @discardableResult
    func waitForError(containing text: String) async throws -> String {
        try await wait(for: .text(text, on: .error))
        return events.outcome.error
    }

    /// Waits for the end: the process has exited and both its streams are read to their end.
    func finished() async throws -> TG.Outcome {
        try await wait(for: .exit)
        return events.outcome
    }

    /// Ctrl-C.
    func interrupt() { signal(SIGINT) }

    /// SIGTERM, as a service manager stops a server.
    func terminate() { signal(SIGTERM) }

    /// SIGKILL: no handler runs, the process ends where it is.
    func kill() { signal(SIGKILL) }

    private func signal(_ number: Int32) {
        // Only a process not reaped yet: after that its number may already belong to another.
        guard !events.hasExited else { return }
        #if canImport(Glibc)
            _ = Glibc.kill(process.processIdentifier, number)
        #else
            _ = Darwin.kill(process.processIdentifier, number)
        #endif
    }

    /// A wait that fails kills the process: the test is over for it.
    private func wait(for awaited: Awaited) async throws {
        let events = self.events
        let command = self.command
        do {
            try await withCheckedThrowingContinuation { continuation in
                events.wait(for: awaited, command: command, continuation)
            }
        } catch {
            kill()
            throw error
        }
    }

    /// A test that ended (or failed) without waiting for its `tg` leaves none running behind it.
    deinit { kill() }
}

/// Reads a pipe as its data arrives, on a thread of its own: outside Swift's cooperative pool, a blocking
/// `read` holds up no test. (Dispatch read sources were tried first: on Linux, one run in ten crashed inside
/// Dispatch's event loop while many `tg`s started and ended; `FileHandle.readabilityHandler` lost the end of
/// a stream when the last data and the end came together.)
private func collect(_ handle: FileHandle, as stream: Stream, into events: Events) {
    let thread = Thread {
        let descriptor = handle.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                events.received(Data(buffer[0..<count]), on: stream)
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break  // The end, or a read error, which ends the stream as well.
            }
        }
        // The handle keeps the descriptor open until the reading is over.
        withExtendedLifetime(handle) { events.received(Data(), on: stream) }
    }
    thread.name = "tg \(stream)"
    thread.start()
}

private struct InputTooLong: Error, CustomStringConvertible {
    var description: String { "the tests give tg at most 4096 bytes of standard input, written before it starts" }
}

/// A wait that lasted `RunningTG.patience`, or that can no longer end well.
private struct Hang: Error, CustomStringConvertible {
    let description: String
}

private enum Stream: Sendable {
    case output
    case error

    var name: String { self == .output ? "standard output" : "standard error" }
}

private enum Awaited: Sendable {
    case text(String, on: Stream)
    case exit
}

/// What the Dispatch handlers learn about a process, and the tasks waiting for some of it. Each waiter is
/// removed from `waiters` under the lock by whoever resumes it (an event, or its time limit), so each
/// continuation is resumed exactly once.
private final class Events: Sendable {
    private struct Waiter {
        let awaited: Awaited
        let command: String
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var output = Data()
        var error = Data()
        var outputEnded = false
        var errorEnded = false
        var exit: (status: Int32, signalled: Bool)?
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0

        var outcome: TG.Outcome {
            TG.Outcome(
                status: exit?.status ?? -1, output: String(decoding: output, as: UTF8.self),
                error: String(decoding: error, as: UTF8.self), signalled: exit?.signalled ?? false)
        }

        /// nil while the wait goes on; then how it ends.
        func verdict(_ waiter: Waiter) -> Result<Void, Hang>? {
            switch waiter.awaited {
            case .exit:
                return exit != nil && outputEnded && errorEnded ? .success(()) : nil
            case .text(let text, let stream):
                let (data, ended) = stream == .output ? (output, outputEnded) : (error, errorEnded)
                if data.range(of: Data(text.utf8)) != nil { return .success(()) }
                guard ended else { return nil }
                let description = "\(waiter.command) closed its \(stream.name) without \"\(text)\"; \(said)"
                return .failure(Hang(description: description))
            }
        }

        var said: String {
            let outcome = self.outcome
            let exited = exit.map { "exited with \($0.signalled ? "signal" : "status") \($0.status)" } ?? "not exited"
            let ended = [(Stream.output, outputEnded), (.error, errorEnded)]
                .map { "\($0.name) \($1 ? "ended" : "still open")" }.joined(separator: ", ")
            return "\(exited), \(ended); it printed:\n\(outcome.output)\n\(outcome.error)"
        }
    }

    private let state = LockedState(State())

    var outcome: TG.Outcome { state.withLock { $0.outcome } }
    var hasExited: Bool { state.withLock { $0.exit != nil } }

    /// A chunk of `stream`; an empty one is its end.
    func received(_ chunk: Data, on stream: Stream) {
        update { state in
            switch (stream, chunk.isEmpty) {
            case (.output, false): state.output.append(chunk)
            case (.output, true): state.outputEnded = true
            case (.error, false): state.error.append(chunk)
            case (.error, true): state.errorEnded = true
            }
        }
    }

    func exited(status: Int32, signalled: Bool) {
        update { $0.exit = (status, signalled) }
    }

    func wait(for awaited: Awaited, command: String, _ continuation: CheckedContinuation<Void, any Error>) {
        let id = state.withLock { state in
            let id = state.nextWaiter
            state.nextWaiter += 1
            state.waiters[id] = Waiter(awaited: awaited, command: command, continuation: continuation)
            return id
        }
        update { _ in }
        DispatchQueue.global().asyncAfter(deadline: .now() + RunningTG.patience) { [self] in
            let late = state.withLock { state in
                state.waiters.removeValue(forKey: id).map { ($0, state.said) }
            }
            guard let (waiter, said) = late else { return }
            let what: String
            switch awaited {
            case .exit: what = "to end"
            case .text(let text, let stream): what = "to print \"\(text)\" on its \(stream.name)"
            }
            let seconds = Int(RunningTG.patience)
            let description = "\(command) took over \(seconds) s \(what); \(said)"
            waiter.continuation.resume(throwing: Hang(description: description))
        }
    }

    /// Applies `change`, then resumes, outside the lock, the waiters it decided.
    private func update(_ change: (inout State) -> Void) {
        let decided = state.withLock { state in
            change(&state)
            var decided: [(Waiter, Result<Void, Hang>)] = []
            for (id, waiter) in state.waiters {
                guard let verdict = state.verdict(waiter) else { continue }
                state.waiters[id] = nil
                decided.append((waiter, verdict))
            }
            return decided
        }
        for (waiter, verdict) in decided {
            waiter.continuation.resume(with: verdict.mapError { $0 as any Error })
        }
    }
}

/// A value behind an `NSLock`, for the harness's state.
///
/// Why not `Synchronization.Mutex`: on Linux it locks with futexes inside the uninstrumented Swift
/// library, so ThreadSanitizer (`make tsan`) sees no ordering and reports every access as a race;
/// `NSLock` is a pthread mutex, which it intercepts.
private final class LockedState<Value>: @unchecked Sendable {
    // @unchecked: `value` is only read or written between `lock.lock()` and `lock.unlock()`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
