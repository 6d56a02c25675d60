import Foundation
import PostgresNIO

extension PostgresStore {
    /// Atomically checks a key and, when it is new or expired, records it as in flight for `exchangeId`
    /// until `now + window`; the same rules as `SQLiteStore`, including `abandonAfter`.
    ///
    /// One `INSERT ... ON CONFLICT DO UPDATE ... WHERE` decides across every node: of two claims of
    /// one key at once, on any nodes, one inserts (or takes over an expired or abandoned record) and
    /// the other waits on the key, then finds the row it cannot take and reports it.
    public func claimIdempotencyKey(
        consumer: String, scope: String, key: String, requestDigest: String, exchangeId: String, now: Date, window: Duration,
        abandonAfter: Duration? = nil
    ) async throws(StoreError) -> IdempotencyClaim {
        let claim = IdempotencyRecord(
            consumer: consumer, scope: scope, key: key, requestDigest: requestDigest, exchangeId: exchangeId,
            createdAt: now, expiresAt: now.addingTimeInterval(SQLiteStore.seconds(window))
        )
        let abandonedBefore = abandonAfter.map { now.addingTimeInterval(-SQLiteStore.seconds($0)) }
        let logger = self.logger
        return try await write("claim idempotency key") { connection in
            try await Self.claimIdempotencyKey(claim, abandonedBefore: abandonedBefore, connection, logger)
        }
    }

