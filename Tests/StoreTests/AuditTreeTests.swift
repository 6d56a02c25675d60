import Audit
import Foundation
import Store
import Testing

@Suite struct AuditTreeTests {
    /// Appends `count` events in batches of varying sizes (so node maintenance crosses batch
    /// boundaries at every level) and returns the leaf hashes the pure module computes.
    static func fill(_ store: SQLiteStore, count: Int, from start: Int = 0) async throws -> [MerkleHash] {
        var leaves: [MerkleHash] = []
        var next = start
        var batch = 1
        while next < start + count {
            let size = min(batch, start + count - next)
            let entries = try await store.appendAudit((next..<next + size).map(AuditLogTests.event))
            leaves += try entries.map { try $0.leafHash() }
            next += size
            batch = batch % 7 + 1
        }
        return leaves
    }

    @Test func rootsAndProofsMatchThePureTreeForEverySizeUpTo70() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let leaves = try await Self.fill(store, count: 70)
        for size in 0...70 {
            let prefix = Array(leaves[0..<size])
            #expect(try await store.auditRootHash(treeSize: size) == MerkleTree.rootHash(leaves: prefix), "size \(size)")
            for index in 0..<size {
                let proof = try await store.auditInclusionProof(leafIndex: index, treeSize: size)
                #expect(proof == MerkleTree.inclusionProof(leafIndex: index, leaves: prefix), "leaf \(index) of \(size)")
            }
            for first in 0...size {
                let proof = try await store.auditConsistencyProof(from: first, to: size)
                #expect(proof == MerkleTree.consistencyProof(firstSize: first, leaves: prefix), "\(first) to \(size)")
            }
        }
        #expect(try await store.auditTreeState() == AuditTreeState(size: 70, rootHash: MerkleTree.rootHash(leaves: leaves)))
        try await store.close()
    }

    @Test func proofsAtLargerSizesVerifyAndMatchTheReference() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        var leaves: [MerkleHash] = []
        for chunk in 0..<5 {
            let entries = try await store.appendAudit((chunk * 500..<(chunk + 1) * 500).map(AuditLogTests.event))
            leaves += try entries.map { try $0.leafHash() }
        }
        for size in [1024, 1025, 1537, 2047, 2048, 2500] {
            let prefix = Array(leaves[0..<size])
            let root = MerkleTree.rootHash(leaves: prefix)
            #expect(try await store.auditRootHash(treeSize: size) == root)
            for index in [0, 1, 511, 512, 1023, size / 2, size - 2, size - 1] {
                let proof = try await store.auditInclusionProof(leafIndex: index, treeSize: size)
                #expect(proof == MerkleTree.inclusionProof(leafIndex: index, leaves: prefix))
                #expect(proof.verify(leafHash: leaves[index], root: root))
            }
            for first in [1, 2, 3, 512, 1000, 1024, size - 1] {
                let proof = try await store.auditConsistencyProof(from: first, to: size)
                #expect(proof == MerkleTree.consistencyProof(firstSize: first, leaves: prefix))
                #expect(proof.verify(firstRoot: MerkleTree.rootHash(leaves: leaves[0..<first]), secondRoot: root))
            }
        }
        try await store.close()
    }

    @Test func frontiersMatchThePureFrontierAtEverySize() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let leaves = try await Self.fill(store, count: 40)
        var expected = MerkleFrontier()
        for size in 0...40 {
            #expect(try await store.auditFrontier(size: size) == expected, "size \(size)")
            if size < 40 { expected.append(leaves[size]) }
        }
        #expect(await storeErrorCode { _ = try await store.auditFrontier(size: 41) } == .invalidArgument)
        try await store.close()
    }

    @Test func sizesOutsideTheLogAreInvalidArguments() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        _ = try await Self.fill(store, count: 5)
        #expect(await storeErrorCode { _ = try await store.auditRootHash(treeSize: 6) } == .invalidArgument)
        #expect(await storeErrorCode { _ = try await store.auditRootHash(treeSize: -1) } == .invalidArgument)
        #expect(await storeErrorCode { _ = try await store.auditInclusionProof(leafIndex: 5, treeSize: 5) } == .invalidArgument)
        #expect(await storeErrorCode { _ = try await store.auditInclusionProof(leafIndex: 0, treeSize: 6) } == .invalidArgument)
        #expect(await storeErrorCode { _ = try await store.auditConsistencyProof(from: 3, to: 2) } == .invalidArgument)
        #expect(await storeErrorCode { _ = try await store.auditConsistencyProof(from: 2, to: 6) } == .invalidArgument)
        #expect(try await store.auditRootHash(treeSize: 0) == .emptyTree)
        try await store.close()
    }

    @Test func provenEntryCarriesWhatAnAuditorChecks() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let leaves = try await Self.fill(store, count: 13)
        let proven = try #require(try await store.auditProvenEntry(sequence: 6, treeSize: 11))
        #expect(proven.entry.sequence == 6)
        #expect(MerkleHash.leaf(Array(proven.canonicalText.utf8)) == proven.leafHash)
        #expect(proven.leafHash == leaves[6])
        #expect(proven.rootHash == MerkleTree.rootHash(leaves: leaves[0..<11]))
        #expect(proven.proof.treeSize == 11)
        #expect(proven.proof.verify(leafHash: proven.leafHash, root: proven.rootHash))
        let current = try #require(try await store.auditProvenEntry(sequence: 12))
        #expect(current.proof.treeSize == 13)
        #expect(try await store.auditProvenEntry(sequence: 11, treeSize: 11) == nil)
        #expect(try await store.auditProvenEntry(sequence: 13) == nil)
        #expect(try await store.auditEntry(sequence: 12)?.sequence == 12)
        #expect(try await store.auditEntry(sequence: 13) == nil)
        try await store.close()
    }

    @Test func exportBatchesCoverTheRangeInOrder() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
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
        try await store.close()
    }
}
