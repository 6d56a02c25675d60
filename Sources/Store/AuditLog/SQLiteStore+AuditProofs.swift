import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// The current size of the log and its root hash, read in one snapshot.
    public func auditTreeState() async throws(StoreError) -> AuditTreeState {
        try await read("read audit tree state") { db in
            let size = try Self.auditCount(db)
            return AuditTreeState(size: size, rootHash: try Self.auditRootHash(size: size, db))
        }
    }

    /// MTH of the first `treeSize` entries (RFC 9162 §2.1.1), from O(log n) stored nodes.
    ///
    /// `invalid-argument` when `treeSize` is negative or larger than the log.
    public func auditRootHash(treeSize: Int) async throws(StoreError) -> MerkleHash {
        try await read("compute audit root") { db in
            try Self.checkTreeSize(treeSize, db)
            return try Self.auditRootHash(size: treeSize, db)
        }
    }

    /// The inclusion proof of entry `leafIndex` in the tree of the first `treeSize` entries (§2.1.3).
    ///
    /// `invalid-argument` unless 0 ≤ leafIndex < treeSize ≤ the log's size.
    public func auditInclusionProof(leafIndex: Int, treeSize: Int) async throws(StoreError) -> InclusionProof {
        try await read("compute audit inclusion proof") { db in
            try Self.checkTreeSize(treeSize, db)
            guard leafIndex >= 0, leafIndex < treeSize else {
                throw StoreError(code: .invalidArgument, message: "leaf index is outside the tree")
            }
            return try Self.auditNodes(AuditNodeReader.plan { reader in
                try reader.inclusionProof(leafIndex: leafIndex, size: treeSize)
            }, db)
        }
    }

    /// The consistency proof from the tree of `first` entries to the tree of `second` entries (§2.1.4).
    ///
    /// `invalid-argument` unless 0 ≤ first ≤ second ≤ the log's size. Empty for first 0 or first = second.
    public func auditConsistencyProof(from first: Int, to second: Int) async throws(StoreError) -> ConsistencyProof {
        try await read("compute audit consistency proof") { db in
            try Self.checkTreeSize(second, db)
            guard first >= 0, first <= second else {
                throw StoreError(code: .invalidArgument, message: "first tree size exceeds the second")
            }
            return try Self.auditNodes(AuditNodeReader.plan { reader in try reader.consistencyProof(from: first, to: second) }, db)
        }
    }

    /// Entry `sequence` with its canonical text, leaf hash, inclusion proof and root, for the tree
    /// of `treeSize` entries (the current log when nil); nil when the entry is outside that tree.
    public func auditProvenEntry(sequence: Int, treeSize: Int? = nil) async throws(StoreError) -> ProvenAuditEntry? {
        try await read("read proven audit entry") { db in
            let size = try treeSize ?? Self.auditCount(db)
            try Self.checkTreeSize(size, db)
            guard sequence >= 0, sequence < size,
                  let row = try Row.fetchOne(db, sql: "SELECT entry, leaf_hash FROM audit_entry WHERE sequence = ?", arguments: [sequence])
            else { return nil }
            let text: String = row["entry"]
            return ProvenAuditEntry(
                entry: try AuditEntry(canonicalText: text), canonicalText: text,
                leafHash: try AuditNodeReader.hash(row["leaf_hash"]),
                proof: try Self.auditNodes(AuditNodeReader.plan { reader in try reader.inclusionProof(leafIndex: sequence, size: size) }, db),
                rootHash: try Self.auditRootHash(size: size, db)
            )
        }
    }

    /// MTH of the first `size` entries, from O(log n) nodes fetched in at most two queries.
    static func auditRootHash(size: Int, _ db: Database) throws -> MerkleHash {
        try auditNodes(AuditNodeReader.plan { reader in try reader.rootHash(size: size) }, db)
    }

    static func checkTreeSize(_ size: Int, _ db: Database) throws {
        guard size >= 0 else {
            throw StoreError(code: .invalidArgument, message: "tree size is negative")
        }
        guard size <= (try auditCount(db)) else {
            throw StoreError(code: .invalidArgument, message: "tree size exceeds the log")
        }
    }
}
