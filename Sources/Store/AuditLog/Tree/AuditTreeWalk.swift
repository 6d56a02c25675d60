import Audit
import Foundation

/// The engine-independent half of `verifyAuditTree`: recomputes the tree from the stored entry
/// texts as they stream past, in sequence order, and compares each leaf hash, each stored node and
/// each stored tree head with it. Holds O(log n) hashes; the engine only fetches rows.
struct AuditTreeWalk {
    /// A stored tree head: its size and root column.
    typealias Head = (size: Int, root: Data)

    private var tree = AuditNodeBuilder(size: 0, frontier: [])
    private var headsChecked = 0

    /// Entries walked so far.
    var size: Int { tree.size }

    /// Compares the heads (sorted by size) whose size the walk has reached, removing them.
    mutating func checkHeads(_ heads: inout ArraySlice<Head>) -> AuditTreeCheck.Failure? {
        while let head = heads.first, head.size <= size {
            heads.removeFirst()
            headsChecked += 1
            if head.size != size || head.root != Data(tree.rootHash.bytes) {
                return .headMismatch(size: head.size)
            }
        }
        return nil
    }

    /// Walks the next stored entry row; `storedNode(level)` answers the next stored node of
    /// `level` in index order (nil when there is none), and is asked for a level once the walk
    /// completes a node there, level 1 before level 2 and so on.
    mutating func append(
        sequence: Int, text: [UInt8], leafHash: Data, storedNode: (Int) throws -> (index: Int, hash: Data)?
    ) throws -> AuditTreeCheck.Failure? {
        guard sequence == size else { return .missingEntry(sequence: size) }
        let leaf = MerkleHash.leaf(text)
        guard leafHash == Data(leaf.bytes), AuditTextScanner.sequence(of: text) == sequence else {
            return .leafMismatch(sequence: sequence)
        }
        do {
            try tree.append(leaf) { node in
                let position = node.position
                guard let stored = try storedNode(position.level), stored.index == position.index,
                      stored.hash == Data(node.hash.bytes)
                else { throw Mismatch(position: position) }
            }
        } catch let mismatch as Mismatch {
            return .nodeMismatch(level: mismatch.position.level, index: mismatch.position.index)
        }
        return nil
    }

    /// Ends the walk: `heads` holds the stored heads of a size at least the log's (the first two
    /// suffice), `storedNodes` counts the rows of the node table (asked only when the heads match).
    mutating func finish(heads: inout ArraySlice<Head>, storedNodes: () throws -> Int) rethrows -> AuditTreeCheck {
        if let failure = checkHeads(&heads) { return result(failure) }
        if let head = heads.first { return result(.headMismatch(size: head.size)) }
        // Every node of the tree was compared on the way; any other row is not part of it.
        let expected = (1..<Int.bitWidth).reduce(0) { total, level in total + (size >> level) }
        let stored = try storedNodes()
        if stored != expected { return result(.extraNodes(count: stored - expected)) }
        return result(nil)
    }

    /// The outcome so far, with `failure`.
    func result(_ failure: AuditTreeCheck.Failure?) -> AuditTreeCheck {
        AuditTreeCheck(treeSize: size, rootHash: tree.rootHash, headsChecked: headsChecked, failure: failure)
    }

    private struct Mismatch: Error {
        let position: AuditNodePosition
    }
}
