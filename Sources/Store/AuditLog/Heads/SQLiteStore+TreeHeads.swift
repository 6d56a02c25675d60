import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// Stores a signed tree head and returns the head the store holds for that size.
    ///
    /// The head must describe this log: `invalid-argument` when its size exceeds the log or its
    /// root differs from the stored tree's root at that size. One head is kept per size: when a
    /// head of that size exists, it is kept (published heads never change) and returned. A larger
    /// head must not be older than a smaller one: a head out of time order with the stored heads
    /// is `conflict`, and the signer signs the tree again.
    @discardableResult
    public func saveTreeHead(_ head: StoredTreeHead) async throws(StoreError) -> StoredTreeHead {
        try await write("save tree head") { db in
            try Self.checkTreeSize(head.size, db)
            guard try Self.auditRootHash(size: head.size, db) == head.rootHash else {
                throw StoreError(code: .invalidArgument, message: "tree head root differs from the log at size \(head.size)")
            }
            if let existing = try Self.treeHeads(db, where: "size = ?", [head.size], order: "ASC", limit: 1).first {
                return existing
            }
            let milliseconds = Self.milliseconds(head.timestamp)
            guard try Bool.fetchOne(db, sql: """
                SELECT 1 FROM audit_tree_head
                WHERE (size < ? AND timestamp_ms > ?) OR (size > ? AND timestamp_ms < ?) LIMIT 1
                """, arguments: [head.size, milliseconds, head.size, milliseconds]) == nil
            else {
                throw StoredTreeHead.outOfTimeOrder
            }
            try db.execute(
                sql: "INSERT INTO audit_tree_head (size, root_hash, timestamp_ms, note) VALUES (?, ?, ?, ?)",
                arguments: [head.size, Data(head.rootHash.bytes), Self.milliseconds(head.timestamp), head.note]
            )
            return StoredTreeHead(
                size: head.size, rootHash: head.rootHash, timestamp: Self.date(Self.milliseconds(head.timestamp)), note: head.note
            )
        }
    }

    /// The head of the largest size, or nil before the first head.
    public func latestTreeHead() async throws(StoreError) -> StoredTreeHead? {
        try await read("read tree heads") { db in
            try Self.treeHeads(db, where: "1", [], order: "DESC", limit: 1).first
        }
    }

    /// The head of exactly `size` entries, if one was signed.
    public func treeHead(size: Int) async throws(StoreError) -> StoredTreeHead? {
        try await read("read tree heads") { db in
            try Self.treeHeads(db, where: "size = ?", [size], order: "ASC", limit: 1).first
        }
    }

    /// The smallest head covering at least `size` entries: the head an export ending at `size` is
    /// checked against (with a consistency proof when its size is larger).
    public func treeHead(covering size: Int) async throws(StoreError) -> StoredTreeHead? {
        try await read("read tree heads") { db in
            try Self.treeHeads(db, where: "size >= ?", [size], order: "ASC", limit: 1).first
        }
    }

    /// Heads whose size lies in `sizes`, smallest first, at most `limit`.
    public func treeHeads(sizes: ClosedRange<Int>, limit: Int = 1000) async throws(StoreError) -> [StoredTreeHead] {
        try await read("read tree heads") { db in
            try Self.treeHeads(db, where: "size >= ? AND size <= ?", [sizes.lowerBound, sizes.upperBound], order: "ASC", limit: limit)
        }
    }

    private static func treeHeads(
        _ db: Database, where condition: String, _ arguments: StatementArguments, order: String, limit: Int
    ) throws -> [StoredTreeHead] {
        try Row.fetchAll(
            db,
            sql: "SELECT size, root_hash, timestamp_ms, note FROM audit_tree_head WHERE \(condition) ORDER BY size \(order) LIMIT ?",
            arguments: arguments + [max(0, limit)]
        ).map { row in
            StoredTreeHead(
                size: row["size"], rootHash: try AuditNodeReader.hash(row["root_hash"]),
                timestamp: date(row["timestamp_ms"]), note: row["note"]
            )
        }
    }
}
