import Foundation
import PostgresNIO

extension PostgresStore {
    /// Records a signature nonce for a key until `expiresAt`; false if the same key used it and it has not expired.
    ///
    /// The primary key (key_id, nonce) enforces this across every node sharing the database: of two
    /// concurrent requests with one nonce, on any nodes, exactly one inserts. Each call also deletes at
    /// most `noncePruneLimit` expired rows, keeping the table bounded without a sweeper.
    public func registerNonce(_ nonce: String, keyId: String, expiresAt: Date) async throws(StoreError) -> Bool {
        let now = Self.milliseconds(configuration.now())
        let expiry = Self.milliseconds(expiresAt)
        let pruneLimit = configuration.noncePruneLimit
        let logger = self.logger
        return try await write("register nonce") { connection in
            // SKIP LOCKED: two nodes pruning at once take different rows instead of waiting on each other.
            try await connection.rows("""
                DELETE FROM nonce WHERE ctid IN (
                    SELECT ctid FROM nonce WHERE expires_at <= \(now) ORDER BY expires_at LIMIT \(pruneLimit)
                    FOR UPDATE SKIP LOCKED)
                """, logger)
            // An expired row with the same nonce is taken over rather than refused.
            return try await !connection.rows("""
                INSERT INTO nonce (key_id, nonce, expires_at) VALUES (\(keyId), \(nonce), \(expiry))
                ON CONFLICT (key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
                WHERE nonce.expires_at <= \(now)
                RETURNING 1
                """, logger).isEmpty
        }
    }

    /// Number of nonce rows held, expired or not.
    public func nonceCount() async throws(StoreError) -> Int {
        let logger = self.logger
        return try await read("count nonces") { connection in
            try await connection.rows("SELECT COUNT(*) FROM nonce", logger).first?.decode(Int.self) ?? 0
        }
    }
}
