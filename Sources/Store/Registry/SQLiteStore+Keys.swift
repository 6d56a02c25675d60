import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// Registers a signature key; `not-found` if its agency is unknown, `conflict` if the key id is taken.
    public func addKey(_ key: SignatureKey, recording record: AdminRecord? = nil) async throws(StoreError) {
        try await writeAudited("add key", record) { db in
            try Self.insertKey(key, db)
            return AdminChange(result: (), before: nil, after: try Self.key(key.keyId, db)?.snapshot)
        }
    }

    /// Registers `newKey` and ends `oldKeyId` at `oldValidUntil` (an earlier end is kept), in one
    /// transaction; returns the new key and the retired one. `not-found` if the old key is unknown.
    public func rotateKey(
        _ oldKeyId: String, validUntil oldValidUntil: Date, to newKey: SignatureKey, recording record: AdminRecord? = nil
    ) async throws(StoreError) -> (new: SignatureKey, retired: SignatureKey) {
        try await writeAudited("rotate key", record) { db in
            guard let before = try Self.key(oldKeyId, db) else { throw StoreError(code: .notFound, message: "no such key") }
            try Self.insertKey(newKey, db)
            let retired = try Self.endKey(oldKeyId, at: oldValidUntil, db)
            guard let added = try Self.key(newKey.keyId, db) else { throw StoreError(code: .notFound, message: "no such key") }
            return AdminChange(
                result: (added, retired), before: .array([before.snapshot]), after: .array([retired.snapshot, added.snapshot])
            )
        }
    }

    private static func insertKey(_ key: SignatureKey, _ db: Database) throws {
        try requireAgency(key.agencyId, db)
        try db.execute(
            sql: """
                INSERT INTO signature_key
                    (key_id, agency_id, algorithm, public_key_pem, not_before, not_after, revoked_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                key.keyId, key.agencyId, key.algorithm.rawValue, key.publicKeyPEM,
                key.notBefore.map(milliseconds), key.notAfter.map(milliseconds),
                key.revokedAt.map(milliseconds), milliseconds(key.createdAt),
            ]
        )
    }

    static func key(_ keyId: String, _ db: Database) throws -> SignatureKey? {
        try Row.fetchOne(db, sql: "SELECT * FROM signature_key WHERE key_id = ?", arguments: [keyId]).map(SignatureKey.init(row:))
    }

    /// The key with `keyId`, or nil.
    public func key(id keyId: String) async throws(StoreError) -> SignatureKey? {
        try await read("read key") { db in try Self.key(keyId, db) }
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
    public func revokeKey(id keyId: String, at date: Date, recording record: AdminRecord? = nil) async throws(StoreError) -> SignatureKey {
        try await writeAudited("revoke key", record) { db in
            let before = try Self.key(keyId, db)
            let after = try Self.endKey(keyId, at: date, db)
            return AdminChange(result: after, before: before?.snapshot, after: after.snapshot)
        }
    }

    private static func endKey(_ keyId: String, at date: Date, _ db: Database) throws -> SignatureKey {
        try db.execute(
            sql: "UPDATE signature_key SET revoked_at = MIN(COALESCE(revoked_at, ?1), ?1) WHERE key_id = ?2",
            arguments: [milliseconds(date), keyId]
        )
        guard let key = try key(keyId, db) else { throw StoreError(code: .notFound, message: "no such key") }
        return key
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
