import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// Appends events in one transaction and returns them as entries.
    ///
    /// Sequence numbers are consecutive from the current count (the first entry is 0, its RFC 9162
    /// leaf index); each row holds the canonical JSON and its leaf hash. Any failure to persist
    /// is `audit-unavailable`; an event that cannot be canonicalised is `invalid-argument`.
    public func appendAudit(_ events: [AuditEvent]) async throws(StoreError) -> [AuditEntry] {
        guard !events.isEmpty else { return [] }
        let now = configuration.now()
        return try await write("append audit", failure: .auditUnavailable) { db in
            let next = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence) + 1, 0) FROM audit_entry") ?? 0
            var entries: [AuditEntry] = []
            entries.reserveCapacity(events.count)
            let statement = try db.cachedStatement(sql: """
                INSERT INTO audit_entry (sequence, time_ms, kind, exchange_id, entry, leaf_hash) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for (offset, event) in events.enumerated() {
                let entry = AuditEntry(sequence: next + offset, time: now, event: event)
                let bytes: [UInt8]
                do {
                    bytes = try entry.canonicalBytes()
                } catch {
                    throw StoreError(code: .invalidArgument, message: "audit event cannot be canonicalised", cause: error)
                }
                try statement.execute(arguments: [
                    entry.sequence, entry.timeMilliseconds, event.kind.rawValue, event.exchangeId,
                    String(decoding: bytes, as: UTF8.self), Data(MerkleHash.leaf(bytes).bytes),
                ])
                entries.append(entry)
            }
            return entries
        }
    }

    /// Entries with a sequence greater than `sequence` (from the start when nil), in order, at most `limit`.
    public func auditEntries(after sequence: Int?, limit: Int) async throws(StoreError) -> [AuditEntry] {
        try await read("read audit entries") { db in
            try Row.fetchAll(
                db, sql: "SELECT entry FROM audit_entry WHERE sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [sequence ?? -1, max(0, limit)]
            ).map { row in try AuditEntry(canonicalText: row["entry"]) }
        }
    }

    /// All entries of one exchange, in order.
    public func auditEntries(exchangeId: String) async throws(StoreError) -> [AuditEntry] {
        try await read("read exchange audit") { db in
            try Row.fetchAll(
                db, sql: "SELECT entry FROM audit_entry WHERE exchange_id = ? ORDER BY sequence", arguments: [exchangeId]
            ).map { row in try AuditEntry(canonicalText: row["entry"]) }
        }
    }

    /// The stored canonical JSON text of entries in `range` of sequence numbers, in order.
    public func auditCanonicalTexts(_ range: Range<Int>) async throws(StoreError) -> [String] {
        try await read("read audit texts") { db in
            try String.fetchAll(
                db, sql: "SELECT entry FROM audit_entry WHERE sequence >= ? AND sequence < ? ORDER BY sequence",
                arguments: [range.lowerBound, range.upperBound]
            )
        }
    }

    /// The stored leaf hashes of entries in `range` of sequence numbers, in order: the Merkle tree's leaves.
    public func auditLeafHashes(_ range: Range<Int>) async throws(StoreError) -> [MerkleHash] {
        try await read("read audit leaf hashes") { db in
            try Data.fetchAll(
                db, sql: "SELECT leaf_hash FROM audit_entry WHERE sequence >= ? AND sequence < ? ORDER BY sequence",
                arguments: [range.lowerBound, range.upperBound]
            ).map { data in
                guard let hash = MerkleHash(bytes: data) else {
                    throw StoreError(code: .storeUnavailable, message: "stored leaf hash is not 32 bytes")
                }
                return hash
            }
        }
    }

    /// Number of entries, which is also the next sequence number and the tree size.
    public func auditCount() async throws(StoreError) -> Int {
        try await read("count audit entries") { db in
            try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence) + 1, 0) FROM audit_entry") ?? 0
        }
    }
}
