import Foundation
import PostgresNIO

extension PostgresStore {
    /// Creates or replaces a provider's endpoint; `not-found` if the provider agency is unknown.
    public func setEndpoint(_ endpoint: ProviderEndpoint, recording record: AdminRecord? = nil) async throws(StoreError) {
        guard !endpoint.urls.isEmpty else {
            throw StoreError(code: .invalidArgument, message: "an endpoint needs at least one URL")
        }
        let urls = try SQLiteStore.encodeList(endpoint.urls)
        let timeout = endpoint.timeout.components
        let timeoutMs = timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000
        let logger = self.logger
        try await writeAudited("set endpoint", record) { connection in
            // Locking the provider's row runs concurrent sets of its endpoint one after the other, so
            // each records the other's result as its `before`, as SQLite's single writer does.
            guard try await connection.rows("SELECT 1 FROM agency WHERE id = \(endpoint.providerId) FOR NO KEY UPDATE", logger)
                .first != nil
            else { throw StoreError(code: .notFound, message: "no such agency") }
            let before = try await Self.endpoint(endpoint.providerId, connection, logger)
            try await connection.rows("""
                INSERT INTO endpoint (provider_id, urls, timeout_ms, tls_ca_file, tls_client_certificate_file,
                                      tls_client_key_file, updated_at)
                VALUES (\(endpoint.providerId), \(urls), \(timeoutMs), \(endpoint.tls.caFile),
                        \(endpoint.tls.clientCertificateFile), \(endpoint.tls.clientKeyFile),
                        \(Self.milliseconds(endpoint.updatedAt)))
                ON CONFLICT (provider_id) DO UPDATE SET
                    urls = excluded.urls, timeout_ms = excluded.timeout_ms, tls_ca_file = excluded.tls_ca_file,
                    tls_client_certificate_file = excluded.tls_client_certificate_file,
                    tls_client_key_file = excluded.tls_client_key_file, updated_at = excluded.updated_at
                """, logger)
            let after = try await Self.endpoint(endpoint.providerId, connection, logger)
            return AdminChange(result: (), before: before?.snapshot, after: after?.snapshot)
        }
    }

    /// The provider's endpoint, or nil.
    public func endpoint(provider providerId: String) async throws(StoreError) -> ProviderEndpoint? {
        let logger = self.logger
        return try await read("read endpoint") { connection in
            try await Self.endpoint(providerId, connection, logger)
        }
    }

    private static func endpoint(
        _ providerId: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> ProviderEndpoint? {
        guard let row = try await connection.rows("""
            SELECT provider_id, urls, timeout_ms, tls_ca_file, tls_client_certificate_file, tls_client_key_file,
                   updated_at
            FROM endpoint WHERE provider_id = \(providerId)
            """, logger).first
        else { return nil }
        let (provider, urls, timeoutMs, caFile, certificateFile, keyFile, updatedAt) =
            try row.decode((String, String, Int64, String?, String?, String?, Int64).self)
        return ProviderEndpoint(
            providerId: provider,
            urls: try SQLiteStore.decodeList(urls),
            timeout: .milliseconds(timeoutMs),
            tls: .init(caFile: caFile, clientCertificateFile: certificateFile, clientKeyFile: keyFile),
            updatedAt: date(updatedAt)
        )
    }
}
