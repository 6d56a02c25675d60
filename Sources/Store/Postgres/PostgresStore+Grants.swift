import Foundation
import PostgresNIO

extension PostgresStore {
    /// Grants a consumer one provider service version; false if it was granted already. A non-nil
    /// `record` is refused: the PostgreSQL audit log is not built yet.
    @discardableResult
    public func addGrant(_ grant: Grant, recording record: AdminRecord? = nil) async throws(StoreError) -> Bool {
        let logger = self.logger
        return try await write("add grant", recording: record) { connection in
            try await Self.insertGrant(grant, connection, logger)
        }
    }

    /// Revokes a grant; false if there was none. A non-nil `record` is refused: the PostgreSQL audit
    /// log is not built yet.
    @discardableResult
    public func revokeGrant(
        consumer: String, provider: String, service: String, version: Int, recording record: AdminRecord? = nil
    ) async throws(StoreError) -> Bool {
        let logger = self.logger
        return try await write("revoke grant", recording: record) { connection in
            try await !connection.rows("""
                DELETE FROM access_grant
                WHERE consumer = \(consumer) AND provider = \(provider) AND service = \(service) AND version = \(version)
                RETURNING 1
                """, logger).isEmpty
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
