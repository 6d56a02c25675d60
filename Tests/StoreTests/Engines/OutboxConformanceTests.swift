import Audit
import Foundation
import Store
import Testing

/// The asynchronous outbox, run against every available engine: messages are stored with their
/// audit entries, claimed under a lease and finished.
@Suite struct OutboxConformanceTests: OutboxSuite {
    @Test(arguments: StoreEngine.available)
    func enqueueStoresTheMessageWithItsAuditEntriesAndRefusesADuplicateId(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                let first = message("ex-1"), empty = message("ex-2", body: [])
                let outcome = try await store.enqueue(
                    first, auditing: OutboxFixture.accepted("ex-1") + [AuditEvent(kind: "exchange.queued", exchangeId: "ex-1")],
                    idempotency: nil
                )
                guard case .enqueued(let entries) = outcome else {
                    Issue.record("a message without a key was not stored: \(outcome)")
                    return
                }
                #expect(entries.map(\.sequence) == [0, 1])
                try await store.enqueueAll(empty)
                #expect(try await store.outboxMessage(id: "ex-1") == first)
                #expect(try await store.outboxMessage(id: "ex-2")?.body == [])
                #expect(try await store.outboxMessage(id: "ex-9") == nil)
                #expect(try await store.auditEntries(exchangeId: "ex-1").map(\.event.kind) == [.requestAccepted, "exchange.queued"])

                var again = message("ex-1", body: Array("other".utf8))
                again.consumer = "rop"
                #expect(await storeErrorCode { _ = try await store.enqueue(again, auditing: OutboxFixture.accepted("ex-1"), idempotency: nil) } == .conflict)
                #expect(try await store.outboxMessage(id: "ex-1") == first)
                var claimed = message("ex-3")
                claimed.attempts = 1
                #expect(await storeErrorCode { _ = try await store.enqueue(claimed, auditing: OutboxFixture.accepted("ex-3"), idempotency: nil) } == .invalidArgument)
                #expect(try await store.auditCount() == 3)
                #expect(try await store.verifyAuditTree().isIntact)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func aClaimTakesDueMessagesOldestFirstUpToTheLimit(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                try await store.enqueueAll(message("later", due: 10), message("due", due: -5), message("oldest", due: -10), message("far", due: 100))

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
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func aClaimMergesDueAndLapsedMessagesByDueTime(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                try await store.enqueueAll(message("a", due: -30), message("b", due: -20))
                _ = try await store.claimOutbox(now: start, limit: 1, lease: .seconds(10))
                try await store.enqueueAll(message("c", due: -25), message("d", due: 5))
                // "a" is due longest ago but its lease lapses only at +10; "b" and "c" are pending.
                #expect(try await store.claimOutbox(now: start.addingTimeInterval(9), limit: 1, lease: .seconds(30)).map(\.id) == ["c"])
                let merged = try await store.claimOutbox(now: start.addingTimeInterval(10), limit: 2, lease: .seconds(30))
                #expect(merged.map(\.id) == ["a", "b"])
                #expect(merged.map(\.attempts) == [2, 1])
                #expect(try await store.outboxCounts() == [.pending: 1, .delivering: 3, .delivered: 0, .dead: 0, .discarded: 0])
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func concurrentClaimsGetDisjointMessages(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                for index in 0..<50 {
                    try await store.enqueueAll(message("ex-\(index)", due: -Double(index)), audited: false)
                }
                async let one = store.claimOutbox(now: start, limit: 30, lease: .seconds(30))
                async let two = store.claimOutbox(now: start, limit: 30, lease: .seconds(30))
                let (a, b) = try await (one, two)
                #expect(Set(a.map(\.id)).isDisjoint(with: b.map(\.id)))
                #expect(Set(a.map(\.id) + b.map(\.id)).count == 50)
                #expect((a + b).allSatisfy { $0.attempts == 1 })
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func anExpiredLeaseIsTakenOverAndCountsAnotherAttempt(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                try await store.enqueueAll(message("ex-1"), message("ex-2", due: 20))
                _ = try await store.claimOutbox(now: start, limit: 10, lease: .seconds(30))
                // While the lease runs nobody else gets it, even once other messages are due.
                #expect(try await store.claimOutbox(now: start.addingTimeInterval(29), limit: 10, lease: .seconds(30)).map(\.id) == ["ex-2"])
                let taken = try await store.claimOutbox(now: start.addingTimeInterval(31), limit: 10, lease: .seconds(30))
                #expect(taken.map(\.id) == ["ex-1"])
                #expect(taken[0].attempts == 2 && taken[0].leaseUntil == start.addingTimeInterval(61))
                // The worker that lost the lease finishes late: its outcome is refused, the new attempt's stands.
                #expect(await storeErrorCode {
                    _ = try await store.finishOutbox(
                        id: "ex-1", .dead(error: "late"), now: start.addingTimeInterval(32), auditing: [], attempt: 1, followUp: nil
                    )
                } == .conflict)
                let done = try await store.finishOutbox(
                    id: "ex-1", .delivered(status: 200, headers: [], body: []), now: start.addingTimeInterval(33), auditing: [],
                    attempt: 2, followUp: nil
                )
                #expect(done.state == .delivered && done.attempts == 2)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func finishingRecordsTheOutcomeWithItsEntries(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                try await store.enqueueAll(message("ok"), message("again"), message("gone"))
                // Leased long enough that "gone" stays held while "again" comes due.
                _ = try await store.claimOutbox(now: start, limit: 10, lease: .seconds(120))
                let now = start.addingTimeInterval(2)

                let headers = [OutboxHeader(name: "Content-Type", value: "application/json")]
                let delivered = try await store.finishOutbox(
                    id: "ok", .delivered(status: 201, headers: headers, body: Array("{\"id\":1}".utf8)), now: now,
                    auditing: [AuditEvent(kind: .responseDelivered, exchangeId: "ok", status: 201)], attempt: nil, followUp: nil
                )
                #expect(delivered.state == .delivered && delivered.responseStatus == 201 && delivered.responseHeaders == headers)
                #expect(delivered.responseBody == Array("{\"id\":1}".utf8) && delivered.leaseUntil == nil && delivered.updatedAt == now)
                #expect(try await store.outboxMessage(id: "ok") == delivered)

                let retry = try await store.finishOutbox(
                    id: "again", .retry(at: start.addingTimeInterval(60), error: "provider-timeout"), now: now,
                    auditing: [AuditEvent(kind: .deliveryFailed, exchangeId: "again", problemType: "provider-timeout")],
                    attempt: 1, followUp: nil
                )
                #expect(retry.state == .pending && retry.nextAttemptAt == start.addingTimeInterval(60) && retry.lastError == "provider-timeout")
                #expect(retry.leaseUntil == nil && retry.attempts == 1)
                #expect(try await store.outboxMessage(id: "again") == retry)
                #expect(try await store.claimOutbox(now: start.addingTimeInterval(59), limit: 10, lease: .seconds(30)).isEmpty)
                let second = try await store.claimOutbox(now: start.addingTimeInterval(60), limit: 10, lease: .seconds(30))
                #expect(second.map(\.id) == ["again"] && second[0].attempts == 2)

                let dead = try await store.finishOutbox(id: "gone", .dead(error: "horizon passed"), now: now, auditing: [], attempt: nil, followUp: nil)
                #expect(dead.state == .dead && dead.lastError == "horizon passed" && dead.leaseUntil == nil)
                #expect(try await store.auditEntries(exchangeId: "ok").map(\.event.kind) == [.requestAccepted, .responseDelivered])
                #expect(try await store.auditEntries(exchangeId: "again").map(\.event.kind) == [.requestAccepted, .deliveryFailed])
                #expect(try await store.verifyAuditTree().isIntact)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func aFollowUpIsStoredWithTheOutcomeOrNeither(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                try await store.enqueueAll(message("ex-1", due: -2), message("ex-2", due: -1), message("cb-taken", due: 60))
                _ = try await store.claimOutbox(now: start, limit: 2, lease: .seconds(30))
                var callback = message("cb-1", due: 1)
                callback.kind = .callback
                let done = try await store.finishOutbox(
                    id: "ex-1", .delivered(status: 200, headers: [], body: []), now: start, auditing: [], attempt: 1,
                    followUp: callback
                )
                #expect(done.state == .delivered)
                #expect(try await store.outboxMessage(id: "cb-1") == callback)

                // A follow-up whose id is taken fails the whole finish: no outcome, no entry.
                let count = try await store.auditCount()
                var clash = message("cb-taken")
                clash.kind = .callback
                #expect(await storeErrorCode {
                    _ = try await store.finishOutbox(
                        id: "ex-2", .dead(error: "x"), now: start, auditing: [AuditEvent(kind: .deliveryFailed, exchangeId: "ex-2")],
                        attempt: 1, followUp: clash
                    )
                } == .conflict)
                #expect(try await store.outboxMessage(id: "ex-2")?.state == .delivering)
                #expect(try await store.outboxMessage(id: "cb-taken")?.kind == .request)
                #expect(try await store.auditCount() == count)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func finishingAMessageThatIsNotDeliveringIsRefusedAndAuditsNothing(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                try await store.enqueueAll(message("waiting"), message("done", due: -1))
                _ = try await store.claimOutbox(now: start, limit: 1, lease: .seconds(30))
                _ = try await store.finishOutbox(
                    id: "done", .delivered(status: 200, headers: [], body: []), now: start, auditing: [], attempt: nil, followUp: nil
                )
                let count = try await store.auditCount()
                let event = [AuditEvent(kind: .responseDelivered, exchangeId: "done")]
                #expect(await storeErrorCode {
                    _ = try await store.finishOutbox(id: "done", .dead(error: "late"), now: start, auditing: event, attempt: nil, followUp: nil)
                } == .conflict)
                #expect(await storeErrorCode {
                    _ = try await store.finishOutbox(
                        id: "waiting", .delivered(status: 200, headers: [], body: []), now: start, auditing: event, attempt: nil, followUp: nil
                    )
                } == .conflict)
                #expect(await storeErrorCode {
                    _ = try await store.finishOutbox(id: "nobody", .dead(error: "x"), now: start, auditing: event, attempt: nil, followUp: nil)
                } == .notFound)
                #expect(try await store.auditCount() == count)
                #expect(try await store.outboxMessage(id: "done")?.state == .delivered)
                #expect(try await store.outboxMessage(id: "waiting")?.state == .pending)
            }
        }
    }
}
