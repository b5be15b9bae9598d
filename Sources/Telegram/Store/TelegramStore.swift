import TDLib
import TDLibAPI

/// What TDLib has told the client about chats, users, groups, options and the connection, kept from its
/// updates as TDLib intends: ``Telegram/store``.
///
/// Every update passes through the store on the client's update path, in TDLib's order, before handlers
/// and streams see it; applying one is a dictionary change under a lock, so the store never slows the
/// client down nor misses an update. Reads return `Sendable` snapshots and never wait for TDLib.
///
/// ```swift
/// for chat in tg.store.chatList(.main) { print(chat.title) }
/// for await change in tg.store.changes() { if case .chatPositions = change { redraw() } }
/// ```
public final class TelegramStore: Sendable {
    private let state: Locked<State>
    private let changeBufferSize: Int

    private struct State {
        var contents = StoreContents()
        /// How many updates the client has read, applied or not.
        var readUpdates = 0
        var readers: [UInt64: (count: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
        var subscribers: [UInt64: AsyncStream<StoreChange>.Continuation] = [:]
        var lastID: UInt64 = 0
        var isFinished = false

        /// Removes and returns the readers whose count of updates has been reached.
        mutating func takeReaders() -> [CheckedContinuation<Void, Never>] {
            let ready = readers.filter { $0.value.count <= readUpdates }
            for id in ready.keys { readers[id] = nil }
            return ready.values.map(\.continuation)
        }
    }

    package init(changeBufferSize: Int) {
        state = Locked(State())
        self.changeBufferSize = changeBufferSize
    }

    // MARK: Reads

    /// A chat TDLib has sent (`updateNewChat`), with every change since; `nil` when TDLib has not sent it.
    public func chat(_ id: Int64) -> Chat? { state.withLock { $0.contents.chats[id] } }

    /// A user TDLib has sent (`updateUser`), with its latest status.
    public func user(_ id: Int64) -> User? { state.withLock { $0.contents.users[id] } }

    /// A user's full profile, when TDLib has sent it (`updateUserFullInfo`).
    public func userFullInfo(_ id: Int64) -> UserFullInfo? { state.withLock { $0.contents.userFullInfos[id] } }

    /// A basic group TDLib has sent (`updateBasicGroup`).
    public func basicGroup(_ id: Int64) -> BasicGroup? { state.withLock { $0.contents.basicGroups[id] } }

    /// A basic group's full information, when TDLib has sent it.
    public func basicGroupFullInfo(_ id: Int64) -> BasicGroupFullInfo? {
        state.withLock { $0.contents.basicGroupFullInfos[id] }
    }

    /// A supergroup or channel TDLib has sent (`updateSupergroup`).
    public func supergroup(_ id: Int64) -> Supergroup? { state.withLock { $0.contents.supergroups[id] } }

    /// A supergroup's or channel's full information, when TDLib has sent it.
    public func supergroupFullInfo(_ id: Int64) -> SupergroupFullInfo? {
        state.withLock { $0.contents.supergroupFullInfos[id] }
    }

    /// A secret chat TDLib has sent (`updateSecretChat`).
    public func secretChat(_ id: Int32) -> SecretChat? { state.withLock { $0.contents.secretChats[id] } }

    /// The chats of a list in TDLib's order: by position order, then by chat identifier, both descending.
    ///
    /// Only the chats TDLib has loaded are here: ``Telegram/chats(in:pageSize:)`` loads the rest.
    public func chatList(_ list: ChatList) -> [Chat] {
        state.withLock { state in
            state.contents.orderedChatIDs(in: list).compactMap { state.contents.chats[$0] }
        }
    }

    /// The identifiers of ``chatList(_:)``, in the same order.
    public func chatIDs(in list: ChatList) -> [Int64] { state.withLock { $0.contents.orderedChatIDs(in: list) } }

    /// An option TDLib has sent (`updateOption`), such as `version` or `my_id`.
    public func option(_ name: String) -> OptionValue? { state.withLock { $0.contents.options[name] } }

    /// The connection state TDLib last reported; `nil` before its first `updateConnectionState`.
    public var connectionState: ConnectionState? { state.withLock { $0.contents.connectionState } }

    /// Reads the contents under the lock (for reads defined in other files).
    func withContents<T>(_ read: (StoreContents) -> T) -> T { state.withLock { read($0.contents) } }

    /// The logged-in user's identifier (the `my_id` option), once TDLib has sent it.
    public var myUserID: Int64? {
        guard case .integer(let value) = option("my_id") else { return nil }
        return value.value
    }

    /// The logged-in user, once TDLib has sent both `my_id` and the user.
    public var me: User? { myUserID.flatMap(user) }

    /// How many chats, users, supergroups and basic groups the store holds.
    public var counts: (chats: Int, users: Int, supergroups: Int, basicGroups: Int) {
        state.withLock {
            (
                $0.contents.chats.count, $0.contents.users.count, $0.contents.supergroups.count,
                $0.contents.basicGroups.count
            )
        }
    }

    /// The changes from now on, one per update that changed the store, applied before they are yielded.
    ///
    /// Each call makes its own stream that keeps the newest ``TelegramConfiguration/updateBufferSize``
    /// changes when its reader falls behind (the store itself never drops one: read it again). The
    /// stream ends when the client stops.
    public func changes() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream<StoreChange>.makeStream(
            bufferingPolicy: .bufferingNewest(changeBufferSize))
        let id = state.withLock { state -> UInt64? in
            guard !state.isFinished else { return nil }
            state.lastID += 1
            state.subscribers[state.lastID] = continuation
            return state.lastID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    // MARK: The update path

    /// Applies one update the client read; `nil` for one that did not decode, which is only counted.
    package func apply(_ update: Update?) {
        let (change, subscribers, readers) = state.withLock {
            state -> (StoreChange?, [AsyncStream<StoreChange>.Continuation], [CheckedContinuation<Void, Never>]) in
            state.readUpdates += 1
            let change = update.flatMap { state.contents.apply($0) }
            let subscribers = change == nil || state.subscribers.isEmpty ? [] : Array(state.subscribers.values)
            return (change, subscribers, state.readers.isEmpty ? [] : state.takeReaders())
        }
        if let change { for subscriber in subscribers { subscriber.yield(change) } }
        for reader in readers { reader.resume() }
    }

    /// Waits until the client has read `count` updates (or has stopped), so that a caller that got an
    /// answer from TDLib sees in the store every update TDLib sent before that answer.
    func waitUntilRead(_ count: Int) async {
        let id = state.withLock { state in
            state.lastID += 1
            return state.lastID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if state.isFinished || state.readUpdates >= count || Task.isCancelled { return true }
                    state.readers[id] = (count, continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.readers.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    /// Ends the change streams and releases every waiting reader: the client's updates have ended.
    func finish() {
        let (subscribers, readers) = state.withLock { state in
            state.isFinished = true
            defer {
                state.subscribers = [:]
                state.readers = [:]
            }
            return (Array(state.subscribers.values), state.readers.values.map(\.continuation))
        }
        for subscriber in subscribers { subscriber.finish() }
        for reader in readers { reader.resume() }
    }
}

/// What an update changed in ``TelegramStore``; read the new value from the store.
public enum StoreChange: Hashable, Sendable {
    /// TDLib sent a chat for the first time (`updateNewChat`).
    case newChat(Int64)
    /// A field of a chat changed.
    case chat(Int64)
    /// A chat's positions in its lists changed (maybe with its last message or draft).
    case chatPositions(Int64)
    /// A user, or a user's status, changed.
    case user(Int64)
    /// A user's full profile changed.
    case userFullInfo(Int64)
    /// A basic group changed.
    case basicGroup(Int64)
    /// A basic group's full information changed.
    case basicGroupFullInfo(Int64)
    /// A supergroup or channel changed.
    case supergroup(Int64)
    /// A supergroup's or channel's full information changed.
    case supergroupFullInfo(Int64)
    /// A secret chat changed.
    case secretChat(Int32)
    /// An option changed (its name).
    case option(String)
    /// The connection state changed.
    case connectionState
}

extension ChatList {
    /// The main chat list (`chatListMain`).
    public static var main: ChatList { .main(ChatListMain()) }
    /// The archive (`chatListArchive`).
    public static var archive: ChatList { .archive(ChatListArchive()) }
}
