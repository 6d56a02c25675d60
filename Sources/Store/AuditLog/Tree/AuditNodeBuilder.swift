import Audit

/// Appends leaves to a tree held as its frontier (the roots of the perfect subtrees covering the
/// log) and names each perfect subtree root the moment its last leaf arrives, for the engine to store.
///
/// Appending a leaf completes one node per trailing 1 bit of its index (one on average) and hashes
/// as many, so maintaining the tree never revisits older leaves. No I/O: each engine reads the
/// frontier (`AuditNodeReader.frontier(size:)`) and writes the completed nodes its own way.
struct AuditNodeBuilder {
    /// Number of leaves covered.
    private(set) var size: Int
    /// Perfect subtree roots covering leaves 0..<size, largest first (one per set bit of size).
    private var frontier: [MerkleHash]

    /// Starts from the frontier of a stored tree of `size` leaves.
    init(size: Int, frontier: [MerkleHash]) {
        self.size = size
        self.frontier = frontier
    }

    /// The root of the leaves appended so far.
    var rootHash: MerkleHash { AuditNodeReader.fold(frontier) }

    /// Adds the leaf at index `size` and hands every perfect subtree it completes to `store`,
    /// lowest level first.
    mutating func append(_ leafHash: MerkleHash, completing store: (AuditNode) throws -> Void) rethrows {
        var hash = leafHash
        var index = size
        var level = 0
        while index & 1 == 1 {
            hash = MerkleHash.node(frontier.removeLast(), hash)
            index >>= 1
            level += 1
            try store(AuditNode(position: AuditNodePosition(level: level, index: index), hash: hash))
        }
        frontier.append(hash)
        size += 1
    }
}

/// A perfect subtree: `level` (0 for a leaf) and its index at that level. The node at level L ≥ 1
/// and index i is the root over leaves [i·2^L, (i+1)·2^L).
struct AuditNodePosition: Hashable, Sendable {
    let level: Int
    let index: Int
}

/// A stored subtree root.
struct AuditNode: Hashable, Sendable {
    let position: AuditNodePosition
    let hash: MerkleHash
}
