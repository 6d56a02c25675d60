import Audit
import GRDB

extension SQLiteStore {
    /// The Merkle frontier of the first `size` entries (the roots of the perfect subtrees covering
    /// them, largest first), read from the stored nodes: what an export starting at `size` carries
    /// so its verifier can recompute full-tree roots. `invalid-argument` when `size` exceeds the log.
    public func auditFrontier(size: Int) async throws(StoreError) -> MerkleFrontier {
        try await read("read audit frontier") { db in
            try Self.checkTreeSize(size, db)
            guard let frontier = MerkleFrontier(size: size, nodes: try AuditNodeReader(db: db).frontier(size: size)) else {
                throw StoreError(code: .storeUnavailable, message: "stored audit nodes do not form a frontier")
            }
            return frontier
        }
    }
}

extension AuditNodeReader {
    /// The roots of the perfect subtrees covering leaves 0..<size, largest first (one per set bit
    /// of `size`, popcount(size) reads).
    func frontier(size: Int) throws -> [MerkleHash] {
        var nodes: [MerkleHash] = []
        var position = 0
        for level in stride(from: Int.bitWidth - 2, through: 0, by: -1) where size & (1 << level) != 0 {
            nodes.append(try node(level: level, index: position >> level))
            position += 1 << level
        }
        return nodes
    }
}
