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
            func storedNode(_ level: Int) throws -> (index: Int, hash: Data)? {
                if levels.count < level {
                    levels.append(try Row.fetchCursor(
                        db, sql: "SELECT idx, hash FROM audit_node WHERE level = ? ORDER BY idx", arguments: [level]
                    ))
                }
                return try levels[level - 1].next().map { node in (index: node["idx"] as Int, hash: node["hash"] as Data) }
            }
            var walk = AuditTreeWalk()
            var heads = try Row.fetchAll(db, sql: "SELECT size, root_hash FROM audit_tree_head ORDER BY size")
                .map { row in (size: row["size"] as Int, root: row["root_hash"] as Data) }[...]
            while let row = try rows.next() {
                if let failure = walk.checkHeads(&heads) { return walk.result(failure) }
                let text: String = row["entry"]
                if let failure = try walk.append(
                    sequence: row["sequence"], text: Array(text.utf8), leafHash: row["leaf_hash"], storedNode: storedNode
                ) {
                    return walk.result(failure)
                }
            }
            return try walk.finish(heads: &heads) { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_node") ?? 0 }
        }
    }
}
