import Audit
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Stores a signed tree head and returns the head the store holds for that size.
    ///
    /// The head must describe this log: `invalid-argument` when its size exceeds the log or its
    /// root differs from the stored tree's root at that size. One head is kept per size: when a
    /// head of that size exists (saved earlier, or by another node at the same moment), it is kept
    /// and returned. A head out of time order with the stored heads (older than a smaller one, or
    /// newer than a larger one) is `conflict`: the signer signs the tree again.
    @discardableResult
    public func saveTreeHead(_ head: StoredTreeHead) async throws(StoreError) -> StoredTreeHead {
        let logger = self.logger
        return try await write("save tree head") { connection in
            // Saves are serialised, so the time-order check and the insert see the same heads.
            try await connection.rows("SELECT pg_advisory_xact_lock(\(Self.treeHeadLock))", logger)
            try await Self.checkTreeSize(head.size, connection, logger)
            guard try await Self.auditRootHash(size: head.size, connection, logger) == head.rootHash else {
                throw StoreError(code: .invalidArgument, message: "tree head root differs from the log at size \(head.size)")
            }
            if let existing = try await connection.rows(
                "SELECT \(unescaped: Self.treeHeadColumns) FROM audit_tree_head WHERE size = \(head.size)", logger
            ).first {
                return try StoredTreeHead(row: existing)
            }
            let milliseconds = Self.milliseconds(head.timestamp)
            guard try await connection.rows("""
                SELECT 1 FROM audit_tree_head
                WHERE (size < \(head.size) AND timestamp_ms > \(milliseconds)) OR (size > \(head.size) AND timestamp_ms < \(milliseconds))
                LIMIT 1
                """, logger).isEmpty
            else {
                throw StoredTreeHead.outOfTimeOrder
            }
            let inserted = try await connection.rows("""
                INSERT INTO audit_tree_head (size, root_hash, timestamp_ms, note)
                VALUES (\(head.size), \(ByteBuffer(bytes: head.rootHash.bytes)), \(milliseconds), \(head.note))
                RETURNING \(unescaped: Self.treeHeadColumns)
                """, logger)
            guard let row = inserted.first else {
                throw StoreError(code: .storeUnavailable, message: "tree head of size \(head.size) was not stored")
            }
            return try StoredTreeHead(row: row)
        }
    }

    /// The transaction-level advisory lock (ASCII "rabthead") every head save takes first.
    static let treeHeadLock: Int64 = 0x7261_6274_6865_6164

    /// The head of the largest size, or nil before the first head.
    public func latestTreeHead() async throws(StoreError) -> StoredTreeHead? {
        try await treeHeads("SELECT \(unescaped: Self.treeHeadColumns) FROM audit_tree_head ORDER BY size DESC LIMIT 1").first
    }

    /// The head of exactly `size` entries, if one was signed.
    public func treeHead(size: Int) async throws(StoreError) -> StoredTreeHead? {
        try await treeHeads("SELECT \(unescaped: Self.treeHeadColumns) FROM audit_tree_head WHERE size = \(size)").first
    }

    /// The smallest head covering at least `size` entries: the head an export ending at `size` is
    /// checked against (with a consistency proof when its size is larger).
    public func treeHead(covering size: Int) async throws(StoreError) -> StoredTreeHead? {
        try await treeHeads("""
            SELECT \(unescaped: Self.treeHeadColumns) FROM audit_tree_head WHERE size >= \(size) ORDER BY size LIMIT 1
            """).first
    }

    /// Heads whose size lies in `sizes`, smallest first, at most `limit`.
    public func treeHeads(sizes: ClosedRange<Int>, limit: Int = 1000) async throws(StoreError) -> [StoredTreeHead] {
        try await treeHeads("""
            SELECT \(unescaped: Self.treeHeadColumns) FROM audit_tree_head
            WHERE size >= \(sizes.lowerBound) AND size <= \(sizes.upperBound) ORDER BY size LIMIT \(max(0, limit))
            """)
    }

    private static let treeHeadColumns = "size, root_hash, timestamp_ms, note"

    private func treeHeads(_ query: PostgresQuery) async throws(StoreError) -> [StoredTreeHead] {
        let logger = self.logger
        return try await read("read tree heads") { connection in
            try await connection.rows(query, logger).map(StoredTreeHead.init(row:))
        }
    }
}

extension StoredTreeHead {
    init(row: PostgresRow) throws {
        let (size, root, timestamp, note) = try row.decode((Int, Data, Int64, String).self)
        self.init(size: size, rootHash: try AuditNodeReader.hash(root), timestamp: PostgresStore.date(timestamp), note: note)
    }
}
