import Foundation
import PostgresNIO

extension PostgresStore {
    /// Publishes a contract version and grants its consumers, in one transaction.
    ///
    /// A version is immutable: the same document again is `.unchanged`, a different one is `conflict`.
    /// `not-found` if the provider agency is unknown.
    public func publishContract(
        _ contract: ContractRecord, recording record: AdminRecord? = nil
    ) async throws(StoreError) -> ContractPublication {
        try contract.requireMatchingDigest()
        let consumers = try SQLiteStore.encodeList(contract.consumers)
        let logger = self.logger
        return try await writeAudited("publish contract", record) { connection in
            try await Self.requireAgency(contract.provider, connection, logger)
            let inserted = try await connection.rows("""
                INSERT INTO contract (provider, service, version, document, format, digest, consumers, published_at)
                VALUES (\(contract.provider), \(contract.service), \(contract.version), \(contract.document),
                        \(contract.format.rawValue), \(contract.digest), \(consumers),
                        \(Self.milliseconds(contract.publishedAt)))
                ON CONFLICT (provider, service, version) DO NOTHING
                RETURNING 1
                """, logger)
            // A concurrent publisher of the same version waits on the primary key, then reads its row here.
            if inserted.isEmpty {
                guard let existing = try await Self.contract(contract.provider, contract.service, contract.version, connection, logger),
                      existing.digest == contract.digest
                else { throw StoreError(code: .conflict, message: "a published contract version is immutable") }
                return AdminChange(result: .unchanged(existing), before: existing.snapshot, after: existing.snapshot)
            }
            for consumer in Set(contract.consumers) {
                _ = try await Self.insertGrant(
                    Grant(consumer: consumer, provider: contract.provider, service: contract.service,
                          version: contract.version, createdAt: contract.publishedAt),
                    connection, logger
                )
            }
            var stored = contract
            stored.publishedAt = Self.date(Self.milliseconds(contract.publishedAt))
            return AdminChange(result: .published(stored), before: nil, after: stored.snapshot)
        }
    }

    /// Deprecates a published version: from `sunset` on, calls to it are refused. A later deprecation
    /// may move the sunset date; `not-found` if the version was never published.
    public func deprecateContract(
        provider: String, service: String, version: Int, sunset: Date, at now: Date = Date(),
        recording record: AdminRecord? = nil
    ) async throws(StoreError) -> ContractRecord {
        let logger = self.logger
        return try await writeAudited("deprecate contract", record) { connection in
            guard let before = try await Self.contract(provider, service, version, connection, logger, locking: true) else {
                throw StoreError(code: .notFound, message: "no such contract version")
            }
            guard let row = try await connection.rows("""
                UPDATE contract SET deprecated_at = COALESCE(deprecated_at, \(Self.milliseconds(now))),
                                    sunset_at = \(Self.milliseconds(sunset))
                WHERE provider = \(provider) AND service = \(service) AND version = \(version)
                RETURNING \(unescaped: Self.contractColumns)
                """, logger).first
            else { throw StoreError(code: .notFound, message: "no such contract version") }
            let after = try ContractRecord(row: row)
            return AdminChange(result: after, before: before.snapshot, after: after.snapshot)
        }
    }

    /// A published contract; `version` nil means the highest published version.
    public func contract(provider: String, service: String, version: Int? = nil) async throws(StoreError) -> ContractRecord? {
        let logger = self.logger
        return try await read("read contract") { connection in
            if let version { return try await Self.contract(provider, service, version, connection, logger) }
            return try await connection.rows("""
                SELECT \(unescaped: Self.contractColumns) FROM contract WHERE provider = \(provider) AND service = \(service)
                ORDER BY version DESC LIMIT 1
                """, logger).first.map(ContractRecord.init(row:))
        }
    }

    /// All published contracts, by provider, service and version.
    public func contracts() async throws(StoreError) -> [ContractRecord] {
        let logger = self.logger
        return try await read("list contracts") { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.contractColumns) FROM contract ORDER BY provider, service, version", logger
            ).map(ContractRecord.init(row:))
        }
    }

    private static let contractColumns =
        "provider, service, version, document, format, digest, consumers, published_at, deprecated_at, sunset_at"

    /// One version; `locking` holds its row until the transaction ends.
    private static func contract(
        _ provider: String, _ service: String, _ version: Int, _ connection: PostgresConnection, _ logger: Logger,
        locking: Bool = false
    ) async throws -> ContractRecord? {
        try await connection.rows("""
            SELECT \(unescaped: contractColumns) FROM contract
            WHERE provider = \(provider) AND service = \(service) AND version = \(version)
            \(unescaped: locking ? "FOR UPDATE" : "")
            """, logger).first.map(ContractRecord.init(row:))
    }
}

extension ContractRecord {
    init(row: PostgresRow) throws {
        let (provider, service, version, document, format, digest, consumers, publishedAt, deprecatedAt, sunsetAt) =
            try row.decode((String, String, Int, String, String, String, String, Int64, Int64?, Int64?).self)
        self.init(
            provider: provider, service: service, version: version, document: document,
            format: Format(rawValue: format) ?? .yaml,
            consumers: try SQLiteStore.decodeList(consumers),
            publishedAt: PostgresStore.date(publishedAt),
            deprecatedAt: deprecatedAt.map(PostgresStore.date),
            sunsetAt: sunsetAt.map(PostgresStore.date)
        )
        // Keep the digest as stored: it is what was published, even if recomputation ever differed.
        self.digest = digest
    }
}
