import Audit

/// The outcome of recomputing the stored tree from the stored entry texts.
public struct AuditTreeCheck: Sendable, Hashable {
    /// The first inconsistency found.
    public enum Failure: Sendable, Hashable, CustomStringConvertible {
        /// No entry has this sequence, though later ones exist.
        case missingEntry(sequence: Int)
        /// The entry's text no longer hashes to its stored leaf hash, or names another sequence.
        case leafMismatch(sequence: Int)
        /// A stored node differs from the one recomputed from the texts, or is missing.
        case nodeMismatch(level: Int, index: Int)
        /// The store holds nodes beyond the tree (count of unexpected rows).
        case extraNodes(count: Int)
        /// A stored tree head's root differs from the recomputed root at its size, or its size exceeds the log.
        case headMismatch(size: Int)

        /// A short description naming the position.
        public var description: String {
            switch self {
            case .missingEntry(let sequence): "entry \(sequence) is missing"
            case .leafMismatch(let sequence): "entry \(sequence) does not match its leaf hash"
            case .nodeMismatch(let level, let index): "tree node \(level)/\(index) does not match its entries"
            case .extraNodes(let count): "\(count) tree nodes lie outside the log"
            case .headMismatch(let size): "tree head of size \(size) does not match the log"
            }
        }
    }

    /// Entries examined (the log's size).
    public var treeSize: Int
    /// The root recomputed from the texts.
    public var rootHash: MerkleHash
    /// Stored tree heads compared with the recomputed roots.
    public var headsChecked: Int
    /// The first inconsistency, nil when the store is intact.
    public var failure: Failure?

    /// Creates a check result.
    public init(treeSize: Int, rootHash: MerkleHash, headsChecked: Int, failure: Failure?) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.headsChecked = headsChecked
        self.failure = failure
    }

    /// Whether nothing was found wrong.
    public var isIntact: Bool { failure == nil }

    /// The lowest entry sequence the failure implicates (a node implicates the first of its leaves).
    public var firstBadSequence: Int? {
        switch failure {
        case .missingEntry(let sequence), .leafMismatch(let sequence): sequence
        case .nodeMismatch(let level, let index): index << level
        case .headMismatch, .extraNodes, nil: nil
        }
    }
}
