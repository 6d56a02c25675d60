import Audit
import Foundation
import Store
import Testing

/// Several broker nodes sharing one database, run against every available engine: claims on any
/// node hand each message to one worker, and a node whose lease lapsed cannot finish late.
@Suite struct OutboxNodesConformanceTests: OutboxSuite {
    @Test(arguments: StoreEngine.available)
    func concurrentClaimersOnTwoNodesTakeEveryMessageExactlyOnce(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let nodes = [
                try await database.open(as: (any DeliveryStore).self), try await database.open(as: (any DeliveryStore).self),
            ]
            for index in 0..<500 {
                let node = nodes[index % 2]
                try await node.enqueueAll(message("ex-\(index)", due: -Double(index % 37)), audited: false)
            }
            let now = start
            // Ten claimers of 20 spread over both nodes, each claiming until it finds nothing left;
            // 500 / 20 rounds would do for one claimer, so 100 rounds each bounds the loop.
            let claimed = try await withThrowingTaskGroup(of: [OutboxMessage].self) { group in
                for claimer in 0..<10 {
                    let node = nodes[claimer % 2]
                    group.addTask {
                        var taken: [OutboxMessage] = []
                        for _ in 0..<100 {
                            let batch = try await node.claimOutbox(now: now, limit: 20, lease: .seconds(30))
                            if batch.isEmpty { break }
                            taken += batch
                        }
                        return taken
                    }
                }
                return try await group.reduce(into: [OutboxMessage]()) { $0 += $1 }
            }
            #expect(claimed.count == 500)
            #expect(Set(claimed.map(\.id)).count == 500)
            #expect(claimed.allSatisfy { $0.state == .delivering && $0.attempts == 1 })
            #expect(try await nodes[0].claimOutbox(now: now, limit: 20, lease: .seconds(30)).isEmpty)
            #expect(try await nodes[1].outboxCounts() == [.pending: 0, .delivering: 500, .delivered: 0, .dead: 0, .discarded: 0])
            for node in nodes { try await database.close(node) }
        }
    }

    @Test(arguments: StoreEngine.available)
    func enqueuesAndFinishesOnTwoNodesAtOnceKeepOneIntactAuditLog(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let nodes = [try await database.open(as: DeliveryTestStore.self), try await database.open(as: DeliveryTestStore.self)]
            let messages = (0..<40).map { message("ex-\($0)", due: -Double($0)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, message) in messages.enumerated() {
                    let node = nodes[index % 2]
                    group.addTask { try await node.enqueueAll(message) }
                }
                try await group.waitForAll()
            }
            let now = start
            let claimed = try await nodes[0].claimOutbox(now: now, limit: 40, lease: .seconds(30))
            #expect(claimed.count == 40)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, message) in claimed.enumerated() {
                    let node = nodes[index % 2]
                    group.addTask {
                        _ = try await node.finishOutbox(
                            id: message.id, .delivered(status: 200, headers: [], body: []), now: now,
                            auditing: [AuditEvent(kind: .responseDelivered, exchangeId: message.id, status: 200)],
                            attempt: message.attempts, followUp: nil
                        )
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await nodes[1].auditCount() == 80)
            #expect(try await nodes[1].auditEntries(after: nil, limit: 100).map(\.sequence) == Array(0..<80))
            #expect(try await nodes[0].auditEntries(exchangeId: "ex-7").map(\.event.kind) == [.requestAccepted, .responseDelivered])
            #expect(try await nodes[0].verifyAuditTree().isIntact)
            #expect(try await nodes[0].outboxCounts()[.delivered] == 40)
            for node in nodes { try await database.close(node) }
        }
    }

    @Test(arguments: StoreEngine.available)
    func aLapsedLeaseIsTakenByTheOtherNodeAndTheFirstNodesLateFinishIsAConflict(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let first = try await database.open(as: (any DeliveryStore).self)
            let second = try await database.open(as: (any DeliveryStore).self)
            try await first.enqueueAll(message("ex-1"), audited: false)
            let mine = try await first.claimOutbox(now: start, limit: 10, lease: .seconds(30))
            #expect(mine.map(\.id) == ["ex-1"])
            // The first node stalls: while its lease runs the second node gets nothing, then takes over.
            #expect(try await second.claimOutbox(now: start.addingTimeInterval(29), limit: 10, lease: .seconds(30)).isEmpty)
            let theirs = try await second.claimOutbox(now: start.addingTimeInterval(30), limit: 10, lease: .seconds(30))
            #expect(theirs.map(\.id) == ["ex-1"] && theirs.first?.attempts == 2)

            #expect(await storeErrorCode {
                _ = try await first.finishOutbox(
                    id: "ex-1", .delivered(status: 200, headers: [], body: [1]), now: start.addingTimeInterval(31), auditing: [],
                    attempt: mine[0].attempts, followUp: nil
                )
            } == .conflict)
            let done = try await second.finishOutbox(
                id: "ex-1", .delivered(status: 201, headers: [], body: [2]), now: start.addingTimeInterval(32), auditing: [],
                attempt: 2, followUp: nil
            )
            #expect(done.responseStatus == 201)
            #expect(try await first.outboxMessage(id: "ex-1") == done)
            // Once delivered, the stale node's finish is refused for the state as well.
            #expect(await storeErrorCode {
                _ = try await first.finishOutbox(id: "ex-1", .dead(error: "late"), now: start, auditing: [], attempt: nil, followUp: nil)
            } == .conflict)
            try await database.close(first)
            try await database.close(second)
        }
    }
}
