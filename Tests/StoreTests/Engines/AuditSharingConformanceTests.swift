import Audit
import Eventually
import Foundation
import PostgresTestSupport
import Store
import Testing

/// Several nodes (stores) on one database: appends stay consecutive and one node signs.
@Suite struct AuditSharingConformanceTests {
    /// Asks `store` for the role until it holds it (true) or 30 seconds pass: the server releases
    /// a lock only once it has ended the session, a moment after the client let go.
    static func takesTheRole(_ store: any AuditStore) async throws -> Bool {
        try await eventually(within: .seconds(30), every: .milliseconds(20)) { try await store.holdsSequencerRole() }
    }

    @Test(arguments: StoreEngine.available)
    func concurrentAppendsFromTwoNodesGetEverySequenceOnce(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let first = try await database.open(as: (any AuditStore).self)
            let second = try await database.open(as: (any AuditStore).self)
            // 40 batches of 10, half from each node, all at once.
            let batches = try await withThrowingTaskGroup(of: [AuditEntry].self) { group in
                for batch in 0..<40 {
                    let node = batch.isMultiple(of: 2) ? first : second
                    let events = (batch * 10..<(batch + 1) * 10).map(AuditLogTests.event)
                    group.addTask { try await node.appendAudit(events, bodies: []) }
                }
                return try await group.reduce(into: [[AuditEntry]]()) { $0.append($1) }
            }
            #expect(batches.count == 40)
            for batch in batches {
                // A batch stays consecutive, in the order it was given.
                let start = try #require(batch[0].event.exchangeId.flatMap { Int($0.dropFirst(3)) })
                #expect(batch.map(\.sequence) == Array(batch[0].sequence..<batch[0].sequence + 10))
                #expect(batch.map(\.event.exchangeId) == (start..<start + 10).map { "ex-\($0)" })
            }
            let entries = batches.flatMap { $0 }.sorted { $0.sequence < $1.sequence }
            #expect(entries.map(\.sequence) == Array(0..<400))
            #expect(Set(entries.compactMap(\.event.exchangeId)).count == 400)
            // Each node reads what the other wrote, and the tree over it is whole.
            #expect(try await second.auditEntries(after: nil, limit: 1000) == entries)
            let check = try await first.verifyAuditTree()
            #expect(check.isIntact, "\(String(describing: check.failure))")
            #expect(check.rootHash == MerkleTree.rootHash(leaves: try entries.map { try $0.leafHash() }))
            try await database.close(first)
            try await database.close(second)
        }
    }

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func oneNodeHoldsTheSequencerRoleUntilItCloses(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let first = try await database.open(as: (any AuditStore).self)
            let second = try await database.open(as: (any AuditStore).self)
            #expect(try await first.holdsSequencerRole())
            #expect(try await !second.holdsSequencerRole())
            // Asking again changes nothing: the holder keeps the role, the other keeps waiting.
            #expect(try await first.holdsSequencerRole())
            #expect(try await !second.holdsSequencerRole())
            // Concurrent calls on both nodes: only the holder ever answers true.
            let answers = try await withThrowingTaskGroup(of: (holder: Bool, holds: Bool).self) { group in
                for index in 0..<10 {
                    let holder = index.isMultiple(of: 2)
                    let node = holder ? first : second
                    group.addTask { (holder, try await node.holdsSequencerRole()) }
                }
                return try await group.reduce(into: [(holder: Bool, holds: Bool)]()) { $0.append($1) }
            }
            #expect(answers.count == 10 && answers.allSatisfy { $0.holder == $0.holds })

            // The holder's session ends: the other node takes the role on a following call.
            try await database.close(first)
            #expect(try await Self.takesTheRole(second))
            let third = try await database.open(as: (any AuditStore).self)
            #expect(try await !third.holdsSequencerRole())
            #expect(try await second.holdsSequencerRole())
            try await database.close(second)
            try await database.close(third)
        }
    }

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func aHolderWhoseSessionIsLostGivesTheRoleUp(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let first = try await database.open(as: (any AuditStore).self)
            let second = try await database.open(as: (any AuditStore).self)
            #expect(try await first.holdsSequencerRole())
            #expect(try await !second.holdsSequencerRole())
            // The server ends the holder's session (a network failure, an administrator).
            let key = UInt64(bitPattern: 0x7261_6274_7365_7172)
            try await database.tamper("""
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND classid = \(key >> 32) AND objid = \(key & 0xFFFF_FFFF)
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """)
            #expect(try await Self.takesTheRole(second))
            // The former holder finds its session gone (an error or a refusal), then keeps asking in vain.
            var held: Bool?
            let lost = await storeError { held = try await first.holdsSequencerRole() }
            #expect(lost?.code == .storeUnavailable || held == false)
            #expect(try await !first.holdsSequencerRole())
            #expect(try await second.holdsSequencerRole())
            try await database.close(first)
            try await database.close(second)
        }
    }

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func aHolderThatFallsSilentLosesTheRole(engine: StoreEngine) async throws {
        try await PostgresTestServer.withDatabase { url in
            // A node that hangs, or whose host vanishes, stops checking its session; the server
            // ends the session after the silence timeout even though no connection was closed.
            let silence = Duration.seconds(2)
            let quiet = PostgresStore.Configuration(maximumConnections: 2, sequencerSessionTimeout: silence)
            let first = try await PostgresStore(url: url, configuration: quiet)
            let second = try await PostgresStore(url: url, configuration: quiet)
            #expect(try await first.holdsSequencerRole())
            // Checked far more often than the timeout, the holder keeps the role for twice the
            // timeout: no check within that time may find it lost. Time passing is the point here;
            // checks 100 ms apart leave a margin a loaded machine does not use up (it would have
            // to stall one check for 2 s).
            let lapse = try await poll(within: silence * 2, every: .milliseconds(100)) { () async throws -> String? in
                if try await !first.holdsSequencerRole() { return "the holder lost the role" }
                if try await second.holdsSequencerRole() { return "the other node took the role" }
                return nil
            }
            #expect(lapse == nil, "\(lapse ?? "")")
            // Then it falls silent: the server ends its session, and the other node takes over.
            #expect(try await Self.takesTheRole(second))
            var held: Bool?
            let lost = await storeError { held = try await first.holdsSequencerRole() }
            #expect(lost?.code == .storeUnavailable || held == false)
            await first.close()
            await second.close()
        }
    }

    @Test func theOnlySQLiteProcessAlwaysHoldsTheSequencerRole() async throws {
        try await StoreEngine.sqlite.withStore { database async throws in
            let first = try await database.open(as: (any AuditStore).self)
            let second = try await database.open(as: (any AuditStore).self)
            #expect(try await first.holdsSequencerRole())
            #expect(try await second.holdsSequencerRole())
            try await database.close(first)
            try await database.close(second)
        }
    }
}
