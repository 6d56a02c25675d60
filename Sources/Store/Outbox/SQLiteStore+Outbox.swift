import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// Stores an accepted message and appends `events` to the audit log in the same transaction;
    /// `.enqueued` with the entries. `conflict` if the id exists (and nothing is audited);
    /// `invalid-argument` unless the message is as `OutboxMessage.init` makes it: pending, no
    /// attempts, no lease.
    ///
    /// With `idempotency`, the message's `idempotencyKey` is claimed in that same transaction and
    /// stored completed with the given answer, at the message's `createdAt`. Key, message and
    /// entries therefore commit together or not at all: a crash can leave neither a message whose
    /// key a retry does not find, nor a key in flight that no exchange will complete. When the key
    /// holds an earlier request, nothing is stored and the outcome says what was found (`replay`,
    /// `inFlight`, `mismatch`, as `claimIdempotencyKey` decides). SQLite has one writer at a time,
    /// so of two enqueues under one key the second finds the first.
    public func enqueue(
        _ message: OutboxMessage, auditing events: [AuditEvent], idempotency: IdempotencyClaimRequest? = nil
    ) async throws(StoreError) -> EnqueueOutcome {
        guard message.state == .pending, message.attempts == 0, message.leaseUntil == nil else {
            throw StoreError(code: .invalidArgument, message: "a new outbox message is pending with no attempts")
        }
        let claim = try idempotency.map { request throws(StoreError) in try request.record(for: message) }
        let abandonedBefore = idempotency?.abandonedBefore(message.createdAt)
        let now = configuration.now()
        return try await write("enqueue outbox message") { db in
            // Key, message and entries: one transaction, so a crash keeps all of them or none.
            if let claim, let earlier = EnqueueOutcome(refusing: try Self.claimIdempotencyKey(claim, abandonedBefore: abandonedBefore, db)) {
                return earlier
            }
            try Self.insert(message, db)
            return .enqueued(try Self.appendAudit(events, at: now, db))
        }
    }

    /// Claims up to `limit` messages for delivery: pending ones due by `now`, and delivering ones whose
    /// lease has expired (a node died mid-delivery), oldest `nextAttemptAt` first.
    ///
    /// In one write transaction each claimed message becomes `delivering` with `leaseUntil = now + lease`,
    /// one more attempt and `updatedAt = now`; they are returned as updated. SQLite has one writer at
    /// a time, so two callers never get the same message while its lease runs.
    public func claimOutbox(now: Date, limit: Int, lease: Duration) async throws(StoreError) -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        let nowMs = Self.milliseconds(now)
        let leaseUntil = now.addingTimeInterval(Self.seconds(lease))
        return try await write("claim outbox messages") { db in
            // Each side reads its own index (outbox_due, outbox_lease) up to `limit` rows, so a claim
            // costs the same with ten or a million messages waiting.
            let due = try Self.claimable("state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at", nowMs, limit, db)
            let abandoned = try Self.claimable("state = 'delivering' AND lease_until <= ? ORDER BY lease_until", nowMs, limit, db)
            // Stable sort: among equal times, due messages keep their insertion order.
            let claimed = (due + abandoned).enumerated()
                .sorted { ($0.element.nextAttemptAt, $0.offset) < ($1.element.nextAttemptAt, $1.offset) }
                .prefix(limit)
                .map { _, message in
                    var message = message
                    message.state = .delivering
                    message.leaseUntil = leaseUntil
                    message.attempts += 1
                    message.updatedAt = now
                    return message
                }
            for message in claimed {
                try Self.update(message, db)
            }
            return claimed
        }
    }

    /// Records how the attempt ended together with `events` in one transaction and returns the updated
    /// message: delivered stores the response, retry makes it pending again at `at`, dead dead-letters
    /// it; the lease is cleared. `not-found` for an unknown id, `conflict` unless it is `delivering`.
    ///
    /// `attempt` is the attempt count of the claimed message: when given, a message claimed again
    /// since (its lease ran out and another worker took it over) is `conflict` too, so a late worker
    /// cannot overwrite the outcome of the attempt that replaced its own.
    ///
    /// `followUp`, a new message (a callback with the outcome), is stored in the same transaction,
    /// so an outcome is never recorded without the callback that reports it.
    public func finishOutbox(
        id: String, _ outcome: OutboxOutcome, now: Date, auditing events: [AuditEvent], attempt: Int? = nil,
        followUp: OutboxMessage? = nil
    ) async throws(StoreError) -> OutboxMessage {
        let auditTime = configuration.now()
        return try await write("finish outbox message") { db in
            var message = try Self.requireOutboxMessage(id: id, in: .delivering, db)
            if let attempt, message.attempts != attempt {
                throw StoreError(code: .conflict, message: "the outbox message was claimed again by another worker")
            }
            message.finish(outcome, at: now)
            try Self.update(message, db)
            if let followUp { try Self.insert(followUp, db) }
            _ = try Self.appendAudit(events, at: auditTime, db)
            return message
        }
    }

    /// The message with `id`, or nil.
    public func outboxMessage(id: String) async throws(StoreError) -> OutboxMessage? {
        try await read("read outbox message") { db in try Self.outboxMessage(id: id, db) }
    }

    /// Up to `limit` messages, newest first, in `states` (all when empty) and of `provider` (all when nil).
    ///
    /// `cursorId` is the id of the last message of the previous page: the page holds the messages
    /// created before it (ties broken by id). An unknown cursor is `invalid-argument`.
    public func outboxMessages(
        states: [OutboxMessage.State], provider: String?, limit: Int, after cursorId: String?
    ) async throws(StoreError) -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if !states.isEmpty {
            conditions.append("state IN (" + Array(repeating: "?", count: states.count).joined(separator: ", ") + ")")
            _ = arguments.append(contentsOf: StatementArguments(states.map(\.rawValue)))
        }
        if let provider {
            conditions.append("provider = ?")
            _ = arguments.append(contentsOf: [provider])
        }
        if let cursorId {
            conditions.append("(created_at, id) < (SELECT created_at, id FROM outbox_message WHERE id = ?)")
            _ = arguments.append(contentsOf: [cursorId])
        }
        _ = arguments.append(contentsOf: [limit])
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM outbox_message \(filter) ORDER BY created_at DESC, id DESC LIMIT ?"
        let query = arguments
        return try await read("list outbox messages") { db in
            if let cursorId, try Self.outboxMessage(id: cursorId, db) == nil {
                throw StoreError(code: .invalidArgument, message: "unknown outbox cursor")
            }
            return try Row.fetchAll(db, sql: sql, arguments: query).map(OutboxMessage.init(row:))
        }
    }

    /// The number of messages in each state; every state is present, zero when none.
    public func outboxCounts() async throws(StoreError) -> [OutboxMessage.State: Int] {
        try await read("count outbox messages") { db in
            var counts = Dictionary(uniqueKeysWithValues: OutboxMessage.State.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS count FROM outbox_message GROUP BY state") {
                let name: String = row["state"]
                if let state = OutboxMessage.State(rawValue: name) {
                    counts[state] = row["count"]
                }
            }
            return counts
        }
    }

    /// Sends a dead letter again: pending, due at `now`, with a new delivery horizon; its last error is
    /// kept. Audited as `record` with the message's before/after snapshots in the same transaction.
    /// `not-found` for an unknown id, `conflict` unless the message is dead.
    public func resendOutbox(
        id: String, now: Date, expiresAt newExpiry: Date, recording record: AdminRecord
    ) async throws(StoreError) -> OutboxMessage {
        try await writeAudited("resend outbox message", record) { db in
            var message = try Self.requireOutboxMessage(id: id, in: .dead, db)
            let before = message.snapshot
            message.resend(at: now, expiresAt: newExpiry)
            try Self.update(message, db)
            return AdminChange(result: message, before: before, after: message.snapshot)
        }
    }

    /// Discards a dead letter for good, audited like `resendOutbox`.
    /// `not-found` for an unknown id, `conflict` unless the message is dead.
    public func discardOutbox(id: String, now: Date, recording record: AdminRecord) async throws(StoreError) -> OutboxMessage {
        try await writeAudited("discard outbox message", record) { db in
            var message = try Self.requireOutboxMessage(id: id, in: .dead, db)
            let before = message.snapshot
            message.discard(at: now)
            try Self.update(message, db)
            return AdminChange(result: message, before: before, after: message.snapshot)
        }
    }

    /// Up to `limit` messages matching `condition`, whose one argument is the current time.
    private static func claimable(_ condition: String, _ now: Int64, _ limit: Int, _ db: Database) throws -> [OutboxMessage] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM outbox_message WHERE \(condition) LIMIT ?"), arguments: [now, limit]
        ).map(OutboxMessage.init(row:))
    }

    private static func requireOutboxMessage(id: String, in state: OutboxMessage.State, _ db: Database) throws -> OutboxMessage {
        guard let message = try outboxMessage(id: id, db) else {
            throw StoreError(code: .notFound, message: "no such outbox message")
        }
        guard message.state == state else {
            throw StoreError(code: .conflict, message: "the outbox message is \(message.state.rawValue), not \(state.rawValue)")
        }
        return message
    }

    /// A duration in seconds, for date arithmetic.
    static func seconds(_ duration: Duration) -> TimeInterval {
        let components = duration.components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
