import Foundation
import Store
import Testing

/// Idempotency keys, run against every available engine: a repeat replays the first outcome, a
/// different request under the same key is a mismatch, a repeat of one still in flight is refused,
/// keys expire after their window, and one key claimed at once through two nodes starts once.
@Suite struct IdempotencyConformanceTests {
    let start = OutboxFixture.start
    let scope = "moj/criminal-record-certificate/v1 POST /certificates"

    private func claim(
        _ store: any DeliveryStore, key: String = "k1", digest: String = "sha-256=:a:", exchange: String, at offset: TimeInterval = 0,
        consumer: String = "mol", scope: String? = nil, abandonAfter: Duration? = nil
    ) async throws -> IdempotencyClaim {
        try await store.claimIdempotencyKey(
            consumer: consumer, scope: scope ?? self.scope, key: key, requestDigest: digest, exchangeId: exchange,
            now: start.addingTimeInterval(offset), window: .seconds(60), abandonAfter: abandonAfter
        )
    }

    private func complete(
        _ store: any DeliveryStore, status: Int, headers: [OutboxHeader] = [], body: [UInt8]? = [], form: IdempotencyRecord.BodyForm = .clear,
        exchange: String? = nil, key: String = "k1"
    ) async throws {
        try await store.completeIdempotencyKey(
            consumer: "mol", scope: scope, key: key, status: status, headers: headers, body: body, bodyForm: form, exchangeId: exchange
        )
    }

