import Audit
import Foundation
import Store

/// Export of a range as JSON Lines and offline recomputation of its tree.
enum ExportBenchmark {
    /// Streams entries `0..<size` into `file`, one canonical line each, in bounded batches.
    static func export(_ store: SQLiteStore, size: Int, to file: URL) async throws -> (Duration, Int) {
        let clock = ContinuousClock()
        let start = clock.now
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw BenchmarkFailure("cannot create the export file")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var bytes = 0
        for try await batch in store.auditTextBatches(0..<size, batchSize: 4096) {
            var chunk = Data()
            chunk.reserveCapacity(batch.count * 512)
            for line in batch {
                chunk.append(contentsOf: line.utf8)
                chunk.append(0x0A)
            }
            bytes += chunk.count
            try handle.write(contentsOf: chunk)
        }
        return (clock.now - start, bytes)
    }

    /// Recomputes the root of an exported file from its lines alone (leaf hash of each line's
    /// bytes, folded through a frontier) reading 1 MiB at a time, and returns it with the line count.
    /// This is the hashing core of an offline verify, without signature checks of tree heads.
    static func recomputeRoot(of file: URL) throws -> (MerkleHash, Int) {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var frontier = MerkleFrontier()
        var pending: [UInt8] = []
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            pending += data
            var lineStart = 0
            for index in pending.indices where pending[index] == 0x0A {
                frontier.append(MerkleHash.leaf(pending[lineStart..<index]))
                lineStart = index + 1
            }
            pending.removeFirst(lineStart)
        }
        guard pending.isEmpty else { throw BenchmarkFailure("export ends without a newline") }
        return (frontier.rootHash, frontier.size)
    }
}
