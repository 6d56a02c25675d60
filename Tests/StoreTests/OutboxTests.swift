import Audit
import Foundation
import GRDB
import Store
import Testing

/// The asynchronous outbox: messages are stored with their audit entries, claimed under a lease,
/// finished, released, listed, and resent or discarded by operators.
@Suite struct OutboxTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    private func message(
        _ id: String, due offset: TimeInterval = 0, created: TimeInterval = 0, provider: String = "moj", body: [UInt8] = Array("{}".utf8)
    ) -> OutboxMessage {
        OutboxMessage(
            id: id, consumer: "mol", provider: provider, service: "records", version: 1, operation: "POST /certificates",
            method: "POST", pathAndQuery: "/certificates?lang=en",
            headers: [OutboxHeader(name: "Content-Type", value: "application/json"), OutboxHeader(name: "Idempotency-Key", value: "k-\(id)")],
            body: body, idempotencyKey: "k-\(id)", nextAttemptAt: start.addingTimeInterval(offset),
            expiresAt: start.addingTimeInterval(86_400), createdAt: start.addingTimeInterval(created)
        )
    }

    private func accepted(_ id: String) -> [AuditEvent] {
        [AuditEvent(kind: .requestAccepted, exchangeId: id, consumer: "mol", provider: "moj", service: "records", serviceVersion: 1, status: 202)]
    }

    private func enqueue(_ store: SQLiteStore, _ messages: OutboxMessage...) async throws {
        for message in messages {
            _ = try await store.enqueue(message, auditing: accepted(message.id))
        }
    }

    @Test func enqueueStoresTheMessageWithItsAuditEntriesAndRefusesADuplicateId() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let first = message("ex-1"), empty = message("ex-2", body: [])
        let entries = try await store.enqueue(first, auditing: accepted("ex-1") + [AuditEvent(kind: "exchange.queued", exchangeId: "ex-1")])
        #expect(entries.map(\.sequence) == [0, 1])
        try await enqueue(store, empty)
        #expect(try await store.outboxMessage(id: "ex-1") == first)
        #expect(try await store.outboxMessage(id: "ex-2")?.body == [])
        #expect(try await store.outboxMessage(id: "ex-9") == nil)
        #expect(try await store.auditEntries(exchangeId: "ex-1").map(\.event.kind) == [.requestAccepted, "exchange.queued"])

        var again = message("ex-1", body: Array("other".utf8))
        again.consumer = "rop"
        #expect(await storeErrorCode { _ = try await store.enqueue(again, auditing: accepted("ex-1")) } == .conflict)
        #expect(try await store.outboxMessage(id: "ex-1") == first)
        var claimed = message("ex-3")
        claimed.attempts = 1
        #expect(await storeErrorCode { _ = try await store.enqueue(claimed, auditing: accepted("ex-3")) } == .invalidArgument)
        #expect(try await store.auditCount() == 3)
        #expect(try await store.verifyAuditTree().isIntact)
        try await store.close()
    }

    @Test func aClaimTakesDueMessagesOldestFirstUpToTheLimit() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await enqueue(store, message("later", due: 10), message("due", due: -5), message("oldest", due: -10), message("far", due: 100))

        let first = try await store.claimOutbox(now: start, limit: 1, lease: .seconds(30))
        #expect(first.map(\.id) == ["oldest"])
        #expect(first[0].state == .delivering && first[0].attempts == 1)
        #expect(first[0].leaseUntil == start.addingTimeInterval(30) && first[0].updatedAt == start)
        #expect(try await store.outboxMessage(id: "oldest") == first[0])
        #expect(try await store.claimOutbox(now: start, limit: 5, lease: .seconds(30)).map(\.id) == ["due"])
        #expect(try await store.claimOutbox(now: start, limit: 5, lease: .seconds(30)).isEmpty)
        #expect(try await store.claimOutbox(now: start.addingTimeInterval(10), limit: 0, lease: .seconds(30)).isEmpty)
        #expect(try await store.claimOutbox(now: start.addingTimeInterval(10), limit: 5, lease: .seconds(60)).map(\.id) == ["later"])
        #expect(try await store.outboxMessage(id: "far")?.state == .pending)
        try await store.close()
    }

    @Test func concurrentClaimsGetDisjointMessages() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        for index in 0..<50 {
            try await enqueue(store, message("ex-\(index)", due: -Double(index)))
        }
        async let one = store.claimOutbox(now: start, limit: 30, lease: .seconds(30))
        async let two = store.claimOutbox(now: start, limit: 30, lease: .seconds(30))
        let (a, b) = try await (one, two)
        #expect(Set(a.map(\.id)).isDisjoint(with: b.map(\.id)))
        #expect(Set(a.map(\.id) + b.map(\.id)).count == 50)
        #expect((a + b).allSatisfy { $0.attempts == 1 })
        try await store.close()
    }

    @Test func anExpiredLeaseIsTakenOverAndCountsAnotherAttempt() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await enqueue(store, message("ex-1"), message("ex-2", due: 20))
        _ = try await store.claimOutbox(now: start, limit: 10, lease: .seconds(30))
        // While the lease runs nobody else gets it, even once other messages are due.
        #expect(try await store.claimOutbox(now: start.addingTimeInterval(29), limit: 10, lease: .seconds(30)).map(\.id) == ["ex-2"])
        let taken = try await store.claimOutbox(now: start.addingTimeInterval(31), limit: 10, lease: .seconds(30))
        #expect(taken.map(\.id) == ["ex-1"])
        #expect(taken[0].attempts == 2 && taken[0].leaseUntil == start.addingTimeInterval(61))
        // The worker that lost the lease finishes late: its outcome is refused, the new attempt's stands.
        #expect(await storeErrorCode {
            _ = try await store.finishOutbox(id: "ex-1", .dead(error: "late"), now: start.addingTimeInterval(32), auditing: [], attempt: 1)
        } == .conflict)
        let done = try await store.finishOutbox(
            id: "ex-1", .delivered(status: 200, headers: [], body: []), now: start.addingTimeInterval(33), auditing: [], attempt: 2
        )
        #expect(done.state == .delivered && done.attempts == 2)
        try await store.close()
    }

    @Test func finishingRecordsTheOutcomeWithItsEntries() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await enqueue(store, message("ok"), message("again"), message("gone"))
        // Leased long enough that "gone" stays held while "again" comes due.
        _ = try await store.claimOutbox(now: start, limit: 10, lease: .seconds(120))
        let now = start.addingTimeInterval(2)

        let headers = [OutboxHeader(name: "Content-Type", value: "application/json")]
        let delivered = try await store.finishOutbox(
            id: "ok", .delivered(status: 201, headers: headers, body: Array("{\"id\":1}".utf8)), now: now,
            auditing: [AuditEvent(kind: .responseDelivered, exchangeId: "ok", status: 201)]
        )
        #expect(delivered.state == .delivered && delivered.responseStatus == 201 && delivered.responseHeaders == headers)
        #expect(delivered.responseBody == Array("{\"id\":1}".utf8) && delivered.leaseUntil == nil && delivered.updatedAt == now)
        #expect(try await store.outboxMessage(id: "ok") == delivered)

        let retry = try await store.finishOutbox(
            id: "again", .retry(at: start.addingTimeInterval(60), error: "provider-timeout"), now: now,
            auditing: [AuditEvent(kind: .deliveryFailed, exchangeId: "again", problemType: "provider-timeout")]
        )
        #expect(retry.state == .pending && retry.nextAttemptAt == start.addingTimeInterval(60) && retry.lastError == "provider-timeout")
        #expect(retry.leaseUntil == nil && retry.attempts == 1)
        #expect(try await store.claimOutbox(now: start.addingTimeInterval(59), limit: 10, lease: .seconds(30)).isEmpty)
        let second = try await store.claimOutbox(now: start.addingTimeInterval(60), limit: 10, lease: .seconds(30))
        #expect(second.map(\.id) == ["again"] && second[0].attempts == 2)

        let dead = try await store.finishOutbox(id: "gone", .dead(error: "horizon passed"), now: now, auditing: [])
        #expect(dead.state == .dead && dead.lastError == "horizon passed" && dead.leaseUntil == nil)
        #expect(try await store.auditEntries(exchangeId: "ok").map(\.event.kind) == [.requestAccepted, .responseDelivered])
        #expect(try await store.auditEntries(exchangeId: "again").map(\.event.kind) == [.requestAccepted, .deliveryFailed])
        #expect(try await store.verifyAuditTree().isIntact)
        try await store.close()
    }

    @Test func finishingAMessageThatIsNotDeliveringIsRefusedAndAuditsNothing() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await enqueue(store, message("waiting"), message("done", due: -1))
        _ = try await store.claimOutbox(now: start, limit: 1, lease: .seconds(30))
        _ = try await store.finishOutbox(id: "done", .delivered(status: 200, headers: [], body: []), now: start, auditing: [])
        let count = try await store.auditCount()
        let event = [AuditEvent(kind: .responseDelivered, exchangeId: "done")]
        #expect(await storeErrorCode {
            _ = try await store.finishOutbox(id: "done", .dead(error: "late"), now: start, auditing: event)
        } == .conflict)
        #expect(await storeErrorCode {
            _ = try await store.finishOutbox(id: "waiting", .delivered(status: 200, headers: [], body: []), now: start, auditing: event)
        } == .conflict)
        #expect(await storeErrorCode {
            _ = try await store.finishOutbox(id: "nobody", .dead(error: "x"), now: start, auditing: event)
        } == .notFound)
        #expect(try await store.auditCount() == count)
        #expect(try await store.outboxMessage(id: "done")?.state == .delivered)
        #expect(try await store.outboxMessage(id: "waiting")?.state == .pending)
        try await store.close()
    }

    @Test func operatorsResendOrDiscardOnlyDeadLettersWithAnAuditedBeforeAndAfter() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await enqueue(store, message("dead"), message("alive", due: 10))
        _ = try await store.claimOutbox(now: start, limit: 1, lease: .seconds(30))
        _ = try await store.finishOutbox(id: "dead", .dead(error: "provider-unavailable"), now: start, auditing: [])
        let resent: AuditEvent.Kind = "admin.outbox.resent", discarded: AuditEvent.Kind = "admin.outbox.discarded"
        func record(_ kind: AuditEvent.Kind, _ id: String) -> AdminRecord { AdminRecord(kind, actor: "operator:alice", target: id) }
        let now = start.addingTimeInterval(3_600), horizon = start.addingTimeInterval(7_200)

        #expect(await storeErrorCode {
            _ = try await store.resendOutbox(id: "alive", now: now, expiresAt: horizon, recording: record(resent, "alive"))
        } == .conflict)
        #expect(await storeErrorCode {
            _ = try await store.discardOutbox(id: "nobody", now: now, recording: record(discarded, "nobody"))
        } == .notFound)
        let count = try await store.auditCount()

        let again = try await store.resendOutbox(id: "dead", now: now, expiresAt: horizon, recording: record(resent, "dead"))
        #expect(again.state == .pending && again.nextAttemptAt == now && again.expiresAt == horizon)
        #expect(again.lastError == "provider-unavailable" && again.attempts == 1 && again.updatedAt == now)
        #expect(try await store.outboxMessage(id: "dead") == again)
        let entries = try await store.auditEntries(after: count - 1, limit: 10)
        #expect(entries.map(\.event.kind) == [resent])
        let before: CanonicalJSON = .object([
            "id": .string("dead"), "state": .string("dead"), "attempts": .integer(1),
            "nextAttemptAt": .string("2026-11-18T11:06:40.000Z"), "expiresAt": .string("2026-11-19T11:06:40.000Z"),
            "lastError": .string("provider-unavailable"),
        ])
        let after: CanonicalJSON = .object([
            "id": .string("dead"), "state": .string("pending"), "attempts": .integer(1),
            "nextAttemptAt": .string("2026-11-18T12:06:40.000Z"), "expiresAt": .string("2026-11-18T13:06:40.000Z"),
            "lastError": .string("provider-unavailable"),
        ])
        #expect(entries[0].event.before == (try AdminRecord.digest(before)))
        #expect(entries[0].event.after == (try AdminRecord.digest(after)))
        #expect(entries[0].event.actor == "operator:alice" && entries[0].event.target == "dead")

        #expect(await storeErrorCode {
            _ = try await store.discardOutbox(id: "dead", now: now, recording: record(discarded, "dead"))
        } == .conflict)
        #expect(try await store.claimOutbox(now: now, limit: 10, lease: .seconds(30)).map(\.id) == ["alive", "dead"])
        _ = try await store.finishOutbox(id: "dead", .dead(error: "still down"), now: now, auditing: [])
        let gone = try await store.discardOutbox(id: "dead", now: horizon, recording: record(discarded, "dead"))
        #expect(gone.state == .discarded && gone.updatedAt == horizon)
        #expect(await storeErrorCode {
            _ = try await store.resendOutbox(id: "dead", now: now, expiresAt: horizon, recording: record(resent, "dead"))
        } == .conflict)
        let last = try #require(try await store.auditEntries(after: count, limit: 10).last)
        #expect(last.event.kind == discarded && last.event.before != nil && last.event.after != last.event.before)
        #expect(try await store.auditCount() == count + 2)
        #expect(try await store.verifyAuditTree().isIntact)
        try await store.close()
    }

    @Test func listingFiltersAndPagesNewestFirstAndCountsEveryState() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await enqueue(
            store, message("m1", due: -5, created: 1), message("m2", created: 2, provider: "rop"), message("m3", due: 10, created: 3),
            message("m4", created: 3), message("m5", due: 10, created: 5, provider: "rop")
        )
        _ = try await store.claimOutbox(now: start, limit: 1, lease: .seconds(30))
        _ = try await store.finishOutbox(id: "m1", .dead(error: "x"), now: start, auditing: [])

        #expect(try await store.outboxMessages(states: [], provider: nil, limit: 10, after: nil).map(\.id) == ["m5", "m4", "m3", "m2", "m1"])
        #expect(try await store.outboxMessages(states: [.dead], provider: nil, limit: 10, after: nil).map(\.id) == ["m1"])
        #expect(try await store.outboxMessages(states: [.pending, .dead], provider: "moj", limit: 10, after: nil).map(\.id) == ["m4", "m3", "m1"])
        #expect(try await store.outboxMessages(states: [], provider: "rop", limit: 10, after: nil).map(\.id) == ["m5", "m2"])
        // Pages follow the cursor; m3 and m4 share a creation time and are told apart by id.
        var pages: [[String]] = []
        var cursor: String?
        for _ in 0..<5 {
            let page = try await store.outboxMessages(states: [], provider: nil, limit: 2, after: cursor).map(\.id)
            if page.isEmpty { break }
            pages.append(page)
            cursor = page.last
        }
        #expect(pages == [["m5", "m4"], ["m3", "m2"], ["m1"]])
        #expect(try await store.outboxMessages(states: [.pending], provider: "moj", limit: 5, after: "m4").map(\.id) == ["m3"])
        #expect(await storeErrorCode { _ = try await store.outboxMessages(states: [], provider: nil, limit: 5, after: "none") } == .invalidArgument)
        #expect(try await store.outboxCounts() == [.pending: 4, .delivering: 0, .delivered: 0, .dead: 1, .discarded: 0])
        try await store.close()
    }

    @Test func messagesSurviveClosingAndReopeningTheStore() async throws {
        let folder = try TemporaryFolder()
        var store = try await SQLiteStore.open(folder)
        try await enqueue(store, message("held"), message("kept"), message("later", due: 60))
        let held = try await store.claimOutbox(now: start, limit: 1, lease: .seconds(30))
        try await store.close()

        store = try await SQLiteStore.open(folder)
        #expect(try await store.outboxMessage(id: "kept") == message("kept"))
        #expect(try await store.outboxMessage(id: held[0].id) == held[0])
        #expect(try await store.outboxCounts()[.pending] == 2)
        // The process that held the lease is gone: once it expires the message is claimed again.
        let retaken = try await store.claimOutbox(now: start.addingTimeInterval(30), limit: 10, lease: .seconds(30))
        #expect(retaken.map(\.id).sorted() == ["held", "kept"])
        #expect(retaken.first { $0.id == "held" }?.attempts == 2)
        #expect(try await store.auditEntries(exchangeId: "later").count == 1)
        try await store.close()
    }

    @Test func aClaimAmongTwentyThousandWaitingMessagesTakesTheOldestDueOnes() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let base = Int64(start.timeIntervalSince1970 * 1000)
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
        try await enqueue(store, message("urgent", due: -1))
        let clock = ContinuousClock()
        var claimed: [OutboxMessage] = []
        let elapsed = try await clock.measure {
            claimed = try await store.claimOutbox(now: start.addingTimeInterval(3_600), limit: 10, lease: .seconds(30))
        }
        print("claim of 10 among 20,001 due messages: \(elapsed)")
        #expect(claimed.map(\.id) == ["urgent"] + (20_991...20_999).reversed().map { "bulk-\($0)" })
        #expect(try await store.outboxCounts() == [.pending: 19_991, .delivering: 10, .delivered: 1_000, .dead: 0, .discarded: 0])
        try await store.close()
    }
}
