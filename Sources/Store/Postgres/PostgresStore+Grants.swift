import Foundation
import PostgresNIO

extension PostgresStore {
    /// Grants a consumer one provider service version; false if it was granted already.
    @discardableResult
    public func addGrant(_ grant: Grant, recording record: AdminRecord? = nil) async throws(StoreError) -> Bool {
        let logger = self.logger
        return try await writeAudited("add grant", record) { connection in
            let added = try await Self.insertGrant(grant, connection, logger)
            return AdminChange(result: added, before: added ? nil : grant.snapshot, after: grant.snapshot)
        }
    }

    /// Revokes a grant; false if there was none.
    @discardableResult
    public func revokeGrant(
        consumer: String, provider: String, service: String, version: Int, recording record: AdminRecord? = nil
    ) async throws(StoreError) -> Bool {
        let logger = self.logger
        return try await writeAudited("revoke grant", record) { connection in
            let revoked = try await !connection.rows("""
                DELETE FROM access_grant
                WHERE consumer = \(consumer) AND provider = \(provider) AND service = \(service) AND version = \(version)
                RETURNING 1
                """, logger).isEmpty
            let grant = Grant(consumer: consumer, provider: provider, service: service, version: version).snapshot
            return AdminChange(result: revoked, before: revoked ? grant : nil, after: nil)
        }
    }

    /// Whether the consumer may call the provider service version (deny by default).
    public func isGranted(consumer: String, provider: String, service: String, version: Int) async throws(StoreError) -> Bool {
        let logger = self.logger
        return try await read("check grant") { connection in
            try await !connection.rows("""
                SELECT 1 FROM access_grant
                WHERE consumer = \(consumer) AND provider = \(provider) AND service = \(service) AND version = \(version)
                """, logger).isEmpty
        }
    }

    /// Grants, optionally narrowed to one provider (and service), ordered by provider, service, version, consumer.
    public func grants(provider: String? = nil, service: String? = nil) async throws(StoreError) -> [Grant] {
        let logger = self.logger
        return try await read("list grants") { connection in
            try await connection.rows("""
                SELECT consumer, provider, service, version, created_at FROM access_grant
                WHERE (\(provider)::text IS NULL OR provider = \(provider))
                  AND (\(service)::text IS NULL OR service = \(service))
                ORDER BY provider, service, version, consumer
                """, logger).map { row in
                let (consumer, provider, service, version, createdAt) =
                    try row.decode((String, String, String, Int, Int64).self)
                return Grant(
                    consumer: consumer, provider: provider, service: service, version: version,
                    createdAt: Self.date(createdAt)
                )
            }
        }
    }

    static func insertGrant(_ grant: Grant, _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        try await !connection.rows("""
            INSERT INTO access_grant (consumer, provider, service, version, created_at)
            VALUES (\(grant.consumer), \(grant.provider), \(grant.service), \(grant.version),
                    \(milliseconds(grant.createdAt)))
            ON CONFLICT DO NOTHING
            RETURNING 1
            """, logger).isEmpty
    }
}
