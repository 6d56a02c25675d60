import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// Appends events, and the sealed bodies of their exchanges, in one transaction and returns the entries.
    ///
    /// Sequence numbers are consecutive from the current count (the first entry is 0, its RFC 9162
    /// leaf index); each row holds the canonical JSON, its leaf hash and the search columns, and
    /// the Merkle nodes the new leaves complete are stored in the same transaction. Any failure
    /// to persist is `audit-unavailable`; an event that cannot be canonicalised is
    /// `invalid-argument`; a body already stored for the same exchange and part is `conflict`.
    public func appendAudit(_ events: [AuditEvent], bodies: [AuditBody] = []) async throws(StoreError) -> [AuditEntry] {
        guard !events.isEmpty || !bodies.isEmpty else { return [] }
        let now = configuration.now()
        return try await write("append audit", failure: .auditUnavailable) { db in
            try Self.appendAudit(events, bodies: bodies, at: now, db)
        }
    }

    /// Appends within the caller's transaction, so other writes can commit together with their entries.
    static func appendAudit(_ events: [AuditEvent], bodies: [AuditBody] = [], at now: Date, _ db: Database) throws -> [AuditEntry] {
        let next = try Self.auditCount(db)
        var tree = try AuditNodeWriter(db, size: next)
        let entries = events.enumerated().map { offset, event in
            AuditEntry(sequence: next + offset, time: now, event: event)
        }
        let shares = try AuditBatchEncoder.encode(entries)
        let insert = try AuditInsertStatement(db, sql: """
            INSERT INTO audit_entry (sequence, time_ms, kind, exchange_id, entry, leaf_hash,
                consumer, provider, service, service_version, operation, status, problem_type)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var index = 0
        for share in shares {
            try share.bytes.withUnsafeBytes { texts in
                var start = 0
                for (end, leaf) in zip(share.ends, share.leaves) {
                    let entry = entries[index]
                    let event = entry.event
                    try insert.execute { row in
                        row.bind(1, entry.sequence)
                        row.bind(2, entry.timeMilliseconds)
                        row.bind(3, event.kind.rawValue)
                        row.bind(4, event.exchangeId)
                        // The text is read in place: `texts` outlives the statement's step.
                        row.bind(5, text: UnsafeRawBufferPointer(rebasing: texts[start..<end]))
                        row.bind(6, blob: leaf.bytes)
                        row.bind(7, event.consumer)
                        row.bind(8, event.provider)
                        row.bind(9, event.service)
                        row.bind(10, event.serviceVersion)
                        row.bind(11, event.operation)
                        row.bind(12, event.status)
                        row.bind(13, event.problemType)
                    }
                    try tree.append(leaf)
                    start = end
                    index += 1
                }
            }
        }
        try Self.insertBodies(bodies, db)
        return entries
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

    /// The entry with `sequence`, or nil when the log is shorter.
    public func auditEntry(sequence: Int) async throws(StoreError) -> AuditEntry? {
        try await read("read audit entry") { db in
            try String.fetchOne(db, sql: "SELECT entry FROM audit_entry WHERE sequence = ?", arguments: [sequence])
                .map { text in try AuditEntry(canonicalText: text) }
        }
    }

    /// The stored canonical JSON text of entries in `range` of sequence numbers, in order.
    ///
    /// Reads the whole range at once; exports of large ranges use `auditTextBatches(_:batchSize:)`.
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
            ).map(AuditNodeReader.hash)
        }
    }

    /// Number of entries, which is also the next sequence number and the tree size.
    public func auditCount() async throws(StoreError) -> Int {
        try await read("count audit entries") { db in try Self.auditCount(db) }
    }

    static func auditCount(_ db: Database) throws -> Int {
        // Cached: every append starts with it, and preparing it cost more than running it.
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(sequence) + 1, 0) FROM audit_entry")) ?? 0
    }
}

/// Canonical texts of a range of the log, one bounded batch per iteration step.
public struct AuditTextBatches: AsyncSequence, Sendable {
    /// One batch: consecutive canonical lines.
    public typealias Element = [String]

    let store: any AuditStore
    let range: Range<Int>
    let batchSize: Int

    /// Reads the next batch on each step.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let store: any AuditStore
        var next: Int
        let end: Int
        let batchSize: Int

        /// The next batch, or nil past the range (or past the end of the log).
        public mutating func next() async throws(StoreError) -> [String]? {
            guard next < end else { return nil }
            let upper = next + Swift.min(batchSize, end - next)
            let batch = try await store.auditCanonicalTexts(next..<upper)
            guard !batch.isEmpty else {
                next = end
                return nil
            }
            next += batch.count
            return batch
        }
    }

    /// Starts at the lower bound of the range.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(store: store, next: Swift.max(0, range.lowerBound), end: range.upperBound, batchSize: batchSize)
    }
}
