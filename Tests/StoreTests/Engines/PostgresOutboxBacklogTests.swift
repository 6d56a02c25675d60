import Foundation
import PostgresNIO
import PostgresTestSupport
import Store
import Testing

/// The PostgreSQL outbox under a large backlog, written in one statement (the SQLite twin is in
/// `OutboxTests`).
@Suite struct PostgresOutboxBacklogTests {
    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func aClaimAmongTwentyThousandWaitingMessagesTakesTheOldestDueOnes(engine: StoreEngine) async throws {
        try await PostgresTestServer.withDatabase { url in
            let store = try await PostgresStore(url: url)
            let base = Int64(OutboxFixture.start.timeIntervalSince1970 * 1000)
            // 20,000 pending rows due one millisecond apart from `start + 1s` on, 1,000 delivered ones
            // and 1,000 delivering under a lease that has not lapsed: only the due pending ones count.
            try await PostgresTestServer.withConnection(url) { connection, logger in
                try await connection.query("""
                    INSERT INTO outbox_message (id, consumer, provider, service, version, operation, method, path_and_query,
                        headers, body, state, attempts, next_attempt_at, expires_at, response_headers, created_at,
                        updated_at, lease_until)
                    SELECT 'bulk-' || i, 'mol', 'moj', 'records', 1, 'POST /certificates', 'POST', '/certificates', '[]',
                        '\\x7b7d'::bytea,
                        CASE WHEN i < 1000 THEN 'delivered' WHEN i < 2000 THEN 'delivering' ELSE 'pending' END,
                        CASE WHEN i < 2000 THEN 1 ELSE 0 END, \(base) + 1000 + (21999 - i), \(base) + 86400000, '[]',
                        \(base), \(base), CASE WHEN i >= 1000 AND i < 2000 THEN \(base) + 86400000 END
                    FROM generate_series(0, 21999) AS i
                    """, logger: logger)
            }
            _ = try await store.enqueue(OutboxFixture.message("urgent", due: -1), auditing: [])
            var claimed: [OutboxMessage] = []
            let elapsed = try await ContinuousClock().measure {
                claimed = try await store.claimOutbox(now: OutboxFixture.start.addingTimeInterval(3_600), limit: 10, lease: .seconds(30))
            }
            print("PostgreSQL claim of 10 among 20,001 due messages: \(elapsed)")
            #expect(claimed.map(\.id) == ["urgent"] + (21_991...21_999).reversed().map { "bulk-\($0)" })
            #expect(try await store.outboxCounts() == [.pending: 19_991, .delivering: 1_010, .delivered: 1_000, .dead: 0, .discarded: 0])
            await store.close()
        }
    }
}
