/// An RFC 9162 §2.1.3 inclusion proof: the audit path of one leaf in a tree of a given size.
public struct InclusionProof: Sendable, Hashable {
    /// Index of the leaf (the entry's sequence number).
    public var leafIndex: Int
    /// Size of the tree the proof is for.
    public var treeSize: Int
    /// Sibling hashes from the leaf upwards.
    public var path: [MerkleHash]

    /// Creates a proof from its parts.
    public init(leafIndex: Int, treeSize: Int, path: [MerkleHash]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.path = path
    }

    /// The root this proof leads to from `leafHash` (§2.1.3.2), or nil if the path has the wrong shape.
    public func rootHash(leafHash: MerkleHash) -> MerkleHash? {
        guard leafIndex >= 0, leafIndex < treeSize else { return nil }
        var fn = leafIndex
        var sn = treeSize - 1
        var hash = leafHash
        for sibling in path {
            if sn == 0 { return nil }
            if fn & 1 == 1 || fn == sn {
                hash = MerkleHash.node(sibling, hash)
                // Skip levels where this node has no right sibling: it is promoted unchanged.
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                hash = MerkleHash.node(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? hash : nil
    }

    /// Whether `leafHash` sits at `leafIndex` in the tree of `treeSize` whose root is `root`.
    public func verify(leafHash: MerkleHash, root: MerkleHash) -> Bool {
        rootHash(leafHash: leafHash) == root
    }
}
