import Foundation

/// The objects waiting for `td_receive`: a FIFO that a receiver can wait on with a timeout.
///
/// `@unchecked Sendable`: `items` and `head` are only touched with `condition` locked, and `lastReturned`
/// only by `receive`, which TDLib's contract allows one thread at a time to call.
final class OutputQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [[UInt8]] = []
    private var head = 0
    private var lastReturned: UnsafeMutablePointer<CChar>?

    deinit { lastReturned?.deallocate() }

    func push(_ batch: [[UInt8]]) {
        guard !batch.isEmpty else { return }
        condition.lock()
        items.append(contentsOf: batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The next object, or `nil` after `timeout` seconds.
    func pop(timeout: Double) -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        if head == items.count, timeout > 0 {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while head == items.count {
                if !condition.wait(until: deadline) { break }
            }
        }
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 4096 {
            items.removeFirst(head)
            head = 0
        }
        return item
    }

    /// Like `pop`, as a NUL-terminated string that stays valid until the next call.
    func receive(timeout: Double) -> UnsafePointer<CChar>? {
        guard let bytes = pop(timeout: timeout) else { return nil }
        lastReturned?.deallocate()
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        bytes.withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { characters in
                if let base = characters.baseAddress { buffer.initialize(from: base, count: bytes.count) }
            }
        }
        buffer[bytes.count] = 0
        lastReturned = buffer
        return UnsafePointer(buffer)
    }
}
