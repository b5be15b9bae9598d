#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value that threads share behind a lock, for every module of the package.
///
/// Why not `Synchronization.Mutex`: on Linux it locks with futexes inside the uninstrumented Swift
/// library, so ThreadSanitizer sees no ordering between two critical sections and reports every value it
/// protects as a race. A pthread mutex is intercepted by ThreadSanitizer and costs the same uncontended.
package final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only read or written between `pthread_mutex_lock` and `pthread_mutex_unlock`
    // of `mutex`, and `withLock` only lets a `sending` value in or out, as `Mutex` does.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// Starts with `value`.
    package init(_ value: sending Value) {
        self.value = value
        mutex = UnsafeMutablePointer.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock; `body` must not call `withLock` on the same value.
    package func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
