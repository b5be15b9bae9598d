import TDLib

/// The results of a TDLib method that answers one page at a time, as an asynchronous sequence: it asks
/// for the next page only when the elements of the last one have been read.
///
/// Each iteration starts again from the beginning. An error (a `TDLibError` with TDLib's code and message,
/// a `TDClientError` with code `clientClosed` once the client is stopped...) is thrown once and ends the
/// iteration; cancelling the reading task ends it cleanly (`next()` returns `nil`), without an error.
public struct TelegramPages<Element: Sendable>: AsyncSequence, Sendable {
    private let makeReader: @Sendable () -> PageReader<Element>

    init(_ makeReader: @escaping @Sendable () -> PageReader<Element>) {
        self.makeReader = makeReader
    }

    /// Starts reading from the first page.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: makeReader()) }

    /// Reads the elements page by page.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: PageReader<Element>

        /// The next element; `nil` at the end, after an error was thrown, or when the task is cancelled.
        public mutating func next() async throws -> Element? { try await reader.next() }
    }

    /// Every element, read to the end (or the first `limit`).
    public func collect(limit: Int = .max) async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self {
            guard elements.count < limit else { break }
            elements.append(element)
            if elements.count == limit { break }
        }
        return elements
    }
}

/// Reads a sequence's pages: a subclass asks TDLib for the next page in ``nextPage()``.
///
/// Used by one iterator, from one task at a time (an iterator is never shared), so it needs no lock.
class PageReader<Element> {
    private var page: [Element] = []
    private var index = 0
    private var ended = false

    func next() async throws -> Element? {
        while index == page.count {
            if ended || Task.isCancelled {
                ended = true
                return nil
            }
            do {
                guard let next = try await nextPage() else {
                    ended = true
                    return nil
                }
                (page, index) = (next, 0)
            } catch {
                ended = true
                if Self.isCancellation(error) { return nil }
                throw error
            }
        }
        defer { index += 1 }
        return page[index]
    }

    /// The next page, maybe empty when more may come; `nil` when there is nothing more.
    func nextPage() async throws -> [Element]? { nil }

    private static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let error = error as? TDClientError, error.code == .cancelled { return true }
        return false
    }
}
