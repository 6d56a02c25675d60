import Audit
import Foundation
import Store
import Testing

/// Searching the log by its columns, with cursors and both orders, run against every available engine.
@Suite struct AuditSearchConformanceTests {
    /// Forty entries, one second apart, across two consumers, two providers and three outcomes.
    static func populate(_ store: any AuditStore, clock: ManualClock) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for index in 0..<40 {
            var event = AuditLogTests.event(index)
            event.consumer = index % 2 == 0 ? "mol" : "rop"
            event.provider = index % 4 < 2 ? "moj" : "mot"
            event.serviceVersion = index < 20 ? 1 : 2
            switch index % 5 {
            case 0:
                event.kind = .requestRejected
                event.status = 403
                event.problemType = "not-granted"
            case 1:
                event.kind = .deliveryFailed
                event.status = 504
                event.problemType = "provider-timeout"
                event.operation = "GET /certificates/{id}"
            default:
                break
            }
            entries += try await store.appendAudit([event], bodies: [])
            clock.advance(by: 1)
        }
        return entries
    }

    static func all(_ store: any AuditStore, _ query: AuditQuery) async throws -> [AuditEntry] {
        var query = query
        var found: [AuditEntry] = []
        for _ in 0..<1000 {
            let page = try await store.searchAudit(query)
            found += page.entries
            guard let cursor = page.nextCursor else { return found }
            query.cursor = cursor
        }
        Issue.record("pagination did not end")
        return found
    }

    @Test(arguments: StoreEngine.available)
    func eachFilterSelectsExactlyItsEntries(engine: StoreEngine) async throws {
        let clock = ManualClock()
        let start = clock.now
        try await engine.withAuditStore(clock: clock) { store, _ async throws in
            let entries = try await Self.populate(store, clock: clock)
            let newest = Array(entries.reversed())
            func expectMatches(_ query: AuditQuery, _ predicate: (AuditEvent) -> Bool, _ comment: Comment) async throws {
                let found = try await Self.all(store, query)
                #expect(found == newest.filter { predicate($0.event) }, comment)
                #expect(!found.isEmpty, comment)
            }
            try await expectMatches(AuditQuery(consumer: "rop"), { $0.consumer == "rop" }, "consumer")
            try await expectMatches(AuditQuery(provider: "mot"), { $0.provider == "mot" }, "provider")
            try await expectMatches(AuditQuery(service: "crc", serviceVersion: 2), { $0.serviceVersion == 2 }, "service")
            try await expectMatches(AuditQuery(operation: "GET /certificates/{id}"), { $0.operation == "GET /certificates/{id}" }, "operation")
            try await expectMatches(AuditQuery(status: 403), { $0.status == 403 }, "status")
            try await expectMatches(AuditQuery(problemType: "provider-timeout"), { $0.problemType == "provider-timeout" }, "problem")
            try await expectMatches(AuditQuery(exchangeId: "ex-17"), { $0.exchangeId == "ex-17" }, "exchange")
            try await expectMatches(AuditQuery(kind: .deliveryFailed), { $0.kind == .deliveryFailed }, "kind")
            try await expectMatches(
                AuditQuery(consumer: "mol", provider: "moj", status: 403), { $0.consumer == "mol" && $0.provider == "moj" && $0.status == 403 }, "combined"
            )
            // Time range: since inclusive, until exclusive; entry i was recorded at start + i seconds.
            let range = try await Self.all(store, AuditQuery(since: start.addingTimeInterval(10), until: start.addingTimeInterval(15)))
            #expect(range.map(\.sequence) == [14, 13, 12, 11, 10])
            #expect(try await store.searchAudit(AuditQuery(consumer: "nobody")) == AuditPage(entries: [], nextCursor: nil))
        }
    }

    @Test(arguments: StoreEngine.available)
    func pagesNeitherRepeatNorSkipWhileTheLogGrows(engine: StoreEngine) async throws {
        let clock = ManualClock()
        try await engine.withAuditStore(clock: clock) { store, _ async throws in
            let entries = try await Self.populate(store, clock: clock)
            var query = AuditQuery(consumer: "mol", limit: 3)
            var found: [AuditEntry] = []
            var pages = 0
            while pages < 100 {
                let page = try await store.searchAudit(query)
                #expect(page.entries.count <= 3)
                found += page.entries
                pages += 1
                // New entries arriving between pages belong before the first page, not in later ones.
                _ = try await store.appendAudit([AuditLogTests.event(1000 + pages)], bodies: [])
                guard let cursor = page.nextCursor else { break }
                query.cursor = cursor
            }
            let expected = entries.filter { $0.event.consumer == "mol" }.reversed()
            #expect(found == Array(expected))
            #expect(pages == 7)
        }
    }

    @Test(arguments: StoreEngine.available)
    func oldestFirstFollowsTheLogForTail(engine: StoreEngine) async throws {
        let clock = ManualClock()
        try await engine.withAuditStore(clock: clock) { store, _ async throws in
            let entries = try await Self.populate(store, clock: clock)
            let first = try await store.searchAudit(AuditQuery(limit: 25, order: .oldestFirst))
            #expect(first.entries == Array(entries[0..<25]))
            let cursor = try #require(first.nextCursor)
            let second = try await store.searchAudit(AuditQuery(limit: 25, cursor: cursor, order: .oldestFirst))
            #expect(second.entries == Array(entries[25...]))
            // Caught up: the page is empty and the cursor stays where it was.
            let resume = try #require(second.nextCursor)
            let caughtUp = try await store.searchAudit(AuditQuery(limit: 25, cursor: resume, order: .oldestFirst))
            #expect(caughtUp == AuditPage(entries: [], nextCursor: resume))
            // New entries show up on the next poll with the same cursor.
            let more = try await store.appendAudit([AuditLogTests.event(40), AuditLogTests.event(41)], bodies: [])
            let resumed = try await store.searchAudit(AuditQuery(limit: 25, cursor: resume, order: .oldestFirst))
            #expect(resumed.entries == more)
            #expect(resumed.nextCursor != resume)
        }
    }

    @Test(arguments: StoreEngine.available)
    func badCursorsAndLimitsAreInvalidArguments(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            #expect(await storeError { _ = try await store.searchAudit(AuditQuery(cursor: "nonsense")) }?.code == .invalidArgument)
            #expect(await storeError { _ = try await store.searchAudit(AuditQuery(cursor: "s-4")) }?.code == .invalidArgument)
            #expect(await storeError { _ = try await store.searchAudit(AuditQuery(limit: 0)) }?.code == .invalidArgument)
            #expect(await storeError { _ = try await store.searchAudit(AuditQuery(limit: AuditQuery.maximumLimit + 1)) }?.code == .invalidArgument)
        }
    }
}
