import Audit
import Foundation
import Store
import Testing

/// Signed tree heads and sealed bodies kept next to the log, run against every available engine.
@Suite struct TreeHeadConformanceTests {
    static let epoch = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(arguments: StoreEngine.available)
    func headsAreStoredAndServedBySize(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, database async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, count: 30)
            #expect(try await store.latestTreeHead() == nil)
            let time = Date(timeIntervalSince1970: 1_795_000_000.123)
            var heads: [StoredTreeHead] = []
            for size in [0, 10, 20, 30] {
                let head = StoredTreeHead(size: size, rootHash: MerkleTree.rootHash(leaves: leaves[0..<size]),
                                          timestamp: time.addingTimeInterval(Double(size)), note: "rabt.example/log\n\(size)\n")
                #expect(try await store.saveTreeHead(head) == head)
                heads.append(head)
            }
            #expect(try await store.latestTreeHead() == heads[3])
            #expect(try await store.treeHead(size: 20) == heads[2])
            #expect(try await store.treeHead(size: 21) == nil)
            #expect(try await store.treeHead(covering: 11) == heads[2])
            #expect(try await store.treeHead(covering: 30) == heads[3])
            #expect(try await store.treeHead(covering: 31) == nil)
            #expect(try await store.treeHeads(sizes: 5...30, limit: 1000) == Array(heads[1...]))
            #expect(try await store.treeHeads(sizes: 0...30, limit: 2) == Array(heads[0..<2]))

            // Another node on the same database serves the same heads.
            try await database.withStore(as: (any AuditStore).self) { other async throws in
                #expect(try await other.latestTreeHead() == heads[3])
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func aPublishedHeadIsNeverReplaced(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, count: 5)
            let root = MerkleTree.rootHash(leaves: leaves)
            let first = StoredTreeHead(size: 5, rootHash: root, timestamp: Date(timeIntervalSince1970: 1_795_000_000), note: "first")
            try await store.saveTreeHead(first)
            let later = StoredTreeHead(size: 5, rootHash: root, timestamp: Date(timeIntervalSince1970: 1_795_000_060), note: "second")
            #expect(try await store.saveTreeHead(later) == first)
            #expect(try await store.treeHead(size: 5) == first)
        }
    }

    @Test(arguments: StoreEngine.available)
    func aHeadOutOfTimeOrderWithTheStoredOnesIsAConflict(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, count: 10)
            func head(_ size: Int, at seconds: Double) -> StoredTreeHead {
                StoredTreeHead(size: size, rootHash: MerkleTree.rootHash(leaves: leaves[0..<size]),
                               timestamp: Self.epoch.addingTimeInterval(seconds), note: "\(size)")
            }
            try await store.saveTreeHead(head(5, at: 100))
            // Two nodes signing at once: one read the log before the other stored a later head.
            #expect(await storeError { try await store.saveTreeHead(head(8, at: 50)) }?.code == .conflict)
            #expect(await storeError { try await store.saveTreeHead(head(3, at: 200)) }?.code == .conflict)
            #expect(try await store.saveTreeHead(head(8, at: 100)) == head(8, at: 100))
            #expect(try await store.saveTreeHead(head(3, at: 40)) == head(3, at: 40))
            #expect(try await store.treeHeads(sizes: 0...10, limit: 10).map(\.size) == [3, 5, 8])
            let check = try await store.verifyAuditTree()
            #expect(check.isIntact && check.headsChecked == 3, "\(check)")
        }
    }

    @Test(arguments: StoreEngine.available)
    func nodesSavingOneSizeAtOnceAllKeepTheSameHead(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let first = try await database.open(as: (any AuditStore).self)
            let second = try await database.open(as: (any AuditStore).self)
            let root = MerkleTree.rootHash(leaves: try await AuditLogConformanceTests.fill(first, count: 5))
            let kept = try await withThrowingTaskGroup(of: StoredTreeHead.self) { group in
                for index in 0..<10 {
                    let node = index.isMultiple(of: 2) ? first : second
                    let head = StoredTreeHead(size: 5, rootHash: root, timestamp: Self.epoch, note: "node \(index)")
                    group.addTask { try await node.saveTreeHead(head) }
                }
                return try await group.reduce(into: [StoredTreeHead]()) { $0.append($1) }
            }
            #expect(kept.count == 10 && Set(kept).count == 1)
            #expect(try await second.treeHead(size: 5) == kept.first)
            try await database.close(first)
            try await database.close(second)
        }
    }

    @Test(arguments: StoreEngine.available)
    func headsThatDoNotDescribeTheLogAreRefused(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, count: 5)
            let wrongRoot = StoredTreeHead(size: 4, rootHash: MerkleTree.rootHash(leaves: leaves), timestamp: Date(), note: "n")
            #expect(await storeError { try await store.saveTreeHead(wrongRoot) }?.code == .invalidArgument)
            let tooLarge = StoredTreeHead(size: 6, rootHash: MerkleTree.rootHash(leaves: leaves), timestamp: Date(), note: "n")
            #expect(await storeError { try await store.saveTreeHead(tooLarge) }?.code == .invalidArgument)
            #expect(try await store.latestTreeHead() == nil)
        }
    }
}

