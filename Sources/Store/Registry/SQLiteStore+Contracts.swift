import Foundation
import GRDB

extension SQLiteStore {
    /// Publishes a contract version and grants its consumers, in one transaction.
    ///
    /// A version is immutable: the same document again is `.unchanged`, a different one is `conflict`.
    /// `not-found` if the provider agency is unknown.
    public func publishContract(
        _ contract: ContractRecord, recording record: AdminRecord? = nil
    ) async throws(StoreError) -> ContractPublication {
        try contract.requireMatchingDigest()
        let consumers = try Self.encodeList(contract.consumers)
        return try await writeAudited("publish contract", record) { db in
            if let existing = try Self.contract(contract.provider, contract.service, contract.version, db) {
                guard existing.digest == contract.digest else {
                    throw StoreError(code: .conflict, message: "a published contract version is immutable")
                }
                return AdminChange(result: .unchanged(existing), before: existing.snapshot, after: existing.snapshot)
            }
            try Self.requireAgency(contract.provider, db)
            try db.execute(
                sql: """
                    INSERT INTO contract (provider, service, version, document, format, digest, consumers, published_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    contract.provider, contract.service, contract.version, contract.document,
                    contract.format.rawValue, contract.digest, consumers, Self.milliseconds(contract.publishedAt),
                ]
            )
            for consumer in Set(contract.consumers) {
                _ = try Self.insertGrant(
                    Grant(consumer: consumer, provider: contract.provider, service: contract.service,
                          version: contract.version, createdAt: contract.publishedAt),
                    db
                )
            }
            var stored = contract
            stored.publishedAt = Self.date(Self.milliseconds(contract.publishedAt))
            return AdminChange(result: .published(stored), before: nil, after: stored.snapshot)
        }
    }

    /// Deprecates a published version: from `sunset` on, calls to it are refused. A later
    /// deprecation may move the sunset date; `not-found` if the version was never published.
    public func deprecateContract(
        provider: String, service: String, version: Int, sunset: Date, at now: Date = Date(),
        recording record: AdminRecord? = nil
    ) async throws(StoreError) -> ContractRecord {
        try await writeAudited("deprecate contract", record) { db in
            guard let before = try Self.contract(provider, service, version, db) else {
                throw StoreError(code: .notFound, message: "no such contract version")
            }
            try db.execute(
                sql: """
                    UPDATE contract SET deprecated_at = COALESCE(deprecated_at, ?), sunset_at = ?
                    WHERE provider = ? AND service = ? AND version = ?
                    """,
                arguments: [Self.milliseconds(now), Self.milliseconds(sunset), provider, service, version]
            )
            guard let after = try Self.contract(provider, service, version, db) else {
                throw StoreError(code: .notFound, message: "no such contract version")
            }
            return AdminChange(result: after, before: before.snapshot, after: after.snapshot)
        }
    }

    static func contract(_ provider: String, _ service: String, _ version: Int, _ db: Database) throws -> ContractRecord? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM contract WHERE provider = ? AND service = ? AND version = ?",
            arguments: [provider, service, version]
        ).map(ContractRecord.init(row:))
    }

    /// A published contract; `version` nil means the highest published version.
    public func contract(provider: String, service: String, version: Int? = nil) async throws(StoreError) -> ContractRecord? {
        try await read("read contract") { db in
            if let version { return try Self.contract(provider, service, version, db) }
            return try Row.fetchOne(
                db, sql: "SELECT * FROM contract WHERE provider = ? AND service = ? ORDER BY version DESC LIMIT 1",
                arguments: [provider, service]
            ).map(ContractRecord.init(row:))
        }
    }

    /// All published contracts, by provider, service and version.
    public func contracts() async throws(StoreError) -> [ContractRecord] {
        try await read("list contracts") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM contract ORDER BY provider, service, version")
                .map(ContractRecord.init(row:))
        }
    }
}

extension ContractRecord {
    init(row: Row) throws {
        self.init(
            provider: row["provider"],
            service: row["service"],
            version: row["version"],
            document: row["document"],
            format: Format(rawValue: row["format"]) ?? .yaml,
            consumers: try SQLiteStore.decodeList(row["consumers"]),
            publishedAt: SQLiteStore.date(row["published_at"]),
            deprecatedAt: (row["deprecated_at"] as Int64?).map(SQLiteStore.date),
            sunsetAt: (row["sunset_at"] as Int64?).map(SQLiteStore.date)
        )
        // Keep the digest as stored: it is what was published, even if recomputation ever differed.
        self.digest = row["digest"]
    }
}
