import Audit
import Foundation
import Store
import Testing

/// What operators do with the outbox, run against every available engine: list and count messages,
/// resend or discard dead letters; and messages outliving the node that stored them.
@Suite struct OutboxAdminConformanceTests: OutboxSuite {
    @Test(arguments: StoreEngine.available)
    func operatorsResendOrDiscardOnlyDeadLettersWithAnAuditedBeforeAndAfter(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                try await store.enqueueAll(message("dead"), message("alive", due: 10))
                _ = try await store.claimOutbox(now: start, limit: 1, lease: .seconds(30))
                _ = try await store.finishOutbox(
                    id: "dead", .dead(error: "provider-unavailable"), now: start, auditing: [], attempt: nil, followUp: nil
                )
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
                #expect(entries.first?.event.before == (try AdminRecord.digest(before)))
                #expect(entries.first?.event.after == (try AdminRecord.digest(after)))
                #expect(entries.first?.event.actor == "operator:alice" && entries.first?.event.target == "dead")

                #expect(await storeErrorCode {
                    _ = try await store.discardOutbox(id: "dead", now: now, recording: record(discarded, "dead"))
                } == .conflict)
                #expect(try await store.claimOutbox(now: now, limit: 10, lease: .seconds(30)).map(\.id) == ["alive", "dead"])
                _ = try await store.finishOutbox(id: "dead", .dead(error: "still down"), now: now, auditing: [], attempt: nil, followUp: nil)
                let gone = try await store.discardOutbox(id: "dead", now: horizon, recording: record(discarded, "dead"))
                #expect(gone.state == .discarded && gone.updatedAt == horizon)
                #expect(try await store.outboxMessage(id: "dead") == gone)
                #expect(await storeErrorCode {
                    _ = try await store.resendOutbox(id: "dead", now: now, expiresAt: horizon, recording: record(resent, "dead"))
                } == .conflict)
                let last = try #require(try await store.auditEntries(after: count, limit: 10).last)
                #expect(last.event.kind == discarded && last.event.before != nil && last.event.after != last.event.before)
                #expect(try await store.auditCount() == count + 2)
                #expect(try await store.verifyAuditTree().isIntact)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func listingFiltersAndPagesNewestFirstAndCountsEveryState(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                try await store.enqueueAll(
                    message("m1", due: -5, created: 1), message("m2", created: 2, provider: "rop"), message("m3", due: 10, created: 3),
                    message("m4", created: 3), message("m5", due: 10, created: 5, provider: "rop")
                )
                _ = try await store.claimOutbox(now: start, limit: 1, lease: .seconds(30))
                _ = try await store.finishOutbox(id: "m1", .dead(error: "x"), now: start, auditing: [], attempt: nil, followUp: nil)

                func ids(_ states: [OutboxMessage.State], _ provider: String? = nil, limit: Int = 10, after cursor: String? = nil) async throws -> [String] {
                    try await store.outboxMessages(states: states, provider: provider, limit: limit, after: cursor).map(\.id)
                }
                #expect(try await ids([]) == ["m5", "m4", "m3", "m2", "m1"])
                #expect(try await ids([.dead]) == ["m1"])
                #expect(try await ids([.pending, .dead], "moj") == ["m4", "m3", "m1"])
                #expect(try await ids([], "rop") == ["m5", "m2"])
                #expect(try await ids([], limit: 0).isEmpty)
                // Pages follow the cursor; m3 and m4 share a creation time and are told apart by id.
                var pages: [[String]] = []
                var cursor: String?
                for _ in 0..<5 {
                    let page = try await ids([], limit: 2, after: cursor)
                    if page.isEmpty { break }
                    pages.append(page)
                    cursor = page.last
                }
                #expect(pages == [["m5", "m4"], ["m3", "m2"], ["m1"]])
                #expect(try await ids([.pending], "moj", limit: 5, after: "m4") == ["m3"])
                #expect(await storeErrorCode { _ = try await ids([], limit: 5, after: "none") } == .invalidArgument)
                #expect(try await store.outboxCounts() == [.pending: 4, .delivering: 0, .delivered: 0, .dead: 1, .discarded: 0])
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func messagesSurviveTheNodeThatStoredThem(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let first = try await database.open(as: DeliveryTestStore.self)
            try await first.enqueueAll(message("held"), message("kept"), message("later", due: 60))
            let held = try await first.claimOutbox(now: start, limit: 1, lease: .seconds(30))
            try await database.close(first)

            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                #expect(try await store.outboxMessage(id: "kept") == message("kept"))
                #expect(try await store.outboxMessage(id: held[0].id) == held[0])
                #expect(try await store.outboxCounts()[.pending] == 2)
                // The node that held the lease is gone: once it expires the message is claimed again.
                let retaken = try await store.claimOutbox(now: start.addingTimeInterval(30), limit: 10, lease: .seconds(30))
                #expect(retaken.map(\.id).sorted() == ["held", "kept"])
                #expect(retaken.first { $0.id == "held" }?.attempts == 2)
                #expect(try await store.auditEntries(exchangeId: "later").count == 1)
            }
        }
    }
}
