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
    /// Consecutive entries ready to insert: their canonical texts back to back in one buffer
    /// (entry i is `bytes[ends[i-1]..<ends[i]]`) and their leaf hashes.
    struct Share: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var leaves: [MerkleHash] = []
    }

    /// Below this many entries one thread is faster than handing work to others.
    static let parallelThreshold = 128

    /// The entries' shares, in order.
    static func encode(_ entries: [AuditEntry]) throws(StoreError) -> [Share] {
        let shares = entries.count >= parallelThreshold ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        guard shares > 1 else { return [try encode(entries[...])] }
        let shareSize = (entries.count + shares - 1) / shares
        let results = Mutex<[Result<Share, StoreError>?]>(Array(repeating: nil, count: shares))
        // SQLite runs this on its writer's dispatch queue; PostgreSQL on the appending task, which
        // waits here for CPU work only, as it would computing the shares itself.
        DispatchQueue.concurrentPerform(iterations: shares) { share in
            let lower = min(share * shareSize, entries.count)
            let upper = min(lower + shareSize, entries.count)
            let result = Result { () throws(StoreError) in try encode(entries[lower..<upper]) }
            results.withLock { $0[share] = result }
        }
        var encoded: [Share] = []
        encoded.reserveCapacity(shares)
        for result in results.withLock({ $0 }) {
            guard let result else { continue }
            encoded.append(try result.get())
        }
        return encoded
    }

    private static func encode(_ entries: ArraySlice<AuditEntry>) throws(StoreError) -> Share {
        var share = Share()
        // One buffer for the whole share, so an entry costs no allocation of its own.
        share.bytes.reserveCapacity(entries.count * 640)
        share.ends.reserveCapacity(entries.count)
        share.leaves.reserveCapacity(entries.count)
        for entry in entries {
            let start = share.bytes.count
            do {
                try entry.writeCanonical(into: &share.bytes)
            } catch {
                throw StoreError(code: .invalidArgument, message: "audit event cannot be canonicalised", cause: error)
            }
            let end = share.bytes.count
            share.leaves.append(share.bytes.withUnsafeBytes { MerkleHash.leaf(UnsafeRawBufferPointer(rebasing: $0[start..<end])) })
            share.ends.append(end)
        }
        return share
    }
}
