/// An append-only Merkle tree kept as the roots of its perfect subtrees (a compact range from 0).
///
/// Holds at most log2(n)+1 hashes; appending a leaf costs O(log n) node hashes and never revisits
/// older leaves, so the log can keep its current root in memory as it grows.
public struct MerkleFrontier: Sendable, Hashable {
    /// Number of leaves appended so far.
    public private(set) var size: Int
    /// Roots of the perfect subtrees covering leaves 0..<size, largest (leftmost) first;
    /// one per set bit of `size`.
    public private(set) var nodes: [MerkleHash]

    /// An empty tree.
    public init() {
        self.size = 0
        self.nodes = []
    }

    /// Restores a frontier saved earlier; nil unless `nodes` has one hash per set bit of `size`.
    public init?(size: Int, nodes: [MerkleHash]) {
        guard size >= 0, nodes.count == size.nonzeroBitCount else { return nil }
        self.size = size
        self.nodes = nodes
    }

    /// Appends one leaf hash.
    public mutating func append(_ leafHash: MerkleHash) {
        var hash = leafHash
        var remaining = size
        // Each trailing 1 bit of the old size is a perfect subtree of the same height: merge it.
        while remaining & 1 == 1 {
            hash = MerkleHash.node(nodes.removeLast(), hash)
            remaining >>= 1
        }
        nodes.append(hash)
        size += 1
    }

    /// MTH of the leaves appended so far.
    public var rootHash: MerkleHash {
        guard var hash = nodes.last else { return .emptyTree }
        for node in nodes.dropLast().reversed() {
            hash = MerkleHash.node(node, hash)
        }
        return hash
    }
}
