import Audit
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// The transaction-level advisory lock (ASCII "rabtaudt") every append takes first, so appends
    /// from every node sharing the database run one at a time.
    static let auditSequencerLock: Int64 = 0x7261_6274_6175_6474

    /// Appends events, and the sealed bodies of their exchanges, in one transaction and returns the entries.
    ///
    /// Behaves as `SQLiteStore.appendAudit(_:bodies:)`: sequences consecutive from the current
    /// count, Merkle nodes stored in the same transaction, `audit-unavailable` for a failure to
    /// persist, `invalid-argument` for an event that cannot be canonicalised, `conflict` for a
    /// body already stored for its exchange and part. Appends from several nodes are serialised
    /// by the sequencer lock.
    public func appendAudit(_ events: [AuditEvent], bodies: [AuditBody] = []) async throws(StoreError) -> [AuditEntry] {
        guard !events.isEmpty || !bodies.isEmpty else { return [] }
        let now = configuration.now()
        let logger = self.logger
        return try await write("append audit", failure: .auditUnavailable) { connection in
            try await Self.appendAudit(events, bodies: bodies, at: now, connection, logger)
        }
    }

    /// Appends within the caller's (READ COMMITTED) transaction, so other writes commit together
    /// with their entries, in a constant number of round trips whatever the batch size.
    ///
    /// The first statement takes the sequencer lock, held until the caller's transaction ends;
    /// every later statement then sees the entries of the append before it, so the next sequence
    /// is MAX + 1 with no gap and the stored frontier is the current one.
    static func appendAudit(
        _ events: [AuditEvent], bodies: [AuditBody], at now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        if !events.isEmpty {
            try await connection.rows("SELECT pg_advisory_xact_lock(\(auditSequencerLock))", logger)
            let next = try await auditCount(connection, logger)
            let frontier = try await auditNodes(AuditNodeReader.plan { reader in try reader.frontier(size: next) }, connection, logger)
            var tree = AuditNodeBuilder(size: next, frontier: frontier)
            entries = events.enumerated().map { offset, event in
                AuditEntry(sequence: next + offset, time: now, event: event)
            }
            var rows = AuditEntryRows(capacity: entries.count)
            var nodes: [AuditNode] = []
            nodes.reserveCapacity(entries.count)
            var index = 0
            for share in try AuditBatchEncoder.encode(entries) {
                var start = 0
                for (end, leaf) in zip(share.ends, share.leaves) {
                    rows.append(entries[index], text: String(decoding: share.bytes[start..<end], as: UTF8.self), leaf: leaf)
                    tree.append(leaf) { node in nodes.append(node) }
                    start = end
                    index += 1
                }
            }
            // Every entry of a batch has the same time.
            try await rows.insert(time: entries[0].timeMilliseconds, connection, logger)
            if !nodes.isEmpty {
                try await connection.rows("""
                    INSERT INTO audit_node (level, idx, hash)
                    SELECT * FROM UNNEST(\(nodes.map(\.position.level))::bigint[], \(nodes.map(\.position.index))::bigint[],
                                         \(nodes.map { ByteBuffer(bytes: $0.hash.bytes) })::bytea[])
                    """, logger)
            }
        }
        try await insertBodies(bodies, connection, logger)
        return entries
    }

    /// Number of entries, which is also the next sequence number and the tree size.
    public func auditCount() async throws(StoreError) -> Int {
        let logger = self.logger
        return try await read("count audit entries") { connection in try await Self.auditCount(connection, logger) }
    }

    static func auditCount(_ connection: PostgresConnection, _ logger: Logger) async throws -> Int {
        try await connection.rows("SELECT COALESCE(MAX(sequence) + 1, 0) FROM audit_entry", logger)
            .first?.decode(Int.self) ?? 0
    }

    /// Entries with a sequence greater than `sequence` (from the start when nil), in order, at most `limit`.
    public func auditEntries(after sequence: Int?, limit: Int) async throws(StoreError) -> [AuditEntry] {
        try await entries("read audit entries", """
            SELECT entry FROM audit_entry WHERE sequence > \(sequence ?? -1) ORDER BY sequence LIMIT \(max(0, limit))
            """)
    }

    /// All entries of one exchange, in order.
    public func auditEntries(exchangeId: String) async throws(StoreError) -> [AuditEntry] {
        try await entries("read exchange audit", """
            SELECT entry FROM audit_entry WHERE exchange_id = \(exchangeId.beforeNUL) ORDER BY sequence
            """)
    }

    /// The entry with `sequence`, or nil when the log is shorter.
    public func auditEntry(sequence: Int) async throws(StoreError) -> AuditEntry? {
        try await entries("read audit entry", "SELECT entry FROM audit_entry WHERE sequence = \(sequence)").first
    }

    /// The stored canonical JSON text of entries in `range` of sequence numbers, in order.
    ///
    /// Reads the whole range at once; exports of large ranges use `auditTextBatches(_:batchSize:)`.
    public func auditCanonicalTexts(_ range: Range<Int>) async throws(StoreError) -> [String] {
        try await entryColumn("read audit texts", "entry", range) { row in try row.decode(String.self) }
    }

    /// The stored leaf hashes of entries in `range` of sequence numbers, in order: the Merkle tree's leaves.
    public func auditLeafHashes(_ range: Range<Int>) async throws(StoreError) -> [MerkleHash] {
        try await entryColumn("read audit leaf hashes", "leaf_hash", range) { row in try AuditNodeReader.hash(row.decode(Data.self)) }
    }

    /// One column of the entries in `range` of sequence numbers, in order.
    private func entryColumn<Value: Sendable>(
        _ operation: String, _ column: String, _ range: Range<Int>, _ decode: @escaping @Sendable (PostgresRow) throws -> Value
    ) async throws(StoreError) -> [Value] {
        let logger = self.logger
        return try await read(operation) { connection in
            try await connection.rows("""
                SELECT \(unescaped: column) FROM audit_entry WHERE sequence >= \(range.lowerBound) AND sequence < \(range.upperBound)
                ORDER BY sequence
                """, logger).map(decode)
        }
    }

    /// The entries a query returns, decoded from their single `entry` column.
    func entries(_ operation: String, _ query: PostgresQuery) async throws(StoreError) -> [AuditEntry] {
        let logger = self.logger
        return try await read(operation) { connection in
            try await connection.rows(query, logger).map { row in try AuditEntry(canonicalText: row.decode(String.self)) }
        }
    }
}