@Suite struct AuditBodyConformanceTests {
    static let request = Data("sealed-request".utf8)
    static let response = Data("sealed-response".utf8)

    @Test(arguments: StoreEngine.available)
    func bodiesAreStoredWithTheirEntries(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let bodies = [
                AuditBody(exchangeId: "ex-1", part: .response, sealed: Self.response),
                AuditBody(exchangeId: "ex-1", part: .request, sealed: Self.request),
                AuditBody(exchangeId: "ex-1", part: "Zz", sealed: Data()),
            ]
            let entries = try await store.appendAudit([AuditLogTests.event(1)], bodies: bodies)
            #expect(entries.map(\.sequence) == [0])
            // Parts in bytewise order, whatever the database's collation.
            #expect(try await store.auditBodies(exchangeId: "ex-1") == [bodies[2], bodies[1], bodies[0]])
            #expect(try await store.auditBodies(exchangeId: "ex-2").isEmpty)
            try await store.saveAuditBody(exchangeId: "ex-2", part: .request, sealed: Self.request)
            #expect(try await store.auditBodies(exchangeId: "ex-2") == [AuditBody(exchangeId: "ex-2", part: .request, sealed: Self.request)])
            // Bodies alone append no entry.
            #expect(try await store.appendAudit([], bodies: [AuditBody(exchangeId: "ex-3", part: .request, sealed: Self.request)]).isEmpty)
            #expect(try await store.auditBodies(exchangeId: "ex-3").count == 1)
            #expect(try await store.auditCount() == 1)
        }
    }

    @Test(arguments: StoreEngine.available)
    func aDuplicateBodyFailsItsWholeAppend(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            try await store.saveAuditBody(exchangeId: "ex-1", part: .request, sealed: Self.request)
            let stored = await storeError {
                _ = try await store.appendAudit([AuditLogTests.event(1)], bodies: [AuditBody(exchangeId: "ex-1", part: .request, sealed: Self.response)])
            }
            #expect(stored?.code == .conflict)
            let repeated = AuditBody(exchangeId: "ex-2", part: .request, sealed: Self.request)
            #expect(await storeError { _ = try await store.appendAudit([AuditLogTests.event(2)], bodies: [repeated, repeated]) }?.code == .conflict)
            #expect(try await store.auditCount() == 0)
            #expect(try await store.auditBodies(exchangeId: "ex-1").map(\.sealed) == [Self.request])
            #expect(try await store.auditBodies(exchangeId: "ex-2").isEmpty)
            #expect(await storeError { try await store.saveAuditBody(exchangeId: "ex-1", part: .request, sealed: Self.request) }?.code == .conflict)
        }
    }
}
