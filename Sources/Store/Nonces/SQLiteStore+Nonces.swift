import Foundation
import GRDB

extension SQLiteStore {
    /// Records a signature nonce for a key until `expiresAt`; false if the same key used it and it has not expired.
    ///
    /// Atomic (one upsert), so two concurrent requests with one nonce cannot both pass. Each call also
    /// deletes at most `noncePruneLimit` expired rows, keeping the table bounded without a sweeper.
    public func registerNonce(_ nonce: String, keyId: String, expiresAt: Date) async throws(StoreError) -> Bool {
        let now = Self.milliseconds(configuration.now())
        let expiry = Self.milliseconds(expiresAt)
        let pruneLimit = configuration.noncePruneLimit
        return try await write("register nonce") { db in
            try db.execute(
                sql: """
                    DELETE FROM nonce WHERE rowid IN (
                        SELECT rowid FROM nonce WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)
                    """,
                arguments: [now, pruneLimit]
            )
            // An expired row with the same nonce is taken over rather than refused.
            try db.execute(
                sql: """
                    INSERT INTO nonce (key_id, nonce, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
                    WHERE nonce.expires_at <= ?
                    """,
                arguments: [keyId, nonce, expiry, now]
            )
            return db.changesCount > 0
        }
    }

    /// Number of nonce rows held, expired or not.
    public func nonceCount() async throws(StoreError) -> Int {
        try await read("count nonces") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM nonce") ?? 0 }
    }
}
