import Foundation
import GRDB

/// A cheap fingerprint of the published contracts and their lifecycles: it changes when a version
/// is published, deprecated or its sunset moved, so a node can notice another node's change
/// without reading every document.
public struct ContractsRevision: Hashable, Sendable {
    /// Number of published versions.
    public var count: Int
    /// The latest publication time (milliseconds), or 0.
    public var lastPublished: Int64
    /// Sum of the deprecation and sunset times (milliseconds) of every version.
    public var lifecycleSum: Int64

    /// Creates a revision.
    public init(count: Int, lastPublished: Int64, lifecycleSum: Int64) {
        self.count = count
        self.lastPublished = lastPublished
        self.lifecycleSum = lifecycleSum
    }

    /// The aggregate both engines run (PostgreSQL's SUM of BIGINT is NUMERIC, hence the casts).
    static let query = """
        SELECT COUNT(*), CAST(COALESCE(MAX(published_at), 0) AS BIGINT),
            CAST(COALESCE(SUM(COALESCE(deprecated_at, 0) + COALESCE(sunset_at, 0)), 0) AS BIGINT)
        FROM contract
        """
}

extension SQLiteStore {
    /// The current fingerprint of the published contracts.
    public func contractsRevision() async throws(StoreError) -> ContractsRevision {
        try await read("read contracts revision") { db in
            let row = try Row.fetchOne(db, sql: ContractsRevision.query)
            return ContractsRevision(count: row?[0] ?? 0, lastPublished: row?[1] ?? 0, lifecycleSum: row?[2] ?? 0)
        }
    }
}