    @Test(arguments: StoreEngine.available)
    func aRepeatIsInFlightThenReplaysTheFirstOutcomeAndADifferentRequestIsAMismatch(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                #expect(try await claim(store, exchange: "ex-1") == .started)
                let pending = IdempotencyRecord(
                    consumer: "mol", scope: scope, key: "k1", requestDigest: "sha-256=:a:", exchangeId: "ex-1",
                    createdAt: start, expiresAt: start.addingTimeInterval(60)
                )
                #expect(try await claim(store, exchange: "ex-2", at: 1) == .inFlight(pending))
                #expect(try await claim(store, digest: "sha-256=:b:", exchange: "ex-3", at: 1) == .mismatch(pending))

                let headers = [OutboxHeader(name: "Location", value: "/exchange/messages/ex-1")]
                try await complete(store, status: 202, headers: headers)
                // Only the first outcome is kept.
                try await complete(store, status: 500, body: [1])
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
                try await complete(store, status: 200, key: "unknown")
                #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "unknown") == nil)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func anOutcomeKeepsItsBodyInTheFormItWasGiven(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                let sealed: [UInt8] = [0x01, 0xAA, 0xBB]
                #expect(try await claim(store, key: "sealed", exchange: "ex-1") == .started)
                try await complete(store, status: 201, headers: [OutboxHeader(name: "Content-Type", value: "application/json")],
                                   body: sealed, form: .sealed, key: "sealed")
                #expect(try await claim(store, key: "withheld", exchange: "ex-2") == .started)
                try await complete(store, status: 201, body: nil, form: .withheld, key: "withheld")

                let kept = try #require(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "sealed"))
                #expect(kept.bodyForm == .sealed && kept.body == sealed && kept.headers.count == 1)
                let withheld = try #require(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "withheld"))
                #expect(withheld.bodyForm == .withheld && withheld.body == nil && withheld.headers.isEmpty && withheld.status == 201)
                guard case .replay(let replayed) = try await claim(store, key: "withheld", exchange: "ex-3", at: 1) else {
                    Issue.record("a completed key was not replayed")
                    return
                }
                #expect(replayed.bodyForm == .withheld)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func anExpiredKeyIsReplacedByTheNextRequest(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                #expect(try await claim(store, exchange: "ex-1") == .started)
                try await complete(store, status: 200, body: [7])
                #expect(try await claim(store, digest: "sha-256=:b:", exchange: "ex-2", at: 60) == .started)
                let record = try #require(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k1"))
                #expect(record.exchangeId == "ex-2" && record.requestDigest == "sha-256=:b:" && !record.completed && record.body == nil)
                #expect(record.status == nil && record.headers.isEmpty)
                #expect(record.createdAt == start.addingTimeInterval(60) && record.expiresAt == start.addingTimeInterval(120))
                #expect(try await claim(store, digest: "sha-256=:b:", exchange: "ex-3", at: 61) == .inFlight(record))
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func releasingForgetsOnlyTheSameExchangesInFlightKey(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                #expect(try await claim(store, exchange: "ex-1") == .started)
                try await store.releaseIdempotencyKey(consumer: "mol", scope: scope, key: "k1", exchangeId: "ex-other")
                guard case .inFlight = try await claim(store, exchange: "ex-2") else {
                    Issue.record("another exchange's release removed the key")
                    return
                }
                try await store.releaseIdempotencyKey(consumer: "mol", scope: scope, key: "k1", exchangeId: "ex-1")
                #expect(try await claim(store, digest: "sha-256=:b:", exchange: "ex-3") == .started)
                try await complete(store, status: 201, body: [1])
                try await store.releaseIdempotencyKey(consumer: "mol", scope: scope, key: "k1", exchangeId: "ex-3")
                guard case .replay(let record) = try await claim(store, digest: "sha-256=:b:", exchange: "ex-4") else {
                    Issue.record("a completed key was released")
                    return
                }
                #expect(record.status == 201 && record.body == [1] && record.exchangeId == "ex-3")
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func pruningDeletesExpiredKeysUpToTheLimit(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                for (index, offset) in [0.0, 10, 20, 100].enumerated() {
                    #expect(try await claim(store, key: "k\(index)", exchange: "ex-\(index)", at: offset) == .started)
                }
                let now = start.addingTimeInterval(80)
                #expect(try await store.pruneIdempotencyKeys(now: now, limit: 0) == 0)
                #expect(try await store.pruneIdempotencyKeys(now: now, limit: 1) == 1)
                #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k0") == nil)
                #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k1") != nil)
                #expect(try await store.pruneIdempotencyKeys(now: now, limit: 10) == 2)
                #expect(try await store.pruneIdempotencyKeys(now: now, limit: 10) == 0)
                #expect(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k3")?.exchangeId == "ex-3")
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func aKeyLeftInFlightByADeadExchangeIsTakenOverAfterTheAbandonTime(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore(as: DeliveryTestStore.self) { store async throws in
                #expect(try await claim(store, exchange: "ex-1") == .started)
                func retry(_ exchange: String, at offset: TimeInterval, digest: String = "sha-256=:a:") async throws -> IdempotencyClaim {
                    try await claim(store, digest: digest, exchange: exchange, at: offset, abandonAfter: .seconds(10))
                }
                guard case .inFlight = try await retry("ex-2", at: 9) else {
                    Issue.record("a key in flight for less than the abandon time was taken over")
                    return
                }
                guard case .mismatch = try await retry("ex-3", at: 10, digest: "sha-256=:b:") else {
                    Issue.record("an abandoned key took a different request")
                    return
                }
                // Without an abandon time the same claim still waits for the window.
                guard case .inFlight = try await claim(store, exchange: "ex-2", at: 30) else {
                    Issue.record("a key in flight was taken over without an abandon time")
                    return
                }
                #expect(try await retry("ex-4", at: 10) == .started)
                // The first exchange finishing late does not set the outcome of the one that replaced it.
                try await complete(store, status: 500, exchange: "ex-1")
                let record = try #require(try await store.idempotencyRecord(consumer: "mol", scope: scope, key: "k1"))
                #expect(record.exchangeId == "ex-4" && !record.completed && record.expiresAt == start.addingTimeInterval(70))
                try await complete(store, status: 202, exchange: "ex-4")
                guard case .replay(let done) = try await retry("ex-5", at: 69) else {
                    Issue.record("the completed key was not replayed")
                    return
                }
                #expect(done.status == 202 && done.exchangeId == "ex-4")
                // A completed key is never abandoned, however old.
                guard case .replay = try await retry("ex-6", at: 69) else {
                    Issue.record("a completed key was taken over")
                    return
                }
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func oneKeyClaimedAtOnceThroughTwoNodesStartsOnce(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let first = try await database.open(as: (any DeliveryStore).self)
            let second = try await database.open(as: (any DeliveryStore).self)
            // Twenty claims of one key, one exchange each, spread over both nodes.
            let claims = try await withThrowingTaskGroup(of: (String, IdempotencyClaim).self) { group in
                for index in 0..<20 {
                    let node = index.isMultiple(of: 2) ? first : second
                    group.addTask { ("ex-\(index)", try await claim(node, exchange: "ex-\(index)", at: 1)) }
                }
                return try await group.reduce(into: [(String, IdempotencyClaim)]()) { $0.append($1) }
            }
            let started = claims.filter { $0.1 == .started }.map(\.0)
            #expect(started.count == 1)
            let winner = try #require(started.first)
            let record = try #require(try await second.idempotencyRecord(consumer: "mol", scope: scope, key: "k1"))
            #expect(record.exchangeId == winner)
            for (exchange, outcome) in claims where exchange != winner {
                #expect(outcome == .inFlight(record))
            }
            // The winner completes through one node; the other node replays its outcome.
            try await complete(first, status: 202, body: [2], exchange: winner)
            guard case .replay(let done) = try await claim(second, exchange: "ex-late", at: 2) else {
                Issue.record("the other node did not replay the completed key")
                return
            }
            #expect(done.exchangeId == winner && done.status == 202 && done.body == [2])
            try await database.close(first)
            try await database.close(second)
        }
    }
}
