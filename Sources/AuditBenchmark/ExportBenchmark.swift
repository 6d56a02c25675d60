import Audit
import Foundation
import Store

/// Export of the log in the `rabt-audit-export/1` format and its offline verification.
enum ExportBenchmark {
    /// The signing identity of the benchmark's log.
    static let origin = "bench.rabt.example/audit"

    /// Signs the current head of `store` and keeps it, as the Broker's signer does.
    static func signHead(_ store: SQLiteStore, key: AuditSigningKey) async throws -> SignedTreeHead {
        let state = try await store.auditTreeState()
        let head = TreeHead(size: state.size, rootHash: state.rootHash, timestamp: Date())
        let signed = try SignedTreeHead(signing: head, origin: origin, key: key)
        try await store.saveTreeHead(StoredTreeHead(size: head.size, rootHash: head.rootHash, timestamp: head.timestamp, note: signed.note))
        return signed
    }

    /// Streams entries `0..<head.size` and the head into `file`, reading the store in bounded batches.
    static func export(_ store: SQLiteStore, head: SignedTreeHead, to file: URL) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw BenchmarkFailure("cannot create the export file")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var writer = try AuditExportWriter(
            header: AuditExportHeader(origin: origin, frontier: MerkleFrontier(), to: head.head.size), fileHandle: handle
        )
        for try await batch in store.auditTextBatches(0..<head.head.size, batchSize: 4096) {
            for text in batch {
                try writer.append(entryText: text)
            }
        }
        try writer.append(head)
        try writer.finish()
        return clock.now - start
    }

    /// Verifies the export offline with the `Audit` verifier: every line hashed, the tree rebuilt,
    /// the head's signature and root checked, in bounded memory.
    static func verify(_ file: URL, key: AuditVerifyingKey) throws -> (Duration, AuditVerificationResult) {
        let clock = ContinuousClock()
        let start = clock.now
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let result = try AuditVerifier.verifyExport(fileHandle: handle, keys: [key])
        return (clock.now - start, result)
    }
}
