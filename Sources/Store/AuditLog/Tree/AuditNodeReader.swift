import Audit
import Foundation
import GRDB

/// Reads stored Merkle nodes and derives roots and RFC 9162 proofs for any tree size from them.
///
/// Every subtree a proof names is either perfect (one stored node) or the right edge of the tree,
/// which folds at most log2(n) stored perfect nodes, so a root or a proof reads O(log n) rows
/// instead of hashing every leaf. Callers check that `size` does not exceed the log.
struct AuditNodeReader {
    let db: Database

    /// The hash stored for the perfect subtree at `level`, `index` (level 0: the leaf hash).
    func node(level: Int, index: Int) throws -> MerkleHash {
        let data: Data?
        if level == 0 {
            data = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT leaf_hash FROM audit_entry WHERE sequence = ?"), arguments: [index]
            )
        } else {
            data = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT hash FROM audit_node WHERE level = ? AND idx = ?"), arguments: [level, index]
            )
        }
        guard let data else {
            throw StoreError(code: .storeUnavailable, message: "audit tree node \(level)/\(index) is missing")
        }
        return try Self.hash(data)
    }

    /// The root of the `count` leaves starting at `start`, where `start` is aligned to every
    /// power of two in `count` (true of every subtree RFC 9162 recursion produces).
    func root(start: Int, count: Int) throws -> MerkleHash {
        guard count > 0 else { return .emptyTree }
        var chunks: [MerkleHash] = []
        var position = start
        for level in stride(from: Int.bitWidth - 1 - count.leadingZeroBitCount, through: 0, by: -1)
        where count & (1 << level) != 0 {
            guard position & ((1 << level) - 1) == 0 else {
                throw StoreError(code: .invalidArgument, message: "subtree is not aligned")
            }
            chunks.append(try node(level: level, index: position >> level))
            position += 1 << level
        }
        var hash = chunks.removeLast()
        for chunk in chunks.reversed() {
            hash = MerkleHash.node(chunk, hash)
        }
        return hash
    }

    /// MTH of the first `size` leaves.
    func rootHash(size: Int) throws -> MerkleHash {
        try root(start: 0, count: size)
    }

    /// PATH(m, D[n]) (RFC 9162 §2.1.3.1) for `leafIndex` < `size`.
    func inclusionProof(leafIndex: Int, size: Int) throws -> InclusionProof {
        var path: [MerkleHash] = []
        try collectPath(leafIndex, start: 0, count: size, into: &path)
        return InclusionProof(leafIndex: leafIndex, treeSize: size, path: path)
    }

    /// PROOF(m, D[n]) (RFC 9162 §2.1.4.1); empty for m = 0 and m = n, as `MerkleTree` does.
    func consistencyProof(from first: Int, to second: Int) throws -> ConsistencyProof {
        var path: [MerkleHash] = []
        if first > 0, first < second {
            try collectSubproof(first, start: 0, count: second, complete: true, into: &path)
        }
        return ConsistencyProof(firstSize: first, secondSize: second, path: path)
    }

    private func collectPath(_ m: Int, start: Int, count: Int, into path: inout [MerkleHash]) throws {
        guard count > 1 else { return }
        let k = Self.split(count)
        if m < k {
            try collectPath(m, start: start, count: k, into: &path)
            path.append(try root(start: start + k, count: count - k))
        } else {
            try collectPath(m - k, start: start + k, count: count - k, into: &path)
            path.append(try root(start: start, count: k))
        }
    }

    private func collectSubproof(
        _ m: Int, start: Int, count: Int, complete: Bool, into path: inout [MerkleHash]
    ) throws {
        if m == count {
            if !complete { path.append(try root(start: start, count: count)) }
            return
        }
        let k = Self.split(count)
        if m <= k {
            try collectSubproof(m, start: start, count: k, complete: complete, into: &path)
            path.append(try root(start: start + k, count: count - k))
        } else {
            try collectSubproof(m - k, start: start + k, count: count - k, complete: false, into: &path)
            path.append(try root(start: start, count: k))
        }
    }

    /// The largest power of two strictly less than `n` (n ≥ 2).
    static func split(_ n: Int) -> Int {
        1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }

    /// A stored 32-byte hash column.
    static func hash(_ data: Data?) throws -> MerkleHash {
        guard let data, let hash = MerkleHash(bytes: data) else {
            throw StoreError(code: .storeUnavailable, message: "stored audit hash is not 32 bytes")
        }
        return hash
    }
}
