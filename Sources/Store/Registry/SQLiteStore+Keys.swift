import Foundation
import GRDB

extension SQLiteStore {
    /// Registers a signature key; `not-found` if its agency is unknown, `conflict` if the key id is taken.
    public func addKey(_ key: SignatureKey) async throws(StoreError) {
        try await write("add key") { db in
            try Self.requireAgency(key.agencyId, db)
            try db.execute(
                sql: """
                    INSERT INTO signature_key
                        (key_id, agency_id, algorithm, public_key_pem, not_before, not_after, revoked_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.keyId, key.agencyId, key.algorithm.rawValue, key.publicKeyPEM,
                    key.notBefore.map(Self.milliseconds), key.notAfter.map(Self.milliseconds),
                    key.revokedAt.map(Self.milliseconds), Self.milliseconds(key.createdAt),
                ]
            )
        }
    }

    /// The key with `keyId`, or nil.
    public func key(id keyId: String) async throws(StoreError) -> SignatureKey? {
        try await read("read key") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM signature_key WHERE key_id = ?", arguments: [keyId])
                .map(SignatureKey.init(row:))
        }
    }

    /// An agency's keys, oldest first.
    public func keys(agency agencyId: String) async throws(StoreError) -> [SignatureKey] {
        try await read("list keys") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM signature_key WHERE agency_id = ? ORDER BY created_at, key_id",
                arguments: [agencyId]
            ).map(SignatureKey.init(row:))
        }
    }

    /// Revokes a key at `date` and returns it; an earlier revocation is kept. `not-found` if unknown.
    @discardableResult
    public func revokeKey(id keyId: String, at date: Date) async throws(StoreError) -> SignatureKey {
        try await write("revoke key") { db in
            try db.execute(
                sql: "UPDATE signature_key SET revoked_at = MIN(COALESCE(revoked_at, ?1), ?1) WHERE key_id = ?2",
                arguments: [Self.milliseconds(date), keyId]
            )
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM signature_key WHERE key_id = ?", arguments: [keyId])
            else { throw StoreError(code: .notFound, message: "no such key") }
            return SignatureKey(row: row)
        }
    }
}

extension SignatureKey {
    init(row: Row) {
        let notBefore: Int64? = row["not_before"]
        let notAfter: Int64? = row["not_after"]
        let revokedAt: Int64? = row["revoked_at"]
        let algorithm = Algorithm(rawValue: row["algorithm"])
        self.init(
            keyId: row["key_id"],
            agencyId: row["agency_id"],
            // An algorithm this build does not know is stored by a newer release; fail closed as revoked.
            algorithm: algorithm ?? .ed25519,
            publicKeyPEM: row["public_key_pem"],
            notBefore: notBefore.map(SQLiteStore.date),
            notAfter: notAfter.map(SQLiteStore.date),
            revokedAt: algorithm == nil ? Date(timeIntervalSince1970: 0) : revokedAt.map(SQLiteStore.date),
            createdAt: SQLiteStore.date(row["created_at"])
        )
    }
}
