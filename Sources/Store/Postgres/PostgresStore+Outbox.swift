import Audit
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Stores an accepted message and appends `events` to the audit log in the same transaction;
    /// `.enqueued` with the entries. `conflict` if the id exists (and nothing is audited);
    /// `invalid-argument` unless the message is as `OutboxMessage.init` makes it: pending, no
    /// attempts, no lease.
    ///
    /// With `idempotency`, the message's key is claimed in that same transaction and stored
    /// completed with the given answer, as on SQLite: key, message and entries commit together or
    /// not at all. Of two enqueues under one key at once, through any nodes, the second waits on
    /// the first's key row; once the first commits it finds the key and stores nothing
    /// (`replay`), and if the first rolls back it stores its own message instead.
    public func enqueue(
        _ message: OutboxMessage, auditing events: [AuditEvent], idempotency: IdempotencyClaimRequest? = nil
    ) async throws(StoreError) -> EnqueueOutcome {
        guard message.state == .pending, message.attempts == 0, message.leaseUntil == nil else {
            throw StoreError(code: .invalidArgument, message: "a new outbox message is pending with no attempts")
        }
        let claim = try idempotency.map { request throws(StoreError) in try request.record(for: message) }
        let abandonedBefore = idempotency?.abandonedBefore(message.createdAt)
        let now = configuration.now()
        let logger = self.logger
        return try await write("enqueue outbox message") { connection in
            // Key, message and entries: one transaction, so a crash keeps all of them or none.
            if let claim,
               let earlier = EnqueueOutcome(refusing: try await Self.claimIdempotencyKey(claim, abandonedBefore: abandonedBefore, connection, logger)) {
                return earlier
            }
            try await Self.insert(message, connection, logger)
            return .enqueued(try await Self.appendAudit(events, bodies: [], at: now, connection, logger))
        }
    }

    /// Claims up to `limit` messages for delivery: pending ones due by `now`, and delivering ones whose
    /// lease has expired (a node died mid-delivery), oldest `nextAttemptAt` first (ties: due before
    /// lapsed, then by id).
    ///
    /// In one transaction each claimed message becomes `delivering` with `leaseUntil = now + lease`,
    /// one more attempt and `updatedAt = now`, and is returned as updated. Each side locks its rows
    /// with `FOR UPDATE SKIP LOCKED` as it reads its partial index, so claimers on any nodes get
    /// disjoint messages and never wait on each other.
    public func claimOutbox(now: Date, limit: Int, lease: Duration) async throws(StoreError) -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        let nowMs = Self.milliseconds(now)
        let leaseUntil = Self.milliseconds(now.addingTimeInterval(SQLiteStore.seconds(lease)))
        let logger = self.logger
        return try await write("claim outbox messages") { connection in
            // Each side reads at most `limit` rows of its own index, so a claim costs the same with ten
            // or a million messages waiting. Rows one side locked but the merge leaves out stay locked
            // only until this transaction commits; other claimers skip them meanwhile.
            try await connection.rows("""
                WITH due AS (
                    SELECT id, next_attempt_at, 0 AS side FROM outbox_message
                    WHERE state = 'pending' AND next_attempt_at <= \(nowMs)
                    ORDER BY next_attempt_at, id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                ), lapsed AS (
                    SELECT id, next_attempt_at, 1 AS side FROM outbox_message
                    WHERE state = 'delivering' AND lease_until <= \(nowMs)
                    ORDER BY lease_until, id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                ), picked AS (
                    SELECT id, row_number() OVER (ORDER BY next_attempt_at, side, id) AS claim_order
                    FROM (SELECT * FROM due UNION ALL SELECT * FROM lapsed) AS candidate
                    ORDER BY claim_order LIMIT \(limit)
                ), claimed AS (
                    UPDATE outbox_message AS message
                    SET state = 'delivering', lease_until = \(leaseUntil), attempts = message.attempts + 1,
                        updated_at = \(nowMs)
                    FROM picked WHERE message.id = picked.id
                    RETURNING message.*, picked.claim_order
                )
                SELECT \(unescaped: Self.outboxColumns) FROM claimed ORDER BY claim_order
                """, logger).map(OutboxMessage.init(row:))
        }
    }

    /// Records how the attempt ended together with `events` in one transaction and returns the updated
    /// message: delivered stores the response, retry makes it pending again at `at`, dead dead-letters
    /// it; the lease is cleared. `not-found` for an unknown id, `conflict` unless it is `delivering`,
    /// and `conflict` when `attempt` is given and the message was claimed again since (by any node).
    ///
    /// `followUp`, a new message (a callback with the outcome), is stored in the same transaction.
    public func finishOutbox(
        id: String, _ outcome: OutboxOutcome, now: Date, auditing events: [AuditEvent], attempt: Int? = nil,
        followUp: OutboxMessage? = nil
    ) async throws(StoreError) -> OutboxMessage {
        let auditTime = configuration.now()
        let logger = self.logger
        return try await write("finish outbox message") { connection in
            var message = try await Self.requireOutboxMessage(id: id, in: .delivering, connection, logger)
            if let attempt, message.attempts != attempt {
                throw StoreError(code: .conflict, message: "the outbox message was claimed again by another worker")
            }
            message.finish(outcome, at: now)
            try await Self.update(message, connection, logger)
            if let followUp { try await Self.insert(followUp, connection, logger) }
            _ = try await Self.appendAudit(events, bodies: [], at: auditTime, connection, logger)
            return message
        }
    }

    /// Sends a dead letter again: pending, due at `now`, with a new delivery horizon; its last error is
    /// kept. Audited as `record` with the message's before/after snapshots in the same transaction.
    /// `not-found` for an unknown id, `conflict` unless the message is dead.
    public func resendOutbox(
        id: String, now: Date, expiresAt newExpiry: Date, recording record: AdminRecord
    ) async throws(StoreError) -> OutboxMessage {
        let logger = self.logger
        return try await writeAudited("resend outbox message", record) { connection in
            try await Self.changeDeadLetter(id: id, connection, logger) { $0.resend(at: now, expiresAt: newExpiry) }
        }
    }

    /// Discards a dead letter for good, audited like `resendOutbox`.
    /// `not-found` for an unknown id, `conflict` unless the message is dead.
    public func discardOutbox(id: String, now: Date, recording record: AdminRecord) async throws(StoreError) -> OutboxMessage {
        let logger = self.logger
        return try await writeAudited("discard outbox message", record) { connection in
            try await Self.changeDeadLetter(id: id, connection, logger) { $0.discard(at: now) }
        }
    }

    /// Applies `change` to a dead letter under its row lock; the result carries the message's
    /// snapshots before and after, for the admin audit entry.
    private static func changeDeadLetter(
        id: String, _ connection: PostgresConnection, _ logger: Logger, _ change: (inout OutboxMessage) -> Void
    ) async throws -> AdminChange<OutboxMessage> {
        var message = try await requireOutboxMessage(id: id, in: .dead, connection, logger)
        let before = message.snapshot
        change(&message)
        try await update(message, connection, logger)
        return AdminChange(result: message, before: before, after: message.snapshot)
    }

    /// Inserts a new message; `conflict` if its id is taken.
    private static func insert(_ message: OutboxMessage, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let headers = try OutboxHeader.encode(message.headers)
        let responseHeaders = try OutboxHeader.encode(message.responseHeaders)
        let inserted = try await connection.rows("""
            INSERT INTO outbox_message (id, consumer, provider, service, version, operation, method, path_and_query,
                headers, body, idempotency_key, state, attempts, next_attempt_at, expires_at, last_error,
                response_status, response_headers, response_body, created_at, updated_at, lease_until, kind)
            VALUES (\(message.id), \(message.consumer), \(message.provider), \(message.service), \(message.version),
                \(message.operation), \(message.method), \(message.pathAndQuery), \(headers), \(Data(message.body)),
                \(message.idempotencyKey), \(message.state.rawValue), \(message.attempts),
                \(milliseconds(message.nextAttemptAt)), \(milliseconds(message.expiresAt)), \(message.lastError),
                \(message.responseStatus), \(responseHeaders), \(message.responseBody.map { Data($0) }),
                \(milliseconds(message.createdAt)), \(milliseconds(message.updatedAt)),
                \(message.leaseUntil.map(milliseconds)), \(message.kind.rawValue))
            ON CONFLICT (id) DO NOTHING
            RETURNING 1
            """, logger)
        guard !inserted.isEmpty else {
            throw StoreError(code: .conflict, message: "an outbox message with this id exists")
        }
    }

    /// Writes the mutable columns of a stored message back.
    private static func update(_ message: OutboxMessage, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let responseHeaders = try OutboxHeader.encode(message.responseHeaders)
        try await connection.rows("""
            UPDATE outbox_message SET state = \(message.state.rawValue), attempts = \(message.attempts),
                next_attempt_at = \(milliseconds(message.nextAttemptAt)), expires_at = \(milliseconds(message.expiresAt)),
                last_error = \(message.lastError), response_status = \(message.responseStatus),
                response_headers = \(responseHeaders), response_body = \(message.responseBody.map { Data($0) }),
                updated_at = \(milliseconds(message.updatedAt)), lease_until = \(message.leaseUntil.map(milliseconds))
            WHERE id = \(message.id)
            """, logger)
    }

    /// The message locked for this transaction; `not-found` if unknown, `conflict` unless in `state`.
    private static func requireOutboxMessage(
        id: String, in state: OutboxMessage.State, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> OutboxMessage {
        // FOR UPDATE: a concurrent finish or claim on another node waits for (or skips) this row, so
        // the state checked here is the state this transaction changes.
        guard let message = try await connection.rows(
            "SELECT \(unescaped: outboxColumns) FROM outbox_message WHERE id = \(id) FOR UPDATE", logger
        ).first.map(OutboxMessage.init(row:))
        else { throw StoreError(code: .notFound, message: "no such outbox message") }
        guard message.state == state else {
            throw StoreError(code: .conflict, message: "the outbox message is \(message.state.rawValue), not \(state.rawValue)")
        }
        return message
    }
}