    /// Stores `claim` (at its `createdAt`) unless an unexpired record of the key stands in the way,
    /// in the caller's transaction: the one decision `claimIdempotencyKey` and `enqueue` share. A
    /// record in flight since `abandonedBefore` or earlier, for the same request, is replaced.
    ///
    /// A new key inserts; an existing one is replaced (as if pruned) only when expired, or when the
    /// same request's claim is still in flight past the abandon time. A claim that loses the race
    /// for the key waits on the winner's row until it commits, then finds it.
    static func claimIdempotencyKey(
        _ claim: IdempotencyRecord, abandonedBefore: Date?, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> IdempotencyClaim {
        let nowMs = milliseconds(claim.createdAt)
        // Without an abandon time no in-flight record is ever abandoned: nothing was created before Int64.min.
        let abandonedMs = abandonedBefore.map(milliseconds) ?? .min
        let headers = try OutboxHeader.encode(claim.headers)
        let started = try await connection.rows("""
            INSERT INTO idempotency_key (consumer, scope, key, request_digest, exchange_id, completed,
                status, headers, body, body_form, created_at, expires_at)
            VALUES (\(claim.consumer), \(claim.scope), \(claim.key), \(claim.requestDigest), \(claim.exchangeId),
                    \(claim.completed), \(claim.status), \(headers), \(claim.body.map { Data($0) }),
                    \(claim.bodyForm.rawValue), \(nowMs), \(milliseconds(claim.expiresAt)))
            ON CONFLICT (consumer, scope, key) DO UPDATE SET
                request_digest = excluded.request_digest, exchange_id = excluded.exchange_id,
                completed = excluded.completed, status = excluded.status, headers = excluded.headers,
                body = excluded.body, body_form = excluded.body_form, created_at = excluded.created_at,
                expires_at = excluded.expires_at
            WHERE idempotency_key.expires_at <= \(nowMs)
                OR (NOT idempotency_key.completed AND idempotency_key.request_digest = excluded.request_digest
                    AND idempotency_key.created_at <= \(abandonedMs))
            RETURNING 1
            """, logger)
        if !started.isEmpty { return .started }
        // The conflicting row stays locked by the statement above until commit, so it is still there.
        guard let existing = try await idempotencyRecord(claim.consumer, claim.scope, claim.key, connection, logger) else {
            throw StoreError(code: .storeUnavailable, message: "claim idempotency key: the key vanished while locked")
        }
        if existing.requestDigest != claim.requestDigest { return .mismatch(existing) }
        return existing.completed ? .replay(existing) : .inFlight(existing)
    }

    /// Stores the first outcome for replays; a no-op if the record is gone or already completed.
    ///
    /// With `exchangeId`, only that exchange's claim is completed: a slow exchange whose claim was
    /// replaced (expired or abandoned) cannot set the outcome of the exchange that replaced it.
    public func completeIdempotencyKey(
        consumer: String, scope: String, key: String, status: Int, headers: [OutboxHeader], body: [UInt8]?,
        bodyForm: IdempotencyRecord.BodyForm, exchangeId: String? = nil
    ) async throws(StoreError) {
        let headerText = try OutboxHeader.encode(headers)
        let stored = body.map { Data($0) }
        let logger = self.logger
        try await write("complete idempotency key") { connection in
            _ = try await connection.rows("""
                UPDATE idempotency_key SET completed = TRUE, status = \(status), headers = \(headerText), body = \(stored),
                    body_form = \(bodyForm.rawValue)
                WHERE consumer = \(consumer) AND scope = \(scope) AND key = \(key) AND NOT completed
                    AND exchange_id = COALESCE(\(exchangeId), exchange_id)
                """, logger)
        }
    }

    /// Forgets `exchangeId`'s own in-flight claim, so the consumer may retry with the key; a later
    /// exchange's claim or a completed outcome stays.
    public func releaseIdempotencyKey(consumer: String, scope: String, key: String, exchangeId: String) async throws(StoreError) {
        let logger = self.logger
        try await write("release idempotency key") { connection in
            _ = try await connection.rows("""
                DELETE FROM idempotency_key
                WHERE consumer = \(consumer) AND scope = \(scope) AND key = \(key) AND exchange_id = \(exchangeId)
                    AND NOT completed
                """, logger)
        }
    }

    /// Deletes up to `limit` expired records, oldest expiry first; returns how many.
    ///
    /// Rows another node is pruning or claiming at that moment are skipped, not waited for.
    public func pruneIdempotencyKeys(now: Date, limit: Int) async throws(StoreError) -> Int {
        guard limit > 0 else { return 0 }
        let nowMs = Self.milliseconds(now)
        let logger = self.logger
        return try await write("prune idempotency keys") { connection in
            try await connection.rows("""
                DELETE FROM idempotency_key WHERE ctid IN (
                    SELECT ctid FROM idempotency_key WHERE expires_at <= \(nowMs) ORDER BY expires_at LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """, logger).count
        }
    }

    /// The record of a key, expired or not, or nil.
    public func idempotencyRecord(consumer: String, scope: String, key: String) async throws(StoreError) -> IdempotencyRecord? {
        let logger = self.logger
        return try await read("read idempotency key") { connection in
            try await Self.idempotencyRecord(consumer, scope, key, connection, logger)
        }
    }

    private static func idempotencyRecord(
        _ consumer: String, _ scope: String, _ key: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> IdempotencyRecord? {
        try await connection.rows("""
            SELECT consumer, scope, key, request_digest, exchange_id, completed, status, headers, body, body_form,
                created_at, expires_at
            FROM idempotency_key WHERE consumer = \(consumer) AND scope = \(scope) AND key = \(key)
            """, logger).first.map(IdempotencyRecord.init(row:))
    }
}

extension IdempotencyRecord {
    init(row: PostgresRow) throws {
        let (consumer, scope, key, requestDigest, exchangeId, completed, status, headers, body, form, createdAt, expiresAt) =
            try row.decode((String, String, String, String, String, Bool, Int?, String, Data?, String, Int64, Int64).self)
        guard let bodyForm = BodyForm(rawValue: form) else {
            throw StoreError(code: .storeUnavailable, message: "an idempotency record has an unknown body form")
        }
        self.init(
            consumer: consumer, scope: scope, key: key, requestDigest: requestDigest, exchangeId: exchangeId,
            completed: completed, status: status, headers: try OutboxHeader.decode(headers), body: body.map { [UInt8]($0) },
            bodyForm: bodyForm, createdAt: PostgresStore.date(createdAt), expiresAt: PostgresStore.date(expiresAt)
        )
    }
}
