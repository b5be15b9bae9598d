/// What the participants of a ``TestWorld`` did, in the order the simulated Telegram saw it: who sent what
/// to whom, who pressed which button, edited or deleted what, and how the bot answered.
///
/// Put it in a failure message to see the whole conversation:
/// `#expect(reply.text == "42", "\(world.transcript)")`.
public struct Transcript: Sendable, Hashable, CustomStringConvertible {
    /// One step of the conversation.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// Who acted: a user's or a bot's name.
        public var who: String
        /// Where: the other person of a private chat, or a group's title.
        public var chat: String
        /// What happened, as one line: the text sent, or a description such as "presses “yes”".
        public var what: String

        /// The entry as one line, "Ada → Echo: hello".
        public var description: String { "\(who) → \(chat): \(what)" }
    }

    /// The steps, oldest first.
    public var entries: [Entry]

    /// One line per entry; "(nothing happened)" when there is none.
    public var description: String {
        entries.isEmpty ? "  (nothing happened)" : entries.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// Why a ``TestWorld`` wait failed: what was expected, what arrived instead, and the conversation so far.
///
/// The waits throw it as the `underlying` error of a `TDClientError` with code `timedOut`, as every layer
/// reports a timeout; that error's message is this report's description.
public struct TestWorldTimeout: Error, CustomStringConvertible {
    /// What the test waited for, such as "a message from Echo in Ada's chat with Echo".
    public var expected: String
    /// What arrived meanwhile that did not match, oldest first.
    public var arrived: [String]
    /// How long the test waited (on the wall clock).
    public var timeout: Duration
    /// The conversation when the wait gave up.
    public var transcript: Transcript

    /// A readable report of the three.
    public var description: String {
        let others = arrived.isEmpty ? "nothing" : arrived.joined(separator: "; ")
        return """
            Waited \(timeout) for \(expected).
            Arrived instead: \(others).
            Conversation so far:
            \(transcript)
            """
    }
}

/// A ``TestWorld`` call that cannot be done, said in words: an unknown button, a client that failed to log in.
public struct TestWorldError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
}
