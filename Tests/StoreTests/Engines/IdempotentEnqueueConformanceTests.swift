import Audit
import Foundation
import Store
import Testing

/// An asynchronous message stored under its `Idempotency-Key`, run against every available
/// engine: key, message and `request.accepted` entry commit in one transaction, the key already
/// completed with the 202, so a repeat finds the first message and is never stored twice.
@Suite struct IdempotentEnqueueConformanceTests: OutboxSuite {
    let scope = "moj/criminal-record-certificate/v1 POST /certificates"

    /// A pending message of mol's under `key`, created `created` seconds after `start`.
    private func message(_ id: String, key: String, created: TimeInterval = 0) -> OutboxMessage {
        var message = message(id, created: created)
        message.idempotencyKey = key
        message.headers = message.headers.filter { $0.name != "Idempotency-Key" } + [OutboxHeader(name: "Idempotency-Key", value: key)]
        return message
    }

    /// The claim of a message's key, answered with its 202.
    private func claim(for id: String, digest: String = "sha-256=:a:", abandonAfter: Duration? = nil) -> IdempotencyClaimRequest {
        IdempotencyClaimRequest(
            scope: scope, requestDigest: digest, window: .seconds(60), abandonAfter: abandonAfter, status: 202,
            headers: [OutboxHeader(name: "Exchange-Id", value: id), OutboxHeader(name: "Location", value: "/exchange/messages/\(id)")],
            body: Array(#"{"exchangeId":"\#(id)"}"#.utf8)
        )
    }

    private func enqueue(
        _ store: any DeliveryStore, _ message: OutboxMessage, digest: String = "sha-256=:a:", abandonAfter: Duration? = nil
    ) async throws -> EnqueueOutcome {
        try await store.enqueue(
            message, auditing: OutboxFixture.accepted(message.id), idempotency: claim(for: message.id, digest: digest, abandonAfter: abandonAfter)
        )
    }

    @Test(arguments: StoreEngine.available)
    func theKeyIsStoredCompletedWithTheMessageAndARepeatReplaysTheFirstMessage(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                let first = message("ex-1", key: "batch-7")
                guard case .enqueued(let entries) = try await enqueue(store, first) else {
                    Issue.record("the first message under a key was not stored")
                    return
                }
                #expect(entries.map(\.event.kind) == [.requestAccepted])
                let answer = claim(for: "ex-1")
                let record = IdempotencyRecord(
                    consumer: "mol", scope: scope, key: "batch-7", requestDigest: "sha-256=:a:", exchangeId: "ex-1", completed: true,
                    status: 202, headers: answer.headers, body: answer.body, createdAt: start, expiresAt: start.addingTimeInterval(60)
                )
                #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "batch-7") == record)

                // A retry after the first committed (a new exchange id, as after a crash) finds it.
                #expect(try await enqueue(store, message("ex-2", key: "batch-7", created: 30)) == .replay(record))
                // A different request under the key is a mismatch, up to the end of the window.
                #expect(try await enqueue(store, message("ex-3", key: "batch-7", created: 59), digest: "sha-256=:b:") == .mismatch(record))
                // A synchronous repeat of the same request gets the 202 too.
                #expect(try await store.claimIdempotencyKey(
                    consumer: "mol", scope: scope, key: "batch-7", requestDigest: "sha-256=:a:", exchangeId: "ex-4",
                    now: start.addingTimeInterval(1), window: .seconds(60), abandonAfter: nil
                ) == .replay(record))

