import Audit
import Foundation
import GRDB

/// Reads stored Merkle nodes and derives roots and RFC 9162 proofs for any tree size from them.
///
/// Every subtree a proof names is either perfect (one stored node) or the right edge of the tree,
/// which folds at most log2(n) stored perfect nodes, so a root or a proof reads O(log n) rows
/// instead of hashing every leaf. Callers check that `size` does not exceed the log.
struct AuditNodeReader {
    /// A perfect subtree: `level` (0 for a leaf) and its index at that level.
    struct NodePosition: Hashable {
        let level: Int
        let index: Int
    }

    /// The positions a computation asks for, in order (a reference, so a planning run can fill it).
    final class NodeRequests {
        var positions: [NodePosition] = []
        var seen: Set<NodePosition> = []
    }

    /// Where node hashes come from.
    enum Source {
        /// One query per node.
        case database
        /// Record the positions and answer a placeholder (the planning run).
        case planning(NodeRequests)
        /// Nodes fetched beforehand.
        case fetched([NodePosition: MerkleHash])
    }

    let db: Database
    let source: Source

    init(db: Database, source: Source = .database) {
        self.db = db
        self.source = source
    }

    /// The hash stored for the perfect subtree at `level`, `index` (level 0: the leaf hash).
    func node(level: Int, index: Int) throws -> MerkleHash {
        switch source {
        case .database:
            break
        case .planning(let requests):
            let position = NodePosition(level: level, index: index)
            if requests.seen.insert(position).inserted { requests.positions.append(position) }
            return .emptyTree
        case .fetched(let nodes):
            guard let hash = nodes[NodePosition(level: level, index: index)] else {
                throw StoreError(code: .storeUnavailable, message: "audit tree node \(level)/\(index) is missing")
            }
            return hash
        }
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
        try prefetched { reader in try reader.root(start: 0, count: size) }
    }

    /// PATH(m, D[n]) (RFC 9162 §2.1.3.1) for `leafIndex` < `size`.
    func inclusionProof(leafIndex: Int, size: Int) throws -> InclusionProof {
        try prefetched { reader in
            var path: [MerkleHash] = []
            try reader.collectPath(leafIndex, start: 0, count: size, into: &path)
            return InclusionProof(leafIndex: leafIndex, treeSize: size, path: path)
        }
    }

    /// PROOF(m, D[n]) (RFC 9162 §2.1.4.1); empty for m = 0 and m = n, as `MerkleTree` does.
    func consistencyProof(from first: Int, to second: Int) throws -> ConsistencyProof {
        try prefetched { reader in
            var path: [MerkleHash] = []
            if first > 0, first < second {
                try reader.collectSubproof(first, start: 0, count: second, complete: true, into: &path)
            }
            return ConsistencyProof(firstSize: first, secondSize: second, path: path)
        }
    }

    /// Runs `body` twice: once to learn which nodes it needs (the recursion's shape depends on
    /// sizes only, never on hash values), then with those nodes fetched in two queries instead
    /// of one query per node.
    private func prefetched<T>(_ body: (AuditNodeReader) throws -> T) throws -> T {
        let planner = AuditNodeReader(db: db, source: .planning(NodeRequests()))
        _ = try body(planner)
        guard case .planning(let requests) = planner.source else { return try body(self) }
        var nodes: [NodePosition: MerkleHash] = [:]
        let leaves = requests.positions.filter { $0.level == 0 }.map(\.index)
        if !leaves.isEmpty {
            let marks = Array(repeating: "?", count: leaves.count).joined(separator: ",")
            // Cached per placeholder count: a proof needs at most a few dozen distinct shapes.
            let statement = try db.cachedStatement(sql: "SELECT sequence, leaf_hash FROM audit_entry WHERE sequence IN (\(marks))")
            for row in try Row.fetchAll(statement, arguments: StatementArguments(leaves)) {
                nodes[NodePosition(level: 0, index: row["sequence"])] = try Self.hash(row["leaf_hash"])
            }
        }
        let inner = requests.positions.filter { $0.level > 0 }
        if !inner.isEmpty {
            let arguments = StatementArguments(inner.flatMap { [$0.level, $0.index] })
            for row in try Row.fetchAll(db.cachedStatement(sql: Self.nodesQuery(count: inner.count)), arguments: arguments) {
                nodes[NodePosition(level: row["level"], index: row["idx"])] = try Self.hash(row["hash"])
            }
        }
        return try body(AuditNodeReader(db: db, source: .fetched(nodes)))
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

    /// Fetches `count` nodes given as (level, idx) argument pairs.
    ///
    /// A join, not `(level, idx) IN (VALUES …)`, which SQLite answers with a full table scan.
    static func nodesQuery(count: Int) -> String {
        let marks = Array(repeating: "(?,?)", count: count).joined(separator: ",")
        return """
            SELECT n.level, n.idx, n.hash FROM (VALUES \(marks)) AS wanted
            JOIN audit_node AS n ON n.level = wanted.column1 AND n.idx = wanted.column2
            """
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
