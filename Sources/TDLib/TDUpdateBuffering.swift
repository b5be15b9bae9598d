/// What a client does with updates that arrive faster than they are read.
///
/// The receive thread never waits for a reader: a full buffer drops updates instead, and the manager
/// logs a warning with the count.
public enum TDUpdateBuffering: Sendable, Hashable {
    /// Keep every update; memory grows while nobody reads them.
    case unbounded
    /// Keep at most this many unread updates, dropping the oldest when full.
    case keepNewest(Int)
    /// Keep none: for clients whose updates nobody reads.
    case discard

    /// Up to 100,000 unread updates, the oldest dropped first.
    public static let `default` = TDUpdateBuffering.keepNewest(100_000)

    var streamPolicy: AsyncStream<TDJSONObject>.Continuation.BufferingPolicy {
        switch self {
        case .unbounded: .unbounded
        case .keepNewest(let count): .bufferingNewest(max(1, count))
        case .discard: .bufferingNewest(0)
        }
    }
}
