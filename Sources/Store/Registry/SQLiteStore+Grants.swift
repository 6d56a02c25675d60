import Foundation
import GRDB

extension SQLiteStore {
    /// Grants a consumer one provider service version; false if it was granted already.
    @discardableResult
    public func addGrant(_ grant: Grant, recording record: AdminRecord? = nil) async throws(StoreError) -> Bool {
        try await writeAudited("add grant", record) { db in
            let added = try Self.insertGrant(grant, db)
            return AdminChange(result: added, before: added ? nil : grant.snapshot, after: grant.snapshot)
        }
    }

    /// Revokes a grant; false if there was none.
    @discardableResult
    public func revokeGrant(
        consumer: String, provider: String, service: String, version: Int, recording record: AdminRecord? = nil
    ) async throws(StoreError) -> Bool {
        try await writeAudited("revoke grant", record) { db in
            try db.execute(
                sql: "DELETE FROM access_grant WHERE consumer = ? AND provider = ? AND service = ? AND version = ?",
                arguments: [consumer, provider, service, version]
            )
            let revoked = db.changesCount > 0
            let grant = Grant(consumer: consumer, provider: provider, service: service, version: version).snapshot
            return AdminChange(result: revoked, before: revoked ? grant : nil, after: nil)
        }
    }

    /// Whether the consumer may call the provider service version (deny by default).
    public func isGranted(consumer: String, provider: String, service: String, version: Int) async throws(StoreError) -> Bool {
        try await read("check grant") { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT 1 FROM access_grant WHERE consumer = ? AND provider = ? AND service = ? AND version = ?",
                arguments: [consumer, provider, service, version]
            ) != nil
        }
    }

    /// Grants, optionally narrowed to one provider (and service), ordered by provider, service, version, consumer.
    public func grants(provider: String? = nil, service: String? = nil) async throws(StoreError) -> [Grant] {
        try await read("list grants") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM access_grant
                    WHERE (?1 IS NULL OR provider = ?1) AND (?2 IS NULL OR service = ?2)
                    ORDER BY provider, service, version, consumer
                    """,
                arguments: [provider, service]
            ).map { row in
                Grant(
                    consumer: row["consumer"], provider: row["provider"], service: row["service"],
                    version: row["version"], createdAt: Self.date(row["created_at"])
                )
            }
        }
    }

    static func insertGrant(_ grant: Grant, _ db: Database) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO access_grant (consumer, provider, service, version, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """,
            arguments: [grant.consumer, grant.provider, grant.service, grant.version, Self.milliseconds(grant.createdAt)]
        )
        return db.changesCount > 0
    }
}
