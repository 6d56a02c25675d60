import Audit
import Dispatch
import Foundation
import Synchronization

/// Canonical text and leaf hash of each entry of a batch, computed before its rows are written.
///
/// Canonicalising and hashing are most of an append's CPU, and they run inside the write
/// transaction, which only one thread holds. A large batch is therefore split across the
/// processors, so the single writer waits for the slowest share instead of the whole batch.
enum AuditBatchEncoder {
    /// One entry ready to insert.
    struct Encoded: Sendable {
        let text: String
        let leaf: MerkleHash
    }

    /// Below this many entries one thread is faster than handing work to others.
    static let parallelThreshold = 128

    static func encode(_ entries: [AuditEntry]) throws(StoreError) -> [Encoded] {
        let shares = entries.count >= parallelThreshold ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        guard shares > 1 else { return try encode(entries[...]) }
        let shareSize = (entries.count + shares - 1) / shares
        let results = Mutex<[Result<[Encoded], StoreError>?]>(Array(repeating: nil, count: shares))
        // Runs on the writer's dispatch queue (never the cooperative pool), so blocking here is fine.
        DispatchQueue.concurrentPerform(iterations: shares) { share in
            let lower = min(share * shareSize, entries.count)
            let upper = min(lower + shareSize, entries.count)
            let result = Result { () throws(StoreError) in try encode(entries[lower..<upper]) }
            results.withLock { $0[share] = result }
        }
        var encoded: [Encoded] = []
        encoded.reserveCapacity(entries.count)
        for result in results.withLock({ $0 }) {
            guard let result else { continue }
            encoded += try result.get()
        }
        return encoded
    }

    private static func encode(_ entries: ArraySlice<AuditEntry>) throws(StoreError) -> [Encoded] {
        var encoded: [Encoded] = []
        encoded.reserveCapacity(entries.count)
        // One buffer for the whole share: each entry is written over the previous one.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        for entry in entries {
            bytes.removeAll(keepingCapacity: true)
            do {
                try entry.writeCanonical(into: &bytes)
            } catch {
                throw StoreError(code: .invalidArgument, message: "audit event cannot be canonicalised", cause: error)
            }
            encoded.append(Encoded(text: String(decoding: bytes, as: UTF8.self), leaf: MerkleHash.leaf(bytes)))
        }
        return encoded
    }
}
