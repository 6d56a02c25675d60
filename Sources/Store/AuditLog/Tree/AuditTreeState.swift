import Audit

/// The size and root hash of the log's Merkle tree at one moment: what a tree head signs.
public struct AuditTreeState: Sendable, Hashable {
    /// Number of entries (leaves).
    public var size: Int
    /// MTH of those entries.
    public var rootHash: MerkleHash

    /// Creates a state.
    public init(size: Int, rootHash: MerkleHash) {
        self.size = size
        self.rootHash = rootHash
    }
}

/// One entry with everything an auditor needs to check it against a signed tree head.
public struct ProvenAuditEntry: Sendable, Hashable {
    /// The decoded entry.
    public var entry: AuditEntry
    /// The stored canonical text the leaf hash covers (hash this, not a re-encoding).
    public var canonicalText: String
    /// `SHA-256(0x00 ‖ canonicalText)`.
    public var leafHash: MerkleHash
    /// The audit path of the entry in the tree of `proof.treeSize` entries.
    public var proof: InclusionProof
    /// The root of that tree.
    public var rootHash: MerkleHash

    /// Creates a proven entry.
    public init(entry: AuditEntry, canonicalText: String, leafHash: MerkleHash, proof: InclusionProof, rootHash: MerkleHash) {
        self.entry = entry
        self.canonicalText = canonicalText
        self.leafHash = leafHash
        self.proof = proof
        self.rootHash = rootHash
    }
}