/// The columns of a batch of new entries, inserted with one statement.
private struct AuditEntryRows {
    var sequences: [Int] = []
    var kinds: [String] = []
    var exchangeIds: [String?] = []
    var texts: [String] = []
    var leaves: [ByteBuffer] = []
    var consumers: [String?] = []
    var providers: [String?] = []
    var services: [String?] = []
    var serviceVersions: [Int?] = []
    var operations: [String?] = []
    var statuses: [Int?] = []
    var problemTypes: [String?] = []

    init(capacity: Int) {
        sequences.reserveCapacity(capacity)
        texts.reserveCapacity(capacity)
        leaves.reserveCapacity(capacity)
    }

    /// Adds an entry; text columns keep what SQLite keeps (the text before any U+0000).
    mutating func append(_ entry: AuditEntry, text: String, leaf: MerkleHash) {
        let event = entry.event
        sequences.append(entry.sequence)
        kinds.append(event.kind.rawValue.beforeNUL)
        exchangeIds.append(event.exchangeId?.beforeNUL)
        texts.append(text)
        leaves.append(ByteBuffer(bytes: leaf.bytes))
        consumers.append(event.consumer?.beforeNUL)
        providers.append(event.provider?.beforeNUL)
        services.append(event.service?.beforeNUL)
        serviceVersions.append(event.serviceVersion)
        operations.append(event.operation?.beforeNUL)
        statuses.append(event.status)
        problemTypes.append(event.problemType?.beforeNUL)
    }

    func insert(time: Int64, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.rows("""
            INSERT INTO audit_entry (sequence, time_ms, kind, exchange_id, entry, leaf_hash,
                consumer, provider, service, service_version, operation, status, problem_type)
            SELECT sequence, \(time), kind, exchange_id, entry, leaf_hash,
                consumer, provider, service, service_version, operation, status, problem_type
            FROM UNNEST(\(sequences)::bigint[], \(kinds)::text[], \(PostgresNullableArray(exchangeIds))::text[],
                        \(texts)::text[], \(leaves)::bytea[], \(PostgresNullableArray(consumers))::text[],
                        \(PostgresNullableArray(providers))::text[], \(PostgresNullableArray(services))::text[],
                        \(PostgresNullableArray(serviceVersions))::bigint[], \(PostgresNullableArray(operations))::text[],
                        \(PostgresNullableArray(statuses))::bigint[], \(PostgresNullableArray(problemTypes))::text[])
                AS batch(sequence, kind, exchange_id, entry, leaf_hash, consumer, provider, service, service_version,
                         operation, status, problem_type)
            """, logger)
    }
}
