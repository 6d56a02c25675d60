import Audit
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Entries read per step of `verifyAuditTree()`.
    static let verificationBatch = 2048

    /// Recomputes the tree from the stored entry texts and compares it with what the store holds:
    /// each leaf hash, each stored node, and the root of every stored tree head.
    ///
    /// The same walk and verdicts as `SQLiteStore.verifyAuditTree()`, in one read-only snapshot:
    /// entries are read in batches of `verificationBatch`, each with the nodes and heads its
    /// leaves reach, so memory stays bounded however long the log. The operation timeout applies
    /// to each batch, not to the whole walk.
    public func verifyAuditTree() async throws(StoreError) -> AuditTreeCheck {
        let logger = self.logger
        let batchSize = Self.verificationBatch
        return try await readSnapshot("verify audit tree") { connection, progress in
            var walk = AuditTreeWalk()
            while true {
                let start = walk.size
                let rows = try await connection.rows("""
                    SELECT sequence, entry, leaf_hash FROM audit_entry WHERE sequence >= \(start)
                    ORDER BY sequence LIMIT \(batchSize)
                    """, logger)
                guard !rows.isEmpty else { break }
                // If every row is in place, the batch walks leaves start..<end and completes the
                // nodes those leaves end; a row out of place stops the walk within it.
                let end = start + rows.count
                var nodes = try await Self.nodesCompleted(by: start..<end, connection, logger)
                var heads = try await Self.heads(sizes: start..<end, connection, logger)[...]
                for row in rows {
                    if let failure = walk.checkHeads(&heads) { return walk.result(failure) }
                    let (sequence, text, leafHash) = try row.decode((Int, String, Data).self)
                    let failure = try walk.append(sequence: sequence, text: Array(text.utf8), leafHash: leafHash) { level in
                        nodes[level]?.popFirst()
                    }
                    if let failure { return walk.result(failure) }
                }
                progress.advance()
                guard rows.count == batchSize else { break }
            }
            let size = walk.size
            var heads = try await Self.heads(sizes: size..<Int.max, limit: 2, connection, logger)[...]
            let stored = try await connection.rows("SELECT COUNT(*) FROM audit_node", logger).first?.decode(Int.self) ?? 0
            return walk.finish(heads: &heads) { stored }
        }
    }

    /// The stored nodes the leaves in `leaves` complete, by level, each level in index order.
    ///
    /// Leaf s completes node (L, i) when s = (i+1)·2^L − 1, so for each level the indexes form one
    /// range, read through the primary key.
    private static func nodesCompleted(
        by leaves: Range<Int>, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [Int: ArraySlice<(index: Int, hash: Data)>] {
        var levels: [Int] = []
        var firsts: [Int] = []
        var lasts: [Int] = []
        var level = 1
        while (1 << level) <= leaves.upperBound {
            // Indexes i with leaves.lowerBound ≤ (i+1)·2^L − 1 < leaves.upperBound.
            let first = (leaves.lowerBound + 1 + (1 << level) - 1) >> level - 1
            let last = leaves.upperBound >> level - 1
            if first <= last {
                levels.append(level)
                firsts.append(first)
                lasts.append(last)
            }
            level += 1
        }
        guard !levels.isEmpty else { return [:] }
        let rows = try await connection.rows("""
            SELECT n.level, n.idx, n.hash
            FROM UNNEST(\(levels)::bigint[], \(firsts)::bigint[], \(lasts)::bigint[]) AS wanted(level, first, last)
            JOIN audit_node AS n ON n.level = wanted.level AND n.idx BETWEEN wanted.first AND wanted.last
            ORDER BY n.level, n.idx
            """, logger)
        var nodes: [Int: ArraySlice<(index: Int, hash: Data)>] = [:]
        for row in rows {
            let (level, index, hash) = try row.decode((Int, Int, Data).self)
            nodes[level, default: []].append((index, hash))
        }
        return nodes
    }

    /// Stored heads whose size lies in `sizes`, smallest first.
    private static func heads(
        sizes: Range<Int>, limit: Int = Int.max, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [AuditTreeWalk.Head] {
        try await connection.rows("""
            SELECT size, root_hash FROM audit_tree_head WHERE size >= \(sizes.lowerBound) AND size < \(sizes.upperBound)
            ORDER BY size LIMIT \(limit)
            """, logger).map { row in
            let (size, root) = try row.decode((Int, Data).self)
            return (size, root)
        }
    }
}
