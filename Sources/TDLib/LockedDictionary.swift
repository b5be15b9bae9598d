/// A small dictionary behind a mutex, for process-wide registries.
final class LockedDictionary<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let storage = Locked<[Key: Value]>([:])

    subscript(key: Key) -> Value? {
        storage.withLock { $0[key] }
    }

    /// Stores `value` unless the key already has one, and returns the value that is stored.
    func insertIfAbsent(_ key: Key, _ value: Value) -> Value {
        storage.withLock { dictionary in
            if let existing = dictionary[key] { return existing }
            dictionary[key] = value
            return value
        }
    }
}
