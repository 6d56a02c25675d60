import Audit
import Foundation
import GRDB
import Store
import Testing

@Suite struct AuditVerificationTests {
    static func store(_ folder: TemporaryFolder, count: Int) async throws -> (SQLiteStore, [MerkleHash]) {
        let store = try await SQLiteStore.open(folder)
        let leaves = try await AuditTreeTests.fill(store, count: count)
        return (store, leaves)
    }

    @Test func intactLogVerifies() async throws {
        let folder = try TemporaryFolder()
        let (store, leaves) = try await Self.store(folder, count: 21)
        try await store.saveTreeHead(StoredTreeHead(size: 8, rootHash: MerkleTree.rootHash(leaves: leaves[0..<8]), timestamp: Date(), note: "n8"))
        try await store.saveTreeHead(StoredTreeHead(size: 21, rootHash: MerkleTree.rootHash(leaves: leaves), timestamp: Date(), note: "n21"))
        let check = try await store.verifyAuditTree()
        #expect(check == AuditTreeCheck(treeSize: 21, rootHash: MerkleTree.rootHash(leaves: leaves), headsChecked: 2, failure: nil))
        #expect(check.isIntact)
        try await store.close()
    }

    @Test func editedEntryTextIsNamed() async throws {
        let folder = try TemporaryFolder()
        let (store, _) = try await Self.store(folder, count: 21)
        try await store.tamper("UPDATE audit_entry SET entry = replace(entry, '\"status\":200', '\"status\":201') WHERE sequence = 13")
        let check = try await store.verifyAuditTree()
        #expect(check.failure == .leafMismatch(sequence: 13))
        #expect(check.firstBadSequence == 13)
        try await store.close()
    }

    @Test func rewrittenLeafHashIsCaughtByTheStoredNodes() async throws {
        let folder = try TemporaryFolder()
        let (store, _) = try await Self.store(folder, count: 21)
        // The attacker keeps text and leaf hash consistent; the level-1 node over 12 and 13 no longer matches.
        var forged = AuditLogTests.event(99)
        forged.status = 500
        let text = try AuditEntry(sequence: 13, timeMilliseconds: 0, event: forged).canonicalText()
        try await store.tamper(
            "UPDATE audit_entry SET entry = ?, leaf_hash = ? WHERE sequence = 13",
            [text, Data(MerkleHash.leaf(Array(text.utf8)).bytes)]
        )
        let check = try await store.verifyAuditTree()
        #expect(check.failure == .nodeMismatch(level: 1, index: 6))
        #expect(check.firstBadSequence == 12)
        try await store.close()
    }

    @Test func swappedEntriesAreCaught() async throws {
        let folder = try TemporaryFolder()
        let (store, _) = try await Self.store(folder, count: 8)
        // Texts name their own sequence: moving a row to another position is a leaf mismatch.
        try await store.tamper("UPDATE audit_entry SET sequence = 100 WHERE sequence = 3")
        try await store.tamper("UPDATE audit_entry SET sequence = 3 WHERE sequence = 2")
        try await store.tamper("UPDATE audit_entry SET sequence = 2 WHERE sequence = 100")
        #expect(try await store.verifyAuditTree().failure == .leafMismatch(sequence: 2))
        try await store.close()
    }

    @Test func deletedEntryNodeAndForgedHeadAreNamed() async throws {
        let folder = try TemporaryFolder()
        let (store, leaves) = try await Self.store(folder, count: 16)
        try await store.saveTreeHead(StoredTreeHead(size: 16, rootHash: MerkleTree.rootHash(leaves: leaves), timestamp: Date(), note: "n"))
        try await store.tamper("UPDATE audit_tree_head SET root_hash = zeroblob(32) WHERE size = 16")
        #expect(try await store.verifyAuditTree().failure == .headMismatch(size: 16))

        try await store.tamper("UPDATE audit_node SET hash = zeroblob(32) WHERE level = 2 AND idx = 1")
        let node = try await store.verifyAuditTree()
        #expect(node.failure == .nodeMismatch(level: 2, index: 1))
        #expect(node.firstBadSequence == 4)

        try await store.tamper("DELETE FROM audit_entry WHERE sequence = 3")
        #expect(try await store.verifyAuditTree().failure == .missingEntry(sequence: 3))
        try await store.close()
    }

    @Test func strayNodesAreReported() async throws {
        let folder = try TemporaryFolder()
        let (store, _) = try await Self.store(folder, count: 5)
        try await store.tamper("INSERT INTO audit_node (level, idx, hash) VALUES (3, 7, zeroblob(32))")
        #expect(try await store.verifyAuditTree().failure == .extraNodes(count: 1))
        try await store.close()
    }
}
