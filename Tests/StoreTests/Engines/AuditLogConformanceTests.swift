import Audit
import Foundation
import Store
import Testing

/// Appending and reading the audit log, run against every available engine.
@Suite struct AuditLogConformanceTests {
    /// Appends `count` events in batches of varying sizes (so node maintenance crosses batch
    /// boundaries at every level) and returns the leaf hashes the pure module computes.
    static func fill(_ store: any AuditStore, count: Int, from start: Int = 0) async throws -> [MerkleHash] {
        var leaves: [MerkleHash] = []
        var next = start
        var batch = 1
        while next < start + count {
            let size = min(batch, start + count - next)
            let entries = try await store.appendAudit((next..<next + size).map(AuditLogTests.event), bodies: [])
            leaves += try entries.map { try $0.leafHash() }
            next += size
            batch = batch % 7 + 1
        }
        return leaves
    }

    /// Appends `chunks` batches of `size` events and returns the leaf hashes the pure module computes.
    static func fill(_ store: any AuditStore, chunks: Int, of size: Int) async throws -> [MerkleHash] {
        var leaves: [MerkleHash] = []
        for chunk in 0..<chunks {
            let entries = try await store.appendAudit((chunk * size..<(chunk + 1) * size).map(AuditLogTests.event), bodies: [])
            leaves += try entries.map { try $0.leafHash() }
        }
        return leaves
    }

    @Test(arguments: StoreEngine.available)
    func appendAssignsConsecutiveSequencesFromZero(engine: StoreEngine) async throws {
        let clock = ManualClock()
        try await engine.withAuditStore(clock: clock) { store, _ async throws in
            #expect(try await store.auditCount() == 0)
            let first = try await store.appendAudit([AuditLogTests.event(0), AuditLogTests.event(1)], bodies: [])
            let second = try await store.appendAudit([AuditLogTests.event(2)], bodies: [])
            #expect(first.map(\.sequence) == [0, 1])
            #expect(second.map(\.sequence) == [2])
            #expect(first[0].time == clock.now)
            #expect(try await store.auditCount() == 3)
            #expect(try await store.auditEntries(after: nil, limit: 10) == first + second)
            #expect(try await store.auditEntries(after: 0, limit: 1) == [first[1]])
            #expect(try await store.auditEntries(after: 2, limit: 10).isEmpty)
            #expect(try await store.appendAudit([], bodies: []).isEmpty)
        }
    }

    @Test(arguments: StoreEngine.available)
    func storedTextAndLeafHashesMatchTheAuditModule(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            var odd = AuditLogTests.event(4)
            odd.exchangeId = nil
            odd.detail = "quote \" backslash \\ nul \u{0} accent é"
            let entries = try await store.appendAudit((0..<4).map(AuditLogTests.event) + [odd], bodies: [])
            let texts = try await store.auditCanonicalTexts(0..<5)
            let hashes = try await store.auditLeafHashes(0..<5)
            #expect(texts == (try entries.map { try $0.canonicalText() }))
            #expect(hashes == (try entries.map { try $0.leafHash() }))
            #expect(hashes == texts.map { MerkleHash.leaf(Array($0.utf8)) })
            #expect(try await store.auditEntry(sequence: 4) == entries[4])
            #expect(try await store.auditEntries(after: nil, limit: 10) == entries)
        }
    }

    @Test(arguments: StoreEngine.available)
    func entriesOfOneExchangeInOrder(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            var delivered = AuditLogTests.event(7)
            delivered.kind = .responseDelivered
            _ = try await store.appendAudit([AuditLogTests.event(7), AuditLogTests.event(8), delivered], bodies: [])
            #expect(try await store.auditEntries(exchangeId: "ex-7").map(\.event.kind) == [.requestAccepted, .responseDelivered])
            #expect(try await store.auditEntries(exchangeId: "ex-9").isEmpty)
        }
    }

    @Test(arguments: StoreEngine.available)
    func eventThatCannotBeCanonicalIsRefused(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            var bad = AuditLogTests.event(0)
            bad.latencyMs = Int.max
            #expect(await storeError { _ = try await store.appendAudit([AuditLogTests.event(1), bad], bodies: []) }?.code == .invalidArgument)
            #expect(try await store.auditCount() == 0)
        }
    }

    @Test(arguments: StoreEngine.available)
    func provenEntryCarriesWhatAnAuditorChecks(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let leaves = try await Self.fill(store, count: 13)
            let proven = try #require(try await store.auditProvenEntry(sequence: 6, treeSize: 11))
            #expect(proven.entry.sequence == 6)
            #expect(MerkleHash.leaf(Array(proven.canonicalText.utf8)) == proven.leafHash)
            #expect(proven.leafHash == leaves[6])
            #expect(proven.rootHash == MerkleTree.rootHash(leaves: leaves[0..<11]))
            #expect(proven.proof.treeSize == 11)
            #expect(proven.proof.verify(leafHash: proven.leafHash, root: proven.rootHash))
            let current = try #require(try await store.auditProvenEntry(sequence: 12, treeSize: nil))
            #expect(current.proof.treeSize == 13)
            #expect(current.rootHash == MerkleTree.rootHash(leaves: leaves))
            #expect(try await store.auditProvenEntry(sequence: 11, treeSize: 11) == nil)
            #expect(try await store.auditProvenEntry(sequence: 13, treeSize: nil) == nil)
            #expect(await storeError { _ = try await store.auditProvenEntry(sequence: 1, treeSize: 14) }?.code == .invalidArgument)
            #expect(try await store.auditEntry(sequence: 12)?.sequence == 12)
            #expect(try await store.auditEntry(sequence: 13) == nil)
        }
    }

    @Test(arguments: StoreEngine.available)
    func exportBatchesCoverTheRangeInOrder(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            _ = try await Self.fill(store, count: 10)
            var sizes: [Int] = []
            var lines: [String] = []
            for try await batch in store.auditTextBatches(0..<10, batchSize: 3) {
                sizes.append(batch.count)
                lines += batch
            }
            #expect(sizes == [3, 3, 3, 1])
            #expect(lines == (try await store.auditCanonicalTexts(0..<10)))
            // A range past the end of the log stops at the end.
            var tail: [String] = []
            for try await batch in store.auditTextBatches(8..<50, batchSize: 4) { tail += batch }
            #expect(tail == Array(lines[8...]))
        }
    }
}
