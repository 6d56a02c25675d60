import Audit
import Foundation
import GRDB

/// Appends leaves to the stored tree: keeps the roots of the perfect subtrees covering the log
/// (the frontier) and stores each perfect subtree root the moment its last leaf arrives.
///
/// Appending a leaf writes one node per trailing 1 bit of its index (one on average) and hashes
/// as many, so maintaining the tree never revisits older leaves.
struct AuditNodeBuilder {
    private let db: Database
    private let insert: AuditInsertStatement
    /// Number of leaves covered.
    private(set) var size: Int
    /// Perfect subtree roots covering leaves 0..<size, largest first (one per set bit of size).
    private var frontier: [MerkleHash]

    /// Loads the frontier of a stored tree of `size` leaves (popcount(size) reads).
    init(_ db: Database, size: Int) throws {
        self.db = db
        self.size = size
        insert = try AuditInsertStatement(db, sql: "INSERT INTO audit_node (level, idx, hash) VALUES (?, ?, ?)")
        frontier = try AuditNodeReader(db: db).frontier(size: size)
    }

    /// Adds the leaf at index `size` and stores every perfect subtree it completes.
    mutating func append(_ leafHash: MerkleHash) throws {
        var hash = leafHash
        var index = size
        var level = 0
        while index & 1 == 1 {
            hash = MerkleHash.node(frontier.removeLast(), hash)
            index >>= 1
            level += 1
            try insert.execute { node in
                node.bind(1, level)
                node.bind(2, index)
                node.bind(3, blob: hash.bytes)
            }
        }
        frontier.append(hash)
        size += 1
    }
}
