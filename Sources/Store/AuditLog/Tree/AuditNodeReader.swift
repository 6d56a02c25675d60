import Audit
import Foundation

/// Derives roots, RFC 9162 proofs and frontiers for any tree size from stored Merkle nodes.
///
/// Every subtree a proof names is either perfect (one stored node) or the right edge of the tree,
/// which folds at most log2(n) stored perfect nodes, so a root or a proof needs O(log n) nodes
/// instead of every leaf. No I/O: a computation is first planned (`plan`), which lists the nodes
/// it needs (the recursion's shape depends on sizes only, never on hash values); the engine
/// fetches those nodes however it likes, then `Plan.run` computes with them. Callers check that
/// `size` does not exceed the log.
struct AuditNodeReader {
    /// The positions a planning run asks for, in order (a reference, so the run can fill it).
    private final class Requests {
        var positions: [AuditNodePosition] = []
        var seen: Set<AuditNodePosition> = []
    }

    /// Where node hashes come from.
    private enum Source {
        /// Record the positions and answer a placeholder (the planning run).
        case planning(Requests)
        /// Nodes fetched beforehand.
        case fetched([AuditNodePosition: MerkleHash])
    }

    private let source: Source

    /// A computation together with the nodes it needs.
    struct Plan<Value> {
        /// The nodes to fetch, each once, in the order the computation first asks for them.
        let positions: [AuditNodePosition]
        private let body: (AuditNodeReader) throws -> Value

        fileprivate init(positions: [AuditNodePosition], body: @escaping (AuditNodeReader) throws -> Value) {
            self.positions = positions
            self.body = body
        }

        /// Computes with the fetched nodes; `store-unavailable` when one of `positions` is missing.
        func run(_ nodes: [AuditNodePosition: MerkleHash]) throws -> Value {
            try body(AuditNodeReader(source: .fetched(nodes)))
        }
    }

    /// Plans `body`: runs it once with placeholders to learn which nodes it needs.
    static func plan<Value>(_ body: @escaping (AuditNodeReader) throws -> Value) throws -> Plan<Value> {
        let requests = Requests()
        _ = try body(AuditNodeReader(source: .planning(requests)))
        return Plan(positions: requests.positions, body: body)
    }

    /// The hash of the perfect subtree at `level`, `index` (level 0: the leaf hash).
    func node(level: Int, index: Int) throws -> MerkleHash {
        let position = AuditNodePosition(level: level, index: index)
        switch source {
        case .planning(let requests):
            if requests.seen.insert(position).inserted { requests.positions.append(position) }
            return .emptyTree
        case .fetched(let nodes):
            guard let hash = nodes[position] else {
                throw StoreError(code: .storeUnavailable, message: "audit tree node \(level)/\(index) is missing")
            }
            return hash
        }
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

    /// The roots of the perfect subtrees covering leaves 0..<size, largest first (one per set bit
    /// of `size`).
    func frontier(size: Int) throws -> [MerkleHash] {
        var nodes: [MerkleHash] = []
        var position = 0
        for level in stride(from: Int.bitWidth - 2, through: 0, by: -1) where size & (1 << level) != 0 {
            nodes.append(try node(level: level, index: position >> level))
            position += 1 << level
        }
        return nodes
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

    /// The root of a frontier (largest subtree first).
    static func fold(_ frontier: [MerkleHash]) -> MerkleHash {
        guard var hash = frontier.last else { return .emptyTree }
        for node in frontier.dropLast().reversed() {
            hash = MerkleHash.node(node, hash)
        }
        return hash
    }

    /// A stored 32-byte hash column.
    static func hash(_ data: Data?) throws -> MerkleHash {
        guard let data, let hash = MerkleHash(bytes: data) else {
            throw StoreError(code: .storeUnavailable, message: "stored audit hash is not 32 bytes")
        }
        return hash
    }
}
