import Logging
import TDLib

extension Telegram {
    /// The retries of one call after flood waits; beyond them TDLib's 429 is thrown.
    static let floodWaitRetries = 3

    private func mayRetry(after seconds: Int, retries: Int) -> Bool {
        let limit = configuration.floodWaitLimit
        return retries < Self.floodWaitRetries && limit > .zero && .seconds(seconds) <= limit
    }

    /// Runs `call`, and again after each flood wait no longer than the configured limit.
    func retryingFloodWaits<Result>(of method: String, _ call: () async throws -> Result) async throws -> Result {
        var retries = 0
        while true {
            do {
                return try await call()
            } catch let error as TDLibError {
                guard let seconds = error.retryAfterSeconds, mayRetry(after: seconds, retries: retries) else {
                    throw error
                }
                retries += 1
                logger.notice(
                    "Flood wait: retrying the call when it ends",
                    metadata: ["method": "\(method)", "seconds": "\(seconds)", "retry": "\(retries)"])
                try await configuration.clock.sleep(for: .seconds(seconds))
            }
        }
    }
}
