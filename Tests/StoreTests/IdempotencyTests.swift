import Foundation
import Store
import Testing

/// Idempotency keys: a repeat replays the first outcome, a different request under the same key is
/// a mismatch, a repeat of one still in flight is refused, and keys expire after their window.
@Suite struct IdempotencyTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)
    let scope = "moj/criminal-record-certificate/v1 POST /certificates"

    private func claim(
        _ store: SQLiteStore, key: String = "k1", digest: String = "sha-256=:a:", exchange: String, at offset: TimeInterval = 0,
        consumer: String = "mol", scope: String? = nil
    ) async throws -> IdempotencyClaim {
        try await store.claimIdempotencyKey(
            consumer: consumer, scope: scope ?? self.scope, key: key, requestDigest: digest, exchangeId: exchange,
            now: start.addingTimeInterval(offset), window: .seconds(60)
        )
    }

    @Test func aRepeatIsInFlightThenReplaysTheFirstOutcomeAndADifferentRequestIsAMismatch() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        #expect(try await claim(store, exchange: "ex-1") == .started)
        let pending = IdempotencyRecord(
            consumer: "mol", scope: scope, key: "k1", requestDigest: "sha-256=:a:", exchangeId: "ex-1",
            createdAt: start, expiresAt: start.addingTimeInterval(60)
        )
        #expect(try await claim(store, exchange: "ex-2", at: 1) == .inFlight(pending))
        #expect(try await claim(store, digest: "sha-256=:b:", exchange: "ex-3", at: 1) == .mismatch(pending))

        let headers = [OutboxHeader(name: "Location", value: "/exchange/messages/ex-1")]
        try await store.completeIdempotencyKey(consumer: "mol", scope: scope, key: "k1", status: 202, headers: headers, body: [])
        // Only the first outcome is kept.
        try await store.completeIdempotencyKey(consumer: "mol", scope: scope, key: "k1", status: 500, headers: [], body: [1])
        var done = pending
        done.completed = true
        done.status = 202
        done.headers = headers
        done.body = []
        #expect(try await claim(store, exchange: "ex-4", at: 59) == .replay(done))
        #expect(try await claim(store, digest: "sha-256=:b:", exchange: "ex-5", at: 59) == .mismatch(done))
        // Keys are per consumer and per operation.
        #expect(try await claim(store, exchange: "ex-6", consumer: "rop") == .started)
        #expect(try await claim(store, exchange: "ex-7", scope: "moj/criminal-record-certificate/v1 GET /certificates/{id}") == .started)
        // Completing a key nobody holds is a no-op.
        try await store.completeIdempotencyKey(consumer: "mol", scope: scope, key: "unknown", status: 200, headers: [], body: [])
        #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "unknown") == nil)
        try await store.close()
    }

    @Test func anExpiredKeyIsReplacedByTheNextRequest() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        #expect(try await claim(store, exchange: "ex-1") == .started)
        try await store.completeIdempotencyKey(consumer: "mol", scope: scope, key: "k1", status: 200, headers: [], body: [7])
        #expect(try await claim(store, digest: "sha-256=:b:", exchange: "ex-2", at: 60) == .started)
        let record = try #require(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k1"))
        #expect(record.exchangeId == "ex-2" && record.requestDigest == "sha-256=:b:" && !record.completed && record.body == nil)
        #expect(record.createdAt == start.addingTimeInterval(60) && record.expiresAt == start.addingTimeInterval(120))
        #expect(try await claim(store, digest: "sha-256=:b:", exchange: "ex-3", at: 61) == .inFlight(record))
        try await store.close()
    }

    @Test func releasingForgetsOnlyTheSameExchangesInFlightKey() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        #expect(try await claim(store, exchange: "ex-1") == .started)
        try await store.releaseIdempotencyKey(consumer: "mol", scope: scope, key: "k1", exchangeId: "ex-other")
        guard case .inFlight = try await claim(store, exchange: "ex-2") else {
            Issue.record("another exchange's release removed the key")
            return
        }
        try await store.releaseIdempotencyKey(consumer: "mol", scope: scope, key: "k1", exchangeId: "ex-1")
        #expect(try await claim(store, digest: "sha-256=:b:", exchange: "ex-3") == .started)
        try await store.completeIdempotencyKey(consumer: "mol", scope: scope, key: "k1", status: 201, headers: [], body: [1])
        try await store.releaseIdempotencyKey(consumer: "mol", scope: scope, key: "k1", exchangeId: "ex-3")
        guard case .replay(let record) = try await claim(store, digest: "sha-256=:b:", exchange: "ex-4") else {
            Issue.record("a completed key was released")
            return
        }
        #expect(record.status == 201 && record.body == [1] && record.exchangeId == "ex-3")
        try await store.close()
    }

    @Test func pruningDeletesExpiredKeysUpToTheLimit() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        for (index, offset) in [0.0, 10, 20, 100].enumerated() {
            #expect(try await claim(store, key: "k\(index)", exchange: "ex-\(index)", at: offset) == .started)
        }
        let now = start.addingTimeInterval(80)
        #expect(try await store.pruneIdempotencyKeys(now: now, limit: 0) == 0)
        #expect(try await store.pruneIdempotencyKeys(now: now, limit: 1) == 1)
        #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k0") == nil)
        #expect(try await store.pruneIdempotencyKeys(now: now, limit: 10) == 2)
        #expect(try await store.pruneIdempotencyKeys(now: now, limit: 10) == 0)
        #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k3")?.exchangeId == "ex-3")
        try await store.close()
    }

    @Test func aKeyLeftInFlightByADeadExchangeIsTakenOverAfterTheAbandonTime() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        #expect(try await claim(store, exchange: "ex-1") == .started)
        func retry(_ exchange: String, at offset: TimeInterval, digest: String = "sha-256=:a:") async throws -> IdempotencyClaim {
            try await store.claimIdempotencyKey(
                consumer: "mol", scope: scope, key: "k1", requestDigest: digest, exchangeId: exchange,
                now: start.addingTimeInterval(offset), window: .seconds(60), abandonAfter: .seconds(10)
            )
        }
        guard case .inFlight = try await retry("ex-2", at: 9) else {
            Issue.record("a key in flight for less than the abandon time was taken over")
            return
        }
        guard case .mismatch = try await retry("ex-3", at: 10, digest: "sha-256=:b:") else {
            Issue.record("an abandoned key took a different request")
            return
        }
        #expect(try await retry("ex-4", at: 10) == .started)
        // The first exchange finishing late does not set the outcome of the one that replaced it.
        try await store.completeIdempotencyKey(consumer: "mol", scope: scope, key: "k1", status: 500, headers: [], body: [], exchangeId: "ex-1")
        let record = try #require(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k1"))
        #expect(record.exchangeId == "ex-4" && !record.completed && record.expiresAt == start.addingTimeInterval(70))
        try await store.completeIdempotencyKey(consumer: "mol", scope: scope, key: "k1", status: 202, headers: [], body: [], exchangeId: "ex-4")
        guard case .replay(let done) = try await retry("ex-5", at: 69) else {
            Issue.record("the completed key was not replayed")
            return
        }
        #expect(done.status == 202 && done.exchangeId == "ex-4")
        try await store.close()
    }
}
