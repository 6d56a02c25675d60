import Foundation
import GRDB
import Store
import Testing

/// The SQLite outbox under a large backlog (the behaviour both engines share is in
/// `OutboxConformanceTests`).
@Suite struct OutboxTests {
    @Test func aClaimAmongTwentyThousandWaitingMessagesTakesTheOldestDueOnes() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let base = Int64(OutboxFixture.start.timeIntervalSince1970 * 1000)
        // A backlog written in one statement: 20,000 pending rows due one millisecond apart from
        // `start + 1s` on, and 1,000 delivered ones that must never be claimed.
        try await store.tamper("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 20999)
            INSERT INTO outbox_message (id, consumer, provider, service, version, operation, method, path_and_query,
                headers, body, state, attempts, next_attempt_at, expires_at, response_headers, created_at, updated_at)
            SELECT 'bulk-' || i, 'mol', 'moj', 'records', 1, 'POST /certificates', 'POST', '/certificates', '[]', x'7b7d',
                CASE WHEN i < 1000 THEN 'delivered' ELSE 'pending' END, 0, ? + 1000 + (20999 - i), ? + 86400000, '[]', ?, ?
            FROM n
            """, [base, base, base, base])
        try await store.enqueueAll(OutboxFixture.message("urgent", due: -1))
        let clock = ContinuousClock()
        var claimed: [OutboxMessage] = []
        let elapsed = try await clock.measure {
            claimed = try await store.claimOutbox(now: OutboxFixture.start.addingTimeInterval(3_600), limit: 10, lease: .seconds(30))
        }
        print("claim of 10 among 20,001 due messages: \(elapsed)")
        #expect(claimed.map(\.id) == ["urgent"] + (20_991...20_999).reversed().map { "bulk-\($0)" })
        #expect(try await store.outboxCounts() == [.pending: 19_991, .delivering: 10, .delivered: 1_000, .dead: 0, .discarded: 0])
        try await store.close()
    }
}
