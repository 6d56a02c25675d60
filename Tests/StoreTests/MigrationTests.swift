import Foundation
import GRDB
@testable import Store
import Testing

@Suite struct MigrationTests {
    @Test func freshFileGetsAllMigrationsInWALMode() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        #expect(try await store.appliedMigrations() == SQLiteStore.allMigrations)
        try await store.close()
        // SQLite header bytes 18 and 19 (write/read format versions) are 2 in WAL mode.
        let header = try Array(Data(contentsOf: URL(fileURLWithPath: folder.databasePath)).prefix(20))
        #expect(header[18] == 2 && header[19] == 2)
    }

    @Test func commitsAreFlushedUnlessConfiguredOtherwise() async throws {
        let folder = try TemporaryFolder()
        let durable = try await SQLiteStore(path: folder.databasePath)
        #expect(try await durable.writerSynchronousMode() == 2)
        try await durable.close()
        let fast = try await SQLiteStore(path: folder.databasePath, configuration: .init(flushEveryCommit: false))
        #expect(try await fast.writerSynchronousMode() == 1)
        try await fast.close()
    }

    @Test func reopeningKeepsDataAndMigrations() async throws {
        let folder = try TemporaryFolder()
        let first = try await SQLiteStore.open(folder)
        try await first.addAgency(Agency(id: "moj", name: "Ministry of Justice"))
        try await first.close()
        let second = try await SQLiteStore.open(folder)
        #expect(try await second.appliedMigrations() == SQLiteStore.allMigrations)
        #expect(try await second.agency(id: "moj")?.name == "Ministry of Justice")
        try await second.close()
    }

    @Test func idempotencyOutcomesKeptBeforeTheBodyFormReadBackInClear() async throws {
        let folder = try TemporaryFolder()
        let queue = try DatabaseQueue(path: folder.databasePath)
        try Schema.migrator.migrate(queue, upTo: "v4-idempotency")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO idempotency_key (consumer, scope, key, request_digest, exchange_id, completed, status, headers, body,
                    created_at, expires_at) VALUES ('mol', 's', 'k', 'd', 'ex-1', 1, 201, '[]', X'7B7D', 0, 9999999999999)
                """)
        }
        try queue.close()
        let store = try await SQLiteStore.open(folder)
        let record = try #require(try await store.idempotencyRecord(consumer: "mol", scope: "s", key: "k"))
        #expect(record.bodyForm == .clear && record.body == Array("{}".utf8))
        try await store.close()
    }

    @Test func readOnlyOpenOfAnUnmigratedFileFails() async throws {
        let folder = try TemporaryFolder()
        #expect(await storeErrorCode { _ = try await SQLiteStore.open(folder, readOnly: true) } == .storeUnavailable)
    }

    @Test func closedStoreAnswersStoreUnavailable() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.close()
        #expect(await storeErrorCode { _ = try await store.agencies() } == .storeUnavailable)
    }

    @Test func errorsNeverCarrySQLArguments() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.addAgency(Agency(id: "secret-agency-id", name: "n"))
        do {
            try await store.addAgency(Agency(id: "secret-agency-id", name: "n"))
            Issue.record("duplicate accepted")
        } catch {
            #expect(error.code == .conflict)
            #expect(!error.description.contains("secret-agency-id"))
            #expect(!String(describing: error.cause as Any).contains("secret-agency-id"))
        }
        try await store.close()
    }
}
