import Foundation
import Telegram

/// One browser's session: its own Telegram client, CSRF token, pending message and counters.
///
/// An actor, so that one browser's requests run one at a time and never see another's state.
actor WebSession {
    nonisolated let id: String
    nonisolated let csrfToken: String
    private let clock: IdleClock
    private(set) var telegram: Telegram?
    /// When the last request came, on ``clock``.
    private(set) var lastSeen: Duration
    private(set) var attempts = 0
    private var flash: String?
    private var folder: String?

    init(clock: IdleClock) {
        id = Random.token()
        csrfToken = Random.token()
        self.clock = clock
        lastSeen = clock.elapsed()
    }

    func touch() { lastSeen = clock.elapsed() }

    func setFlash(_ message: String?) { flash = message }

    /// The message for the next page, shown once.
    func takeFlash() -> String? {
        defer { flash = nil }
        return flash
    }

    /// Counts a login answer; `false` once the session has used its allowance.
    func countAttempt(limit: Int) -> Bool {
        attempts += 1
        return attempts <= limit
    }

    func attach(_ telegram: Telegram, folder: String) {
        self.telegram = telegram
        self.folder = folder
    }

    /// Stops the client and deletes its folder.
    func end() async {
        if let telegram { await telegram.stop(closeTimeout: .seconds(5)) }
        telegram = nil
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
        folder = nil
    }

    /// Logs out on Telegram, then ends the session's client.
    func logOut(timeout: Duration) async {
        if let telegram, telegram.authorizationState == .ready {
            try? await withTimeout(timeout) { try await telegram.logOut() }
        }
        await end()
    }
}

/// Every session of the server, with the limits on how many have a client.
actor SessionStore {
    /// The clock of idle times and of their expiry.
    nonisolated let clock: IdleClock
    private var sessions: [String: WebSession] = [:]

    init(clock: IdleClock = IdleClock(ContinuousClock())) {
        self.clock = clock
    }

    func session(id: String?) -> WebSession? {
        id.flatMap { sessions[$0] }
    }

    func create() -> WebSession {
        let session = WebSession(clock: clock)
        sessions[session.id] = session
        return session
    }

    /// How many sessions have a Telegram client.
    func activeClientCount() async -> Int {
        var count = 0
        for session in sessions.values where await session.telegram != nil { count += 1 }
        return count
    }

    /// Ends and forgets sessions idle for longer than `idle`.
    func expire(idle: Duration) async {
        let now = clock.elapsed()
        for (id, session) in sessions where now - (await session.lastSeen) > idle {
            sessions[id] = nil
            await session.end()
        }
    }

    /// Ends every session, all at once; for shutdown.
    func closeAll() async {
        let all = Array(sessions.values)
        sessions = [:]
        await withTaskGroup(of: Void.self) { group in
            for session in all { group.addTask { await session.end() } }
        }
    }

    var count: Int { sessions.count }
}

/// Any `Clock` measured in `Duration`, as the time elapsed since it was wrapped: the sessions' idle times
/// and the pace of their expiry (``WebConfiguration/clock``).
struct IdleClock: Sendable {
    /// The time elapsed on the clock since this value was made.
    let elapsed: @Sendable () -> Duration
    /// Sleeps for a duration of the clock; throws `CancellationError` when the task is cancelled.
    let sleep: @Sendable (Duration) async throws -> Void

    init<C: Clock<Duration>>(_ clock: C) {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleep = { duration in try await clock.sleep(for: duration) }
    }
}

/// Unguessable identifiers from the system's random source.
enum Random {
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

struct TimedOut: Error {}

/// Runs `body`, giving up after `timeout`.
func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimedOut() }
        return first
    }
}
