/// An RFC 9162 §2.1.4 consistency proof: the tree of `secondSize` leaves extends the one of `firstSize`.
public struct ConsistencyProof: Sendable, Hashable {
    /// Size of the older tree.
    public var firstSize: Int
    /// Size of the newer tree.
    public var secondSize: Int
    /// The proof nodes.
    public var path: [MerkleHash]

    /// Creates a proof from its parts.
    public init(firstSize: Int, secondSize: Int, path: [MerkleHash]) {
        self.firstSize = firstSize
        self.secondSize = secondSize
        self.path = path
    }

    /// Whether the tree with root `firstRoot` is a prefix of the tree with root `secondRoot` (§2.1.4.2).
    ///
    /// Sizes 0 and equal sizes, which the RFC leaves outside PROOF, take an empty path: the empty
    /// tree precedes every tree, and a tree is consistent with itself only if the roots match.
    public func verify(firstRoot: MerkleHash, secondRoot: MerkleHash) -> Bool {
        guard firstSize >= 0, firstSize <= secondSize else { return false }
        if firstSize == 0 {
            return path.isEmpty && firstRoot == .emptyTree
        }
        if firstSize == secondSize {
            return path.isEmpty && firstRoot == secondRoot
        }
        guard !path.isEmpty else { return false }
        var nodes = path[...]
        // When the old tree is a perfect subtree its root is not in the path: it starts the walk.
        if firstSize & (firstSize - 1) == 0 {
            nodes = ([firstRoot] + path)[...]
        }
        var fn = firstSize - 1
        var sn = secondSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var firstHash = nodes.removeFirst()
        var secondHash = firstHash
        for node in nodes {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                firstHash = MerkleHash.node(node, firstHash)
                secondHash = MerkleHash.node(node, secondHash)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                secondHash = MerkleHash.node(secondHash, node)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && firstHash == firstRoot && secondHash == secondRoot
    }
}
