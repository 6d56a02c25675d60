import Foundation
import GRDB

extension SQLiteStore {
    /// Creates or replaces a provider's endpoint; `not-found` if the provider agency is unknown.
    public func setEndpoint(_ endpoint: ProviderEndpoint, recording record: AdminRecord? = nil) async throws(StoreError) {
        guard !endpoint.urls.isEmpty else {
            throw StoreError(code: .invalidArgument, message: "an endpoint needs at least one URL")
        }
        let urls = try Self.encodeList(endpoint.urls)
        let timeout = endpoint.timeout.components
        let timeoutMs = timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000
        try await writeAudited("set endpoint", record) { db in
            try Self.requireAgency(endpoint.providerId, db)
            let before = try Self.endpoint(endpoint.providerId, db)
            try db.execute(
                sql: """
                    INSERT INTO endpoint (provider_id, urls, timeout_ms, tls_ca_file, tls_client_certificate_file,
                                          tls_client_key_file, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (provider_id) DO UPDATE SET
                        urls = excluded.urls, timeout_ms = excluded.timeout_ms, tls_ca_file = excluded.tls_ca_file,
                        tls_client_certificate_file = excluded.tls_client_certificate_file,
                        tls_client_key_file = excluded.tls_client_key_file, updated_at = excluded.updated_at
                    """,
                arguments: [
                    endpoint.providerId, urls, timeoutMs, endpoint.tls.caFile, endpoint.tls.clientCertificateFile,
                    endpoint.tls.clientKeyFile, Self.milliseconds(endpoint.updatedAt),
                ]
            )
            return AdminChange(result: (), before: before?.snapshot, after: try Self.endpoint(endpoint.providerId, db)?.snapshot)
        }
    }

    /// The provider's endpoint, or nil.
    public func endpoint(provider providerId: String) async throws(StoreError) -> ProviderEndpoint? {
        try await read("read endpoint") { db in try Self.endpoint(providerId, db) }
    }

    static func endpoint(_ providerId: String, _ db: Database) throws -> ProviderEndpoint? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM endpoint WHERE provider_id = ?", arguments: [providerId])
        else { return nil }
        return ProviderEndpoint(
            providerId: row["provider_id"],
            urls: try decodeList(row["urls"]),
            timeout: .milliseconds(row["timeout_ms"] as Int64),
            tls: .init(
                caFile: row["tls_ca_file"],
                clientCertificateFile: row["tls_client_certificate_file"],
                clientKeyFile: row["tls_client_key_file"]
            ),
            updatedAt: date(row["updated_at"])
        )
    }

    /// A string list as a JSON array, the form list columns hold.
    static func encodeList(_ list: [String]) throws(StoreError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
        } catch {
            throw StoreError(code: .invalidArgument, message: "list cannot be encoded", cause: error)
        }
    }

    /// Decodes a list column.
    static func decodeList(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
