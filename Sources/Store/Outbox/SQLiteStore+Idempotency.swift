import Foundation
import GRDB

extension SQLiteStore {
    /// Atomically checks a key and, when it is new or expired, records it as in flight for `exchangeId`
    /// until `now + window`.
    ///
    /// `abandonAfter`, when given, bounds how long a key may stay in flight: a record still not
    /// completed that long after it was claimed belongs to an exchange whose process died before it
    /// could complete or release the key, and it is replaced like an expired one instead of answering
    /// 409 until the window ends. Pass more than the longest an exchange can take before completing.
    public func claimIdempotencyKey(
        consumer: String, scope: String, key: String, requestDigest: String, exchangeId: String, now: Date, window: Duration,
        abandonAfter: Duration? = nil
    ) async throws(StoreError) -> IdempotencyClaim {
        let claim = IdempotencyRecord(
            consumer: consumer, scope: scope, key: key, requestDigest: requestDigest, exchangeId: exchangeId,
            createdAt: now, expiresAt: now.addingTimeInterval(Self.seconds(window))
        )
        let abandonedBefore = abandonAfter.map { now.addingTimeInterval(-Self.seconds($0)) }
        return try await write("claim idempotency key") { db in
            try Self.claimIdempotencyKey(claim, abandonedBefore: abandonedBefore, db)
        }
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
        try await write("complete idempotency key") { db in
            try db.execute(
                sql: """
                    UPDATE idempotency_key SET completed = 1, status = ?, headers = ?, body = ?, body_form = ?
                    WHERE consumer = ? AND scope = ? AND key = ? AND completed = 0
                        AND (? IS NULL OR exchange_id = ?)
                    """,
                arguments: [
                    status, headerText, body.map { Data($0) }, bodyForm.rawValue, consumer, scope, key, exchangeId, exchangeId,
                ]
            )
        }
    }

    /// Forgets an in-flight key whose exchange ended without an outcome worth replaying (Rabt refused
    /// or could not deliver), so the consumer may retry with it. Only `exchangeId`'s own in-flight
    /// claim is removed: a later exchange's claim or a completed outcome stays.
    public func releaseIdempotencyKey(consumer: String, scope: String, key: String, exchangeId: String) async throws(StoreError) {
        try await write("release idempotency key") { db in
            try db.execute(
                sql: """
                    DELETE FROM idempotency_key
                    WHERE consumer = ? AND scope = ? AND key = ? AND exchange_id = ? AND completed = 0
                    """,
                arguments: [consumer, scope, key, exchangeId]
            )
        }
    }

    /// Deletes up to `limit` expired records, oldest expiry first; returns how many.
    public func pruneIdempotencyKeys(now: Date, limit: Int) async throws(StoreError) -> Int {
        guard limit > 0 else { return 0 }
        let nowMs = Self.milliseconds(now)
        return try await write("prune idempotency keys") { db in
            try db.execute(
                sql: """
                    DELETE FROM idempotency_key WHERE rowid IN (
                        SELECT rowid FROM idempotency_key WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)
                    """,
                arguments: [nowMs, limit]
            )
            return db.changesCount
        }
    }

    /// The record of a key, expired or not, or nil.
    public func idempotencyRecord(consumer: String, scope: String, key: String) async throws(StoreError) -> IdempotencyRecord? {
        try await read("read idempotency key") { db in try Self.idempotencyRecord(consumer: consumer, scope: scope, key: key, db) }
    }

    /// Stores `claim` (at its `createdAt`) unless an unexpired record of the key stands in the way,
    /// in the caller's transaction: the one decision `claimIdempotencyKey` and `enqueue` share.
    /// A record in flight since `abandonedBefore` or earlier, for the same request, is replaced.
    static func claimIdempotencyKey(_ claim: IdempotencyRecord, abandonedBefore: Date?, _ db: Database) throws -> IdempotencyClaim {
        if let existing = try idempotencyRecord(consumer: claim.consumer, scope: claim.scope, key: claim.key, db),
           milliseconds(existing.expiresAt) > milliseconds(claim.createdAt) {
            if existing.requestDigest != claim.requestDigest { return .mismatch(existing) }
            if existing.completed { return .replay(existing) }
            let abandoned = abandonedBefore.map { milliseconds(existing.createdAt) <= milliseconds($0) } ?? false
            if !abandoned { return .inFlight(existing) }
        }
        // New, expired or abandoned: the old record is replaced as if it had been pruned.
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO idempotency_key (consumer, scope, key, request_digest, exchange_id, completed,
                    status, headers, body, body_form, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                claim.consumer, claim.scope, claim.key, claim.requestDigest, claim.exchangeId, claim.completed, claim.status,
                try OutboxHeader.encode(claim.headers), claim.body.map { Data($0) }, claim.bodyForm.rawValue,
                milliseconds(claim.createdAt), milliseconds(claim.expiresAt),
            ]
        )
        return .started
    }

    private static func idempotencyRecord(consumer: String, scope: String, key: String, _ db: Database) throws -> IdempotencyRecord? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT * FROM idempotency_key WHERE consumer = ? AND scope = ? AND key = ?",
            arguments: [consumer, scope, key]
        ) else { return nil }
        let headers: String = row["headers"]
        let body: Data? = row["body"]
        let form: String = row["body_form"]
        guard let bodyForm = IdempotencyRecord.BodyForm(rawValue: form) else {
            throw StoreError(code: .storeUnavailable, message: "an idempotency record has an unknown body form")
        }
        return IdempotencyRecord(
            consumer: row["consumer"], scope: row["scope"], key: row["key"], requestDigest: row["request_digest"],
            exchangeId: row["exchange_id"], completed: row["completed"], status: row["status"],
            headers: try OutboxHeader.decode(headers), body: body.map { [UInt8]($0) }, bodyForm: bodyForm,
            createdAt: date(row["created_at"]), expiresAt: date(row["expires_at"])
        )
    }
}
