import Audit
import Foundation
import Store
import Testing

/// Roots, proofs and frontiers from the stored Merkle nodes, checked against the Audit module's
/// independent `MerkleTree`, run against every available engine.
@Suite struct AuditTreeConformanceTests {
    @Test(arguments: StoreEngine.available)
    func rootsAndProofsMatchThePureTreeForEverySizeUpTo70(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, count: 70)
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
        }
    }

    @Test(arguments: StoreEngine.available)
    func proofsAtLargerSizesVerifyAndMatchTheReference(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, chunks: 5, of: 500)
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
        }
    }

    @Test(arguments: StoreEngine.available)
    func frontiersMatchThePureFrontierAtEverySize(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let leaves = try await AuditLogConformanceTests.fill(store, count: 40)
            var expected = MerkleFrontier()
            for size in 0...40 {
                #expect(try await store.auditFrontier(size: size) == expected, "size \(size)")
                if size < 40 { expected.append(leaves[size]) }
            }
            #expect(await storeError { _ = try await store.auditFrontier(size: 41) }?.code == .invalidArgument)
        }
    }

    @Test(arguments: StoreEngine.available)
    func sizesOutsideTheLogAreInvalidArguments(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            _ = try await AuditLogConformanceTests.fill(store, count: 5)
            #expect(await storeError { _ = try await store.auditRootHash(treeSize: 6) }?.code == .invalidArgument)
            #expect(await storeError { _ = try await store.auditRootHash(treeSize: -1) }?.code == .invalidArgument)
            #expect(await storeError { _ = try await store.auditInclusionProof(leafIndex: 5, treeSize: 5) }?.code == .invalidArgument)
            #expect(await storeError { _ = try await store.auditInclusionProof(leafIndex: 0, treeSize: 6) }?.code == .invalidArgument)
            #expect(await storeError { _ = try await store.auditConsistencyProof(from: 3, to: 2) }?.code == .invalidArgument)
            #expect(await storeError { _ = try await store.auditConsistencyProof(from: 2, to: 6) }?.code == .invalidArgument)
            #expect(try await store.auditRootHash(treeSize: 0) == .emptyTree)
        }
    }
}
