import Audit
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// The current size of the log and its root hash, read in one snapshot.
    public func auditTreeState() async throws(StoreError) -> AuditTreeState {
        let logger = self.logger
        return try await readSnapshot("read audit tree state") { connection, _ in
            let size = try await Self.auditCount(connection, logger)
            return AuditTreeState(size: size, rootHash: try await Self.auditRootHash(size: size, connection, logger))
        }
    }

    /// MTH of the first `treeSize` entries (RFC 9162 §2.1.1), from O(log n) stored nodes.
    ///
    /// `invalid-argument` when `treeSize` is negative or larger than the log.
    public func auditRootHash(treeSize: Int) async throws(StoreError) -> MerkleHash {
        let logger = self.logger
        return try await read("compute audit root") { connection in
            try await Self.checkTreeSize(treeSize, connection, logger)
            return try await Self.auditRootHash(size: treeSize, connection, logger)
        }
    }

    /// The inclusion proof of entry `leafIndex` in the tree of the first `treeSize` entries (§2.1.3).
    ///
    /// `invalid-argument` unless 0 ≤ leafIndex < treeSize ≤ the log's size.
    public func auditInclusionProof(leafIndex: Int, treeSize: Int) async throws(StoreError) -> InclusionProof {
        let logger = self.logger
        return try await read("compute audit inclusion proof") { connection in
            try await Self.checkTreeSize(treeSize, connection, logger)
            guard leafIndex >= 0, leafIndex < treeSize else {
                throw StoreError(code: .invalidArgument, message: "leaf index is outside the tree")
            }
            let plan = try AuditNodeReader.plan { reader in try reader.inclusionProof(leafIndex: leafIndex, size: treeSize) }
            return try await Self.auditNodes(plan, connection, logger)
        }
    }

    /// The consistency proof from the tree of `first` entries to the tree of `second` entries (§2.1.4).
    ///
    /// `invalid-argument` unless 0 ≤ first ≤ second ≤ the log's size. Empty for first 0 or first = second.
    public func auditConsistencyProof(from first: Int, to second: Int) async throws(StoreError) -> ConsistencyProof {
        let logger = self.logger
        return try await read("compute audit consistency proof") { connection in
            try await Self.checkTreeSize(second, connection, logger)
            guard first >= 0, first <= second else {
                throw StoreError(code: .invalidArgument, message: "first tree size exceeds the second")
            }
            let plan = try AuditNodeReader.plan { reader in try reader.consistencyProof(from: first, to: second) }
            return try await Self.auditNodes(plan, connection, logger)
        }
    }

    /// Entry `sequence` with its canonical text, leaf hash, inclusion proof and root, for the tree
    /// of `treeSize` entries (the current log when nil); nil when the entry is outside that tree.
    public func auditProvenEntry(sequence: Int, treeSize: Int? = nil) async throws(StoreError) -> ProvenAuditEntry? {
        let logger = self.logger
        return try await read("read proven audit entry") { connection in
            var size = treeSize ?? 0
            if treeSize == nil { size = try await Self.auditCount(connection, logger) }
            try await Self.checkTreeSize(size, connection, logger)
            guard sequence >= 0, sequence < size,
                  let row = try await connection.rows(
                      "SELECT entry, leaf_hash FROM audit_entry WHERE sequence = \(sequence)", logger
                  ).first
            else { return nil }
            let (text, leafHash) = try row.decode((String, Data).self)
            // The proof and the root share most of their nodes: one fetch serves both.
            let plan = try AuditNodeReader.plan { reader in
                (try reader.inclusionProof(leafIndex: sequence, size: size), try reader.rootHash(size: size))
            }
            let (proof, root) = try await Self.auditNodes(plan, connection, logger)
            return ProvenAuditEntry(
                entry: try AuditEntry(canonicalText: text), canonicalText: text,
                leafHash: try AuditNodeReader.hash(leafHash), proof: proof, rootHash: root
            )
        }
    }

    /// The Merkle frontier of the first `size` entries (the roots of the perfect subtrees covering
    /// them, largest first), read from the stored nodes. `invalid-argument` when `size` exceeds the log.
    public func auditFrontier(size: Int) async throws(StoreError) -> MerkleFrontier {
        let logger = self.logger
        return try await read("read audit frontier") { connection in
            try await Self.checkTreeSize(size, connection, logger)
            let plan = try AuditNodeReader.plan { reader in try reader.frontier(size: size) }
            guard let frontier = MerkleFrontier(size: size, nodes: try await Self.auditNodes(plan, connection, logger)) else {
                throw StoreError(code: .storeUnavailable, message: "stored audit nodes do not form a frontier")
            }
            return frontier
        }
    }

    /// MTH of the first `size` entries.
    static func auditRootHash(size: Int, _ connection: PostgresConnection, _ logger: Logger) async throws -> MerkleHash {
        try await auditNodes(AuditNodeReader.plan { reader in try reader.rootHash(size: size) }, connection, logger)
    }

    /// Runs a planned computation with all its nodes (leaf hashes and inner nodes) fetched in one query.
    static func auditNodes<Value>(
        _ plan: AuditNodeReader.Plan<Value>, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> Value {
        guard !plan.positions.isEmpty else { return try plan.run([:]) }
        let leaves = plan.positions.filter { $0.level == 0 }.map(\.index)
        let inner = plan.positions.filter { $0.level > 0 }
        let rows = try await connection.rows("""
            SELECT 0::bigint, sequence, leaf_hash FROM audit_entry WHERE sequence = ANY(\(leaves)::bigint[])
            UNION ALL
            SELECT n.level, n.idx, n.hash
            FROM UNNEST(\(inner.map(\.level))::bigint[], \(inner.map(\.index))::bigint[]) AS wanted(level, idx)
            JOIN audit_node AS n ON n.level = wanted.level AND n.idx = wanted.idx
            """, logger)
        var nodes: [AuditNodePosition: MerkleHash] = [:]
        for row in rows {
            let (level, index, hash) = try row.decode((Int, Int, Data).self)
            nodes[AuditNodePosition(level: level, index: index)] = try AuditNodeReader.hash(hash)
        }
        return try plan.run(nodes)
    }

    /// `invalid-argument` unless 0 ≤ size ≤ the log's size.
    static func checkTreeSize(_ size: Int, _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard size >= 0 else {
            throw StoreError(code: .invalidArgument, message: "tree size is negative")
        }
        guard size <= (try await auditCount(connection, logger)) else {
            throw StoreError(code: .invalidArgument, message: "tree size exceeds the log")
        }
    }
}
