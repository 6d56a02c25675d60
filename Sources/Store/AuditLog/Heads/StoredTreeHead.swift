import Audit
import Foundation

/// A signed tree head as the store keeps it: size, root, time and the signed note.
///
/// `note` is the signed checkpoint text; the store never parses it, it only checks that `size`
/// and `rootHash` match its own tree before keeping the head.
public struct StoredTreeHead: Sendable, Hashable {
    /// Tree size the head commits to.
    public var size: Int
    /// MTH of the first `size` entries.
    public var rootHash: MerkleHash
    /// When the head was signed (stored to the millisecond).
    public var timestamp: Date
    /// The signed note (e.g. a C2SP checkpoint with its signature lines), opaque to the store.
    public var note: String

    /// Creates a head.
    public init(size: Int, rootHash: MerkleHash, timestamp: Date, note: String) {
        self.size = size
        self.rootHash = rootHash
        self.timestamp = timestamp
        self.note = note
    }
}

extension StoredTreeHead {
    /// A head older than a stored smaller head, or newer than a stored larger one: two nodes
    /// signed at once and the other one stored first.
    static let outOfTimeOrder = StoreError(
        code: .conflict, message: "a tree head of another size is out of time order with this one; sign the tree again"
    )
}
