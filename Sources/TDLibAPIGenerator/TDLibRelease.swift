/// A TDLib release: the version and the commit that its `version` and `commit_hash` options give.
struct TDLibRelease {
    var version: String
    var commitHash: String

    /// The release that `../shared/tdlib/td_api.tl` (`make generate`'s schema) comes from; change it
    /// together with the schema.
    static let schemaRelease = TDLibRelease(
        version: "1.8.66", commitHash: "022d60202e446ad1287b9fb68e687c8a0760788b")
}
