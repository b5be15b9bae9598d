import TDLibAPI

extension Telegram {
    /// The updates of one TDLib type from now on, as that type's Swift value.
    ///
    /// ```swift
    /// for await query in tg.updates(of: UpdateNewCallbackQuery.self) { … }
    /// ```
    ///
    /// Buffering and the end of the sequence are those of ``updates(types:)``.
    public func updates<Kind: TDObject & Sendable>(of kind: Kind.Type) -> some AsyncSequence<Kind, Never> & Sendable {
        updates(types: [kind.typeName]).compactMap { $0.object as? Kind }
    }

    /// Calls `handler` with every update of one TDLib type, as that type's Swift value.
    ///
    /// Runs with the other update handlers, in the order they were added; see ``addUpdateHandler(_:_:)``.
    @discardableResult
    public func on<Kind: TDObject & Sendable>(
        _ kind: Kind.Type, _ handler: @escaping @Sendable (Kind) async throws -> Void
    ) -> UpdateHandlerID {
        addUpdateHandler(kind.typeName) { update in
            if let value = update.object as? Kind { try await handler(value) }
        }
    }
}

extension TDTyped {
    /// The TDLib `@type` as a `String`, the key update handlers and streams are registered under.
    static var typeName: String { "\(tdType)" }
}
