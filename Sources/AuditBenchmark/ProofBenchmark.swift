import Audit
import Foundation
import Store

/// Proof and root latency from stored nodes, against recomputing from every leaf hash.
enum ProofBenchmark {
    static func inclusion(_ store: SQLiteStore, size: Int, samples: Int, seed: UInt64) async throws -> Latencies {
        let clock = ContinuousClock()
        var random = SplitMix(state: seed)
        let root = try await store.auditRootHash(treeSize: size)
        var latencies = Latencies()
        for _ in 0..<samples {
            let index = Int.random(in: 0..<size, using: &random)
            let start = clock.now
            let proof = try await store.auditInclusionProof(leafIndex: index, treeSize: size)
            latencies.add(clock.now - start)
            // Checked outside the timing: a fast wrong proof would be no result at all.
            let leaf = try await store.auditLeafHashes(index..<index + 1)[0]
            guard proof.verify(leafHash: leaf, root: root) else { throw BenchmarkFailure("inclusion proof does not verify") }
        }
        return latencies
    }

    static func consistency(_ store: SQLiteStore, size: Int, samples: Int, seed: UInt64) async throws -> Latencies {
        let clock = ContinuousClock()
        var random = SplitMix(state: seed)
        let root = try await store.auditRootHash(treeSize: size)
        var latencies = Latencies()
        for _ in 0..<samples {
            let first = Int.random(in: 1..<size, using: &random)
            let start = clock.now
            let proof = try await store.auditConsistencyProof(from: first, to: size)
            latencies.add(clock.now - start)
            let firstRoot = try await store.auditRootHash(treeSize: first)
            guard proof.verify(firstRoot: firstRoot, secondRoot: root) else { throw BenchmarkFailure("consistency proof does not verify") }
        }
        return latencies
    }

    static func roots(_ store: SQLiteStore, size: Int, samples: Int, seed: UInt64) async throws -> Latencies {
        let clock = ContinuousClock()
        var random = SplitMix(state: seed)
        var latencies = Latencies()
        for _ in 0..<samples {
            let treeSize = Int.random(in: 1...size, using: &random)
            let start = clock.now
            _ = try await store.auditRootHash(treeSize: treeSize)
            latencies.add(clock.now - start)
        }
        return latencies
    }

    /// The baseline: read every leaf hash once, then build each proof from all of them.
    static func fromAllLeaves(
        _ store: SQLiteStore, size: Int, samples: Int, seed: UInt64
    ) async throws -> (load: Duration, proofs: Latencies) {
        let clock = ContinuousClock()
        var random = SplitMix(state: seed)
        let start = clock.now
        let leaves = try await store.auditLeafHashes(0..<size)
        let load = clock.now - start
        var latencies = Latencies()
        for _ in 0..<samples {
            let index = Int.random(in: 0..<size, using: &random)
            let began = clock.now
            let proof = MerkleTree.inclusionProof(leafIndex: index, leaves: leaves)
            latencies.add(clock.now - began)
            guard try await proof == store.auditInclusionProof(leafIndex: index, treeSize: size) else {
                throw BenchmarkFailure("stored-node proof differs from the recomputed one")
            }
        }
        return (load, latencies)
    }
}

/// A benchmark result that cannot be trusted stops the run.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
