import Audit
import Foundation
import Store
import Testing

/// `verifyAuditTree` finds an intact log intact and names what someone with database access
/// changed, run against every available engine.
@Suite struct AuditVerificationConformanceTests {
    static let zero = [UInt8](repeating: 0, count: 32)

    @Test(arguments: StoreEngine.available)
    func intactLogVerifies(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, count: 21)
            try await store.saveTreeHead(StoredTreeHead(size: 8, rootHash: MerkleTree.rootHash(leaves: leaves[0..<8]), timestamp: Date(), note: "n8"))
            try await store.saveTreeHead(StoredTreeHead(size: 21, rootHash: MerkleTree.rootHash(leaves: leaves), timestamp: Date(), note: "n21"))
            let check = try await store.verifyAuditTree()
            #expect(check == AuditTreeCheck(treeSize: 21, rootHash: MerkleTree.rootHash(leaves: leaves), headsChecked: 2, failure: nil))
            #expect(check.isIntact)
        }
    }

    @Test(arguments: StoreEngine.available)
    func aLogLongerThanOneReadBatchVerifies(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, database async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, chunks: 5, of: 1000)
            for size in [0, 2047, 2048, 4097, 5000] {
                let root = MerkleTree.rootHash(leaves: leaves[0..<size])
                try await store.saveTreeHead(StoredTreeHead(size: size, rootHash: root, timestamp: Date(), note: "n"))
            }
            let check = try await store.verifyAuditTree()
            #expect(check == AuditTreeCheck(treeSize: 5000, rootHash: MerkleTree.rootHash(leaves: leaves), headsChecked: 5, failure: nil))
            // Node 11/1 is completed by leaf 4095, the last of the second read batch on PostgreSQL.
            try await database.tamper("UPDATE audit_node SET hash = \(database.blobLiteral(Self.zero)) WHERE level = 11 AND idx = 1")
            #expect(try await store.verifyAuditTree().failure == .nodeMismatch(level: 11, index: 1))
            try await database.tamper("UPDATE audit_tree_head SET root_hash = \(database.blobLiteral(Self.zero)) WHERE size = 2048")
            #expect(try await store.verifyAuditTree().failure == .headMismatch(size: 2048))
        }
    }

    @Test(arguments: StoreEngine.available)
    func editedEntryTextIsNamed(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, database async throws in
            _ = try await AuditLogConformanceTests.fill(store, count: 21)
            try await database.tamper("UPDATE audit_entry SET entry = replace(entry, '\"status\":200', '\"status\":201') WHERE sequence = 13")
            let check = try await store.verifyAuditTree()
            #expect(check.failure == .leafMismatch(sequence: 13))
            #expect(check.firstBadSequence == 13)
        }
    }

    @Test(arguments: StoreEngine.available)
    func rewrittenLeafHashIsCaughtByTheStoredNodes(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, database async throws in
            _ = try await AuditLogConformanceTests.fill(store, count: 21)
            // The attacker keeps text and leaf hash consistent; the level-1 node over 12 and 13 no longer matches.
            var forged = AuditLogTests.event(99)
            forged.status = 500
            let text = try AuditEntry(sequence: 13, timeMilliseconds: 0, event: forged).canonicalText()
            #expect(!text.contains("'"))
            let leaf = database.blobLiteral(MerkleHash.leaf(Array(text.utf8)).bytes)
            try await database.tamper("UPDATE audit_entry SET entry = '\(text)', leaf_hash = \(leaf) WHERE sequence = 13")
            let check = try await store.verifyAuditTree()
            #expect(check.failure == .nodeMismatch(level: 1, index: 6))
            #expect(check.firstBadSequence == 12)
        }
    }

    @Test(arguments: StoreEngine.available)
    func swappedEntriesAreCaught(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, database async throws in
            _ = try await AuditLogConformanceTests.fill(store, count: 8)
            // Texts name their own sequence: moving a row to another position is a leaf mismatch.
            try await database.tamper("UPDATE audit_entry SET sequence = 100 WHERE sequence = 3")
            try await database.tamper("UPDATE audit_entry SET sequence = 3 WHERE sequence = 2")
            try await database.tamper("UPDATE audit_entry SET sequence = 2 WHERE sequence = 100")
            #expect(try await store.verifyAuditTree().failure == .leafMismatch(sequence: 2))
        }
    }

    @Test(arguments: StoreEngine.available)
    func deletedEntryNodeAndForgedHeadAreNamed(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, database async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, count: 16)
            try await store.saveTreeHead(StoredTreeHead(size: 16, rootHash: MerkleTree.rootHash(leaves: leaves), timestamp: Date(), note: "n"))
            try await database.tamper("UPDATE audit_tree_head SET root_hash = \(database.blobLiteral(Self.zero)) WHERE size = 16")
            #expect(try await store.verifyAuditTree().failure == .headMismatch(size: 16))

            try await database.tamper("UPDATE audit_node SET hash = \(database.blobLiteral(Self.zero)) WHERE level = 2 AND idx = 1")
            let node = try await store.verifyAuditTree()
            #expect(node.failure == .nodeMismatch(level: 2, index: 1))
            #expect(node.firstBadSequence == 4)

            try await database.tamper("DELETE FROM audit_entry WHERE sequence = 3")
            #expect(try await store.verifyAuditTree().failure == .missingEntry(sequence: 3))
        }
    }

    @Test(arguments: StoreEngine.available)
    func strayNodesAndHeadsBeyondTheLogAreReported(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, database async throws in
            _ = try await AuditLogConformanceTests.fill(store, count: 5)
            try await database.tamper("INSERT INTO audit_node (level, idx, hash) VALUES (3, 7, \(database.blobLiteral(Self.zero)))")
            #expect(try await store.verifyAuditTree().failure == .extraNodes(count: 1))
            try await database.tamper(
                "INSERT INTO audit_tree_head (size, root_hash, timestamp_ms, note) VALUES (9, \(database.blobLiteral(Self.zero)), 0, 'n')"
            )
            #expect(try await store.verifyAuditTree().failure == .headMismatch(size: 9))
        }
    }
}
