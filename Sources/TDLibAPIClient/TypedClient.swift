@_exported import TDLib
@_exported import TDLibAPI

extension TDClient {
    /// Sends a typed request and returns TDLib's answer decoded as the request's `Result`.
    ///
    /// Typed and raw requests (`TDClient.send(json:timeout:)`) can be mixed freely on
    /// one client.
    /// - Parameters:
    ///   - function: the request, for example `GetMe()`.
    ///   - timeout: how long to wait for the answer; `nil` waits until the client closes.
    /// - Throws: `TDLibError` when TDLib answers with an error; `TDClientError` for local failures
    ///   (`clientClosed`, `timedOut`...), and with `undecodable` when the answer does not decode as
    ///   `F.Result`, its `underlying` the `TDDecodingError` that says why.
    public func send<F: TDFunction>(_ function: F, timeout: Duration? = nil) async throws -> F.Result {
        let answer = try await send(trustedJSON: function.jsonBytes(), timeout: timeout)
        return try decodeAnswer(answer, to: F.self)
    }

    /// The client's updates, decoded as `Update`; an update this API does not know comes as
    /// `Update.unknown(_:)`. Read it from one task only, instead of `TDClient.updates`.
    public var typedUpdates: TDTypedUpdates {
        TDTypedUpdates(updates: updates)
    }
}

extension TDClientManager {
    /// Runs a typed synchronous request with `td_execute` and returns its decoded answer.
    ///
    /// Only methods that TDLib documents as "can be called synchronously" work here, for example
    /// `ParseTextEntities` or `GetTextEntities`.
    /// - Throws: `TDLibError` for TDLib's errors; `TDClientError` with `undecodable` when the answer
    ///   does not decode as `F.Result`, its `underlying` the `TDDecodingError` that says why.
    public func execute<F: TDFunction>(_ function: F) throws -> F.Result {
        let answer = try execute(trustedJSON: function.jsonBytes())
        return try decodeAnswer(answer, to: F.self)
    }
}

/// TDLib's answer to `F`, decoded; an answer that does not decode is the client's failure, as on the raw
/// path, so that one `catch` of `TDClientError` `undecodable` serves both.
private func decodeAnswer<F: TDFunction>(_ answer: TDJSONObject, to function: F.Type) throws -> F.Result {
    do {
        return try F.Result(json: answer.bytes)
    } catch let error as TDDecodingError {
        // The decoding error names a place and a type, never a value of the answer.
        throw TDClientError(.undecodable, "TDLib's answer to \(F.tdType) does not decode: \(error)", underlying: error)
    }
}

extension TDJSONObject {
    /// Decodes the object as `type`, ignoring its `@extra` and `@client_id`.
    /// - Throws: `TDDecodingError`.
    public func decode<T: TDDecodable>(as type: T.Type = T.self) throws -> T {
        try T(json: bytes)
    }
}

extension TDDecodable {
    /// Decodes an object that the core received, such as an update: `try Update(object)`.
    /// - Throws: `TDDecodingError`.
    public init(_ object: TDJSONObject) throws {
        try self.init(json: object.bytes)
    }
}

/// A client's updates decoded as `Update`, in order; see `TDClient.typedUpdates`.
public struct TDTypedUpdates: AsyncSequence, Sendable {
    /// Each element is one update.
    public typealias Element = Update
    /// Iteration fails only on JSON that does not decode; unknown updates do not fail.
    public typealias Failure = any Error

    let updates: TDUpdateStream

    /// Iterates over the decoded updates.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: TDUpdateStream.AsyncIterator

        /// The next update, or `nil` once the client is closed.
        public mutating func next() async throws -> Update? {
            guard let object = await base.next() else { return nil }
            return try Update(json: object.bytes)
        }
    }

    /// Creates the iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: updates.makeAsyncIterator())
    }
}
