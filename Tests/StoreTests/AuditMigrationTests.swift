import Audit
import Foundation
import GRDB
@testable import Store
import Testing

@Suite struct AuditMigrationTests {
    /// A database as the previous release left it: v1 schema and audit rows with text and leaf hash only.
    static func previousRelease(_ folder: TemporaryFolder, entries: [AuditEntry]) throws {
        let queue = try DatabaseQueue(path: folder.databasePath)
        try Schema.migrator.migrate(queue, upTo: "v1-audit")
        try queue.write { db in
            for entry in entries {
                let text = try entry.canonicalText()
                try db.execute(
                    sql: "INSERT INTO audit_entry (sequence, time_ms, kind, exchange_id, entry, leaf_hash) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [entry.sequence, entry.timeMilliseconds, entry.event.kind.rawValue, entry.event.exchangeId,
                                text, Data(MerkleHash.leaf(Array(text.utf8)).bytes)]
                )
            }
        }
        try queue.close()
    }

    static func entries(_ count: Int) -> [AuditEntry] {
        (0..<count).map { index in
            var event = AuditLogTests.event(index)
            if index % 3 == 0 {
                event.kind = .requestRejected
                event.status = 401
                event.problemType = "signature-invalid"
                event.consumer = "rop"
            }
            return AuditEntry(sequence: index, timeMilliseconds: 1_795_000_000_000 + Int64(index) * 1000, event: event)
        }
    }

    @Test func previousReleaseGetsNodesAndSearchColumns() async throws {
        let folder = try TemporaryFolder()
        let old = Self.entries(37)
        try Self.previousRelease(folder, entries: old)
        let store = try await SQLiteStore.open(folder)
        #expect(try await store.appliedMigrations() == SQLiteStore.allMigrations)

        let leaves = try old.map { try $0.leafHash() }
        #expect(try await store.auditRootHash(treeSize: 37) == MerkleTree.rootHash(leaves: leaves))
        for size in [1, 2, 16, 31, 37] {
            for index in [0, size / 2, size - 1] {
                #expect(try await store.auditInclusionProof(leafIndex: index, treeSize: size)
                    == MerkleTree.inclusionProof(leafIndex: index, leaves: Array(leaves[0..<size])))
            }
        }
        #expect(try await store.verifyAuditTree().isIntact)

        // Search columns were filled from the stored text.
        let rejected = try await store.searchAudit(AuditQuery(consumer: "rop", status: 401, problemType: "signature-invalid", limit: 100))
        #expect(rejected.entries == old.filter { $0.sequence % 3 == 0 }.reversed())
        let service = try await store.searchAudit(AuditQuery(service: "crc", serviceVersion: 1, operation: "POST /certificates", limit: 100))
        #expect(service.entries.count == 37)

        // New entries continue the tree the migration built.
        let more = try await store.appendAudit([AuditLogTests.event(37), AuditLogTests.event(38)])
        #expect(more.map(\.sequence) == [37, 38])
        let all = leaves + (try more.map { try $0.leafHash() })
        #expect(try await store.auditTreeState().rootHash == MerkleTree.rootHash(leaves: all))
        #expect(try await store.verifyAuditTree().isIntact)
        try await store.close()
    }

    @Test func previousReleaseWithAnEmptyLogMigrates() async throws {
        let folder = try TemporaryFolder()
        try Self.previousRelease(folder, entries: [])
        let store = try await SQLiteStore.open(folder)
        #expect(try await store.auditTreeState() == AuditTreeState(size: 0, rootHash: .emptyTree))
        #expect(try await store.appendAudit([AuditLogTests.event(0)]).map(\.sequence) == [0])
        try await store.close()
    }

    @Test func aGapInThePreviousLogStopsTheMigration() async throws {
        let folder = try TemporaryFolder()
        try Self.previousRelease(folder, entries: Self.entries(5).filter { $0.sequence != 2 })
        #expect(await storeErrorCode { _ = try await SQLiteStore.open(folder) } == .storeUnavailable)
    }
}

@Suite struct AuditQueryPlanTests {
    @Test func proofNodesAreLookedUpByPrimaryKeyNotScanned() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let sql = SQLiteStore.auditNodesQuery(count: 3)
        let plan = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [1, 0, 2, 1, 3, 0])
                .map { row in row["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING PRIMARY KEY") })
        #expect(!plan.contains { $0.hasPrefix("SCAN n") || $0.hasPrefix("SCAN audit_node") })
        try await store.close()
    }
}
