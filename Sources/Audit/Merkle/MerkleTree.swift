/// RFC 9162 §2.1 Merkle tree computations over a list of leaf hashes, without I/O.
///
/// Proof generation follows the recursive definitions of §2.1.3.1 and §2.1.4.1 and costs O(n) hashing
/// per call; callers holding stored interior nodes can supply faster paths later with the same output.
public enum MerkleTree {
    /// MTH(D[n]): the root hash of the given leaf hashes; the empty-tree hash for none.
    public static func rootHash(leaves: some Collection<MerkleHash>) -> MerkleHash {
        var frontier = MerkleFrontier()
        for leaf in leaves {
            frontier.append(leaf)
        }
        return frontier.rootHash
    }

    /// PATH(m, D[n]): the inclusion proof of leaf `index` in the tree of all `leaves`; nil if out of range.
    public static func inclusionProof(leafIndex index: Int, leaves: [MerkleHash]) -> InclusionProof? {
        guard index >= 0, index < leaves.count else { return nil }
        var path: [MerkleHash] = []
        collectPath(index, leaves[...], into: &path)
        return InclusionProof(leafIndex: index, treeSize: leaves.count, path: path)
    }

    /// PROOF(m, D[n]): the consistency proof from the first `firstSize` leaves to all `leaves`; nil if m > n.
    public static func consistencyProof(firstSize: Int, leaves: [MerkleHash]) -> ConsistencyProof? {
        guard firstSize >= 0, firstSize <= leaves.count else { return nil }
        var path: [MerkleHash] = []
        // PROOF is defined for 0 < m < n; for m == 0 or m == n the proof is empty.
        if firstSize > 0, firstSize < leaves.count {
            collectSubproof(firstSize, leaves[...], complete: true, into: &path)
        }
        return ConsistencyProof(firstSize: firstSize, secondSize: leaves.count, path: path)
    }

    /// The largest power of two strictly less than `n` (n ≥ 2): the size of the left subtree.
    static func split(_ n: Int) -> Int {
        precondition(n >= 2)
        return 1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }

    /// Root of a contiguous slice of leaves.
    private static func root(_ leaves: ArraySlice<MerkleHash>) -> MerkleHash {
        rootHash(leaves: leaves)
    }

    private static func collectPath(_ m: Int, _ leaves: ArraySlice<MerkleHash>, into path: inout [MerkleHash]) {
        let n = leaves.count
        guard n > 1 else { return }
        let k = split(n)
        let start = leaves.startIndex
        if m < k {
            collectPath(m, leaves[start..<start + k], into: &path)
            path.append(root(leaves[(start + k)...]))
        } else {
            collectPath(m - k, leaves[(start + k)...], into: &path)
            path.append(root(leaves[start..<start + k]))
        }
    }

    private static func collectSubproof(
        _ m: Int, _ leaves: ArraySlice<MerkleHash>, complete: Bool, into path: inout [MerkleHash]
    ) {
        let n = leaves.count
        if m == n {
            if !complete { path.append(root(leaves)) }
            return
        }
        let k = split(n)
        let start = leaves.startIndex
        if m <= k {
            collectSubproof(m, leaves[start..<start + k], complete: complete, into: &path)
            path.append(root(leaves[(start + k)...]))
        } else {
            collectSubproof(m - k, leaves[(start + k)...], complete: false, into: &path)
            path.append(root(leaves[start..<start + k]))
        }
    }
}
