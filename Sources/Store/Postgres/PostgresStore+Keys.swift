import Audit
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Registers a signature key; `not-found` if its agency is unknown, `conflict` if the key id is taken.
    public func addKey(_ key: SignatureKey, recording record: AdminRecord? = nil) async throws(StoreError) {
        let logger = self.logger
        try await writeAudited("add key", record) { connection in
            try await Self.insertKey(key, connection, logger)
            return AdminChange(result: (), before: nil, after: try await Self.key(key.keyId, connection, logger)?.snapshot)
        }
    }

    /// Registers `newKey` and ends `oldKeyId` at `oldValidUntil` (an earlier end is kept), in one
    /// transaction; returns the new key and the retired one. `not-found` if the old key is unknown.
    public func rotateKey(
        _ oldKeyId: String, validUntil oldValidUntil: Date, to newKey: SignatureKey, recording record: AdminRecord? = nil
    ) async throws(StoreError) -> (new: SignatureKey, retired: SignatureKey) {
        let logger = self.logger
        let pair: KeyPair = try await writeAudited("rotate key", record) { connection in
            guard let before = try await Self.key(oldKeyId, connection, logger, locking: true) else {
                throw StoreError(code: .notFound, message: "no such key")
            }
            try await Self.insertKey(newKey, connection, logger)
            let retired = try await Self.endKey(oldKeyId, at: oldValidUntil, connection, logger)
            guard let added = try await Self.key(newKey.keyId, connection, logger) else {
                throw StoreError(code: .notFound, message: "no such key")
            }
            return AdminChange(
                result: KeyPair(new: added, retired: retired), before: .array([before.snapshot]),
                after: .array([retired.snapshot, added.snapshot])
            )
        }
        return (pair.new, pair.retired)
    }

    /// The key with `keyId`, or nil.
    public func key(id keyId: String) async throws(StoreError) -> SignatureKey? {
        let logger = self.logger
        return try await read("read key") { connection in try await Self.key(keyId, connection, logger) }
    }

    /// An agency's keys, oldest first.
    public func keys(agency agencyId: String) async throws(StoreError) -> [SignatureKey] {
        let logger = self.logger
        return try await read("list keys") { connection in
            try await connection.rows("""
                SELECT \(unescaped: Self.keyColumns) FROM signature_key WHERE agency_id = \(agencyId)
                ORDER BY created_at, key_id
                """, logger).map(SignatureKey.init(row:))
        }
    }

    /// Revokes a key at `date` and returns it; an earlier revocation is kept. `not-found` if unknown.
    @discardableResult
    public func revokeKey(id keyId: String, at date: Date, recording record: AdminRecord? = nil) async throws(StoreError) -> SignatureKey {
        let logger = self.logger
        return try await writeAudited("revoke key", record) { connection in
            let before = try await Self.key(keyId, connection, logger, locking: true)
            let after = try await Self.endKey(keyId, at: date, connection, logger)
            return AdminChange(result: after, before: before?.snapshot, after: after.snapshot)
        }
    }

    private struct KeyPair: Sendable {
        var new: SignatureKey
        var retired: SignatureKey
    }

    private static let keyColumns =
        "key_id, agency_id, algorithm, public_key_pem, not_before, not_after, revoked_at, created_at"

    private static func insertKey(_ key: SignatureKey, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await requireAgency(key.agencyId, connection, logger)
        try await connection.rows("""
            INSERT INTO signature_key
                (key_id, agency_id, algorithm, public_key_pem, not_before, not_after, revoked_at, created_at)
            VALUES (\(key.keyId), \(key.agencyId), \(key.algorithm.rawValue), \(key.publicKeyPEM),
                    \(key.notBefore.map(milliseconds)), \(key.notAfter.map(milliseconds)),
                    \(key.revokedAt.map(milliseconds)), \(milliseconds(key.createdAt)))
            """, logger)
    }

    /// The key with `keyId`; `locking` holds its row until the transaction ends, so the snapshot
    /// taken before a change is the row the change updates.
    private static func key(
        _ keyId: String, _ connection: PostgresConnection, _ logger: Logger, locking: Bool = false
    ) async throws -> SignatureKey? {
        try await connection.rows("""
            SELECT \(unescaped: keyColumns) FROM signature_key WHERE key_id = \(keyId) \(unescaped: locking ? "FOR UPDATE" : "")
            """, logger).first.map(SignatureKey.init(row:))
    }

    private static func endKey(
        _ keyId: String, at date: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> SignatureKey {
        let at = milliseconds(date)
        guard let row = try await connection.rows("""
            UPDATE signature_key SET revoked_at = LEAST(COALESCE(revoked_at, \(at)), \(at)) WHERE key_id = \(keyId)
            RETURNING \(unescaped: keyColumns)
            """, logger).first
        else { throw StoreError(code: .notFound, message: "no such key") }
        return try SignatureKey(row: row)
    }
}

extension SignatureKey {
    init(row: PostgresRow) throws {
        let (keyId, agencyId, algorithmName, pem, notBefore, notAfter, revokedAt, createdAt) =
            try row.decode((String, String, String, String, Int64?, Int64?, Int64?, Int64).self)
        let algorithm = Algorithm(rawValue: algorithmName)
        self.init(
            keyId: keyId,
            agencyId: agencyId,
            // An algorithm this build does not know is stored by a newer release; fail closed as revoked.
            algorithm: algorithm ?? .ed25519,
            publicKeyPEM: pem,
            notBefore: notBefore.map(PostgresStore.date),
            notAfter: notAfter.map(PostgresStore.date),
            revokedAt: algorithm == nil ? Date(timeIntervalSince1970: 0) : revokedAt.map(PostgresStore.date),
            createdAt: PostgresStore.date(createdAt)
        )
    }
}