                #expect(try await store.outboxMessage(id: "ex-1") == first)
                for id in ["ex-2", "ex-3"] { #expect(try await store.outboxMessage(id: id) == nil) }
                #expect(try await store.auditCount() == 1)

                // Once the window has passed, the key is free for another request.
                guard case .enqueued = try await enqueue(store, message("ex-5", key: "batch-7", created: 60), digest: "sha-256=:b:") else {
                    Issue.record("an expired key was not taken by the next message")
                    return
                }
                #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "batch-7")?.exchangeId == "ex-5")
                #expect(try await store.verifyAuditTree().isIntact)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func aKeyInFlightForASynchronousExchangeIsRefusedUntilItIsAbandoned(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                #expect(try await store.claimIdempotencyKey(
                    consumer: "mol", scope: scope, key: "case-1", requestDigest: "sha-256=:a:", exchangeId: "sync-1", now: start,
                    window: .seconds(60), abandonAfter: nil
                ) == .started)
                let held = try #require(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "case-1"))
                #expect(try await enqueue(store, message("ex-1", key: "case-1", created: 5), abandonAfter: .seconds(10)) == .inFlight(held))
                #expect(try await enqueue(store, message("ex-2", key: "case-1", created: 10), digest: "sha-256=:b:", abandonAfter: .seconds(10)) == .mismatch(held))
                #expect(try await store.outboxCounts()[.pending] == 0)

                // The synchronous exchange's node died: after the abandon time the message takes the key.
                guard case .enqueued = try await enqueue(store, message("ex-3", key: "case-1", created: 10), abandonAfter: .seconds(10)) else {
                    Issue.record("an abandoned key was not taken over by the message")
                    return
                }
                // The first exchange finishing late does not overwrite the message's 202.
                try await store.completeIdempotencyKey(
                    consumer: "mol", scope: scope, key: "case-1", status: 500, headers: [], body: [], bodyForm: .clear, exchangeId: "sync-1"
                )
                let record = try #require(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "case-1"))
                #expect(record.exchangeId == "ex-3" && record.completed && record.status == 202)
                #expect(record.createdAt == start.addingTimeInterval(10) && record.expiresAt == start.addingTimeInterval(70))
                #expect(try await store.auditEntries(exchangeId: "ex-3").map(\.event.kind) == [.requestAccepted])
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func aMessageThatCannotBeStoredLeavesNoKey(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                try await store.enqueueAll(message("ex-1"))
                // The same id again: the message is refused, and the key claimed before it is rolled back.
                #expect(await storeError { _ = try await enqueue(store, message("ex-1", key: "k-new")) }?.code == .conflict)
                #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k-new") == nil)
                // A message enqueued under a key must carry it.
                var keyless = message("ex-2")
                keyless.idempotencyKey = nil
                #expect(await storeError { _ = try await enqueue(store, keyless) }?.code == .invalidArgument)
                #expect(try await store.outboxMessage(id: "ex-2") == nil)
                #expect(try await store.auditCount() == 1)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func concurrentEnqueuesUnderOneKeyThroughTwoNodesStoreOneMessage(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let nodes = [try await database.open(as: DeliveryTestStore.self), try await database.open(as: DeliveryTestStore.self)]
            // Twelve retries of one request at once, each with its own exchange id, over both nodes.
            let outcomes = try await withThrowingTaskGroup(of: (String, EnqueueOutcome).self) { group in
                for index in 0..<12 {
                    let node = nodes[index % 2]
                    let retry = message("ex-\(index)", key: "retried")
                    group.addTask { (retry.id, try await enqueue(node, retry)) }
                }
                return try await group.reduce(into: [(String, EnqueueOutcome)]()) { $0.append($1) }
            }
            let stored = outcomes.filter { if case .enqueued = $0.1 { true } else { false } }.map(\.0)
            #expect(stored.count == 1)
            let winner = try #require(stored.first)
            let record = try #require(try await nodes[1].idempotencyRecord(consumer: "mol", scope: scope, key: "retried"))
            #expect(record.exchangeId == winner && record.completed)
            for (id, outcome) in outcomes where id != winner {
                #expect(outcome == .replay(record), "\(id): \(outcome)")
            }
            #expect(try await nodes[0].outboxMessages(states: [], provider: nil, limit: 100, after: nil).map(\.id) == [winner])
            #expect(try await nodes[0].auditEntries(after: nil, limit: 100).map(\.event.exchangeId) == [winner])
            #expect(try await nodes[1].verifyAuditTree().isIntact)
            for node in nodes { try await database.close(node) }
        }
    }
}
