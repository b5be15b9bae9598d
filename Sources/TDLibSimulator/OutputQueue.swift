import Foundation

/// The objects waiting for `td_receive`: a FIFO that a receiver can wait on with a timeout.
///
/// `@unchecked Sendable`: `items`, `head`, `base`, `releases` and `onRelease` are only touched with
/// `condition` locked, and `lastReturned` only by `receive`, which TDLib's contract allows one thread at
/// a time to call.
final class OutputQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [[UInt8]] = []
    private var head = 0
    /// How many objects were taken before `items[0]`: the position of an object in the whole stream.
    private var base = 0
    /// The objects (by position) whose receipt releases a closed client, and which client.
    private var releases: [Int: Int32] = [:]
    private var onRelease: (@Sendable (Int32) -> Void)?
    private var lastReturned: UnsafeMutablePointer<CChar>?
    /// Whether the receiver that waits now, or the next one, returns empty-handed at once.
    private var interrupted = false

    /// Calls `action` with the client whose `authorizationStateClosed` td_receive has just returned.
    func whenClientReleased(_ action: @escaping @Sendable (Int32) -> Void) {
        condition.lock()
        onRelease = action
        condition.unlock()
    }

    deinit { lastReturned?.deallocate() }

    /// Queues `batch`; `releasing` names the client whose closed state is the batch's last object.
    func push(_ batch: [[UInt8]], releasing: Int32? = nil) {
        guard !batch.isEmpty else { return }
        condition.lock()
        if let releasing { releases[base + items.count + batch.count - 1] = releasing }
        items.append(contentsOf: batch)
        condition.broadcast()
        condition.unlock()
    }

    /// Makes the receiver that waits now, or the next one, return `nil` at once.
    func interrupt() {
        condition.lock()
        interrupted = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next object, or `nil` after `timeout` seconds (or at once after ``interrupt()``).
    func pop(timeout: Double) -> [UInt8]? {
        condition.lock()
        if head == items.count, timeout > 0 {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while head == items.count, !interrupted {
                if !condition.wait(until: deadline) { break }
            }
        }
        guard head < items.count else {
            interrupted = false
            condition.unlock()
            return nil
        }
        let item = items[head]
        let released = releases.isEmpty ? nil : releases.removeValue(forKey: base + head)
        let action = released == nil ? nil : onRelease
        head += 1
        if head == items.count {
            base += head
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 4096 {
            base += head
            items.removeFirst(head)
            head = 0
        }
        condition.unlock()
        if let released, let action { action(released) }
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
