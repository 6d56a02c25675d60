import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// Recomputes the tree from the stored entry texts and compares it with what the store holds:
    /// each leaf hash, each stored node, and the root of every stored tree head.
    ///
    /// Streams the log in one read snapshot with O(log n) memory; stops at the first difference
    /// and names it. This is the live-database half of `rabt audit verify` (signatures on the heads
    /// are the verifier's business, not the store's).
    public func verifyAuditTree() async throws(StoreError) -> AuditTreeCheck {
        try await read("verify audit tree") { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT sequence, entry, leaf_hash FROM audit_entry ORDER BY sequence")
            // One ordered scan per level: the walk completes each level's nodes in index order.
            var levels: [RowCursor] = []
            var frontier: [MerkleHash] = []
            var size = 0
            var heads = try Row.fetchAll(db, sql: "SELECT size, root_hash FROM audit_tree_head ORDER BY size")
                .map { row in (size: row["size"] as Int, root: row["root_hash"] as Data) }[...]
            var headsChecked = 0
            func fail(_ failure: AuditTreeCheck.Failure) -> AuditTreeCheck {
                AuditTreeCheck(treeSize: size, rootHash: Self.fold(frontier), headsChecked: headsChecked, failure: failure)
            }
            // Heads are sorted by size: each is compared when the walk reaches its size.
            func checkHeads() -> AuditTreeCheck.Failure? {
                while let head = heads.first, head.size <= size {
                    heads.removeFirst()
                    headsChecked += 1
                    if head.size != size || head.root != Data(Self.fold(frontier).bytes) {
                        return .headMismatch(size: head.size)
                    }
                }
                return nil
            }
            while let row = try rows.next() {
                if let failure = checkHeads() { return fail(failure) }
                let sequence: Int = row["sequence"]
                guard sequence == size else { return fail(.missingEntry(sequence: size)) }
                let text: String = row["entry"]
                let bytes = Array(text.utf8)
                let leaf = MerkleHash.leaf(bytes)
                let stored: Data = row["leaf_hash"]
                guard stored == Data(leaf.bytes), AuditTextScanner.sequence(of: bytes) == sequence else {
                    return fail(.leafMismatch(sequence: sequence))
                }
                var hash = leaf
                var index = sequence
                var level = 0
                while index & 1 == 1 {
                    hash = MerkleHash.node(frontier.removeLast(), hash)
                    index >>= 1
                    level += 1
                    if levels.count < level {
                        levels.append(try Row.fetchCursor(
                            db, sql: "SELECT idx, hash FROM audit_node WHERE level = ? ORDER BY idx", arguments: [level]
                        ))
                    }
                    guard let node = try levels[level - 1].next(), node["idx"] as Int == index,
                          node["hash"] as Data == Data(hash.bytes)
                    else {
                        return fail(.nodeMismatch(level: level, index: index))
                    }
                }
                frontier.append(hash)
                size += 1
            }
            if let failure = checkHeads() { return fail(failure) }
            if let head = heads.first { return fail(.headMismatch(size: head.size)) }
            // Every node of the tree was compared above; any other row is not part of it.
            let expected = (1..<Int.bitWidth).reduce(0) { total, level in total + (size >> level) }
            let stored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_node") ?? 0
            if stored != expected { return fail(.extraNodes(count: stored - expected)) }
            return AuditTreeCheck(treeSize: size, rootHash: Self.fold(frontier), headsChecked: headsChecked, failure: nil)
        }
    }

    /// The root of a frontier (largest subtree first).
    private static func fold(_ frontier: [MerkleHash]) -> MerkleHash {
        guard var hash = frontier.last else { return .emptyTree }
        for node in frontier.dropLast().reversed() {
            hash = MerkleHash.node(node, hash)
        }
        return hash
    }
}
