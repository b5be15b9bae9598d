import Logging

/// A TDLib release, named as TDLib's `version` and `commit_hash` options name it.
public struct TDLibVersion: Sendable, Hashable, CustomStringConvertible {
    /// TDLib's version, for example `1.8.66`.
    public var version: String
    /// The full hash of TDLib's commit.
    public var commitHash: String

    /// Creates a release from its version and commit hash.
    public init(version: String, commitHash: String) {
        self.version = version
        self.commitHash = commitHash
    }

    /// The release whose `td_api.tl` this package's typed API was generated from (`TDLibAPIRelease`).
    public static let generatedAPI = TDLibVersion(
        version: TDLibAPIRelease.version, commitHash: TDLibAPIRelease.commitHash)

    public var description: String { "TDLib \(version) (commit \(commitHash))" }
}

/// What happens when the loaded TDLib is not the release the typed API was generated for.
public enum TDLibVersionMismatchPolicy: Sendable, Hashable {
    /// Logs a warning naming both releases, and goes on: most types still match between close releases.
    case warn
    /// Throws `TDClientError` with code `versionMismatch`, naming both releases.
    case fail
}

extension TDClientManager {
    /// The loaded TDLib's release, read with `td_execute` (works offline, before any client exists).
    /// - Throws: `TDLibError` or `TDClientError` when TDLib does not answer with its options.
    public func tdlibVersion() throws -> TDLibVersion {
        func option(_ name: String) throws -> String {
            guard case .string(let value) = try execute(GetOption(name: name)) else {
                throw TDClientError(.undecodable, "TDLib's \(name) option is not a string")
            }
            return value.value
        }
        return TDLibVersion(version: try option("version"), commitHash: try option("commit_hash"))
    }

    /// Compares the loaded TDLib's release with `expected`, by default the one the typed API was generated for.
    ///
    /// Requests or answers that differ between two releases may fail to encode or decode, so a mismatch is
    /// logged as a warning naming both releases, or thrown when `policy` is ``TDLibVersionMismatchPolicy/fail``.
    /// - Returns: the loaded TDLib's release.
    /// - Throws: `TDClientError` with code `versionMismatch` under `.fail`; the errors of ``tdlibVersion()``.
    @discardableResult
    public func checkTDLibVersion(
        expected: TDLibVersion = .generatedAPI, onMismatch policy: TDLibVersionMismatchPolicy = .warn,
        logger: Logger
    ) throws -> TDLibVersion {
        let loaded = try tdlibVersion()
        guard loaded != expected else { return loaded }
        let message = "\(library.name) is \(loaded), but the typed API was generated for \(expected)"
        switch policy {
        case .warn:
            logger.warning("\(message); requests and answers that changed between them may fail")
        case .fail:
            throw TDClientError(.versionMismatch, message)
        }
        return loaded
    }
}
