import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema: the same logical tables as SQLite's registry, nonce and audit migrations, with
/// dates as BIGINT milliseconds and lists as JSON text so both engines hold one representation.
enum PostgresSchema {
    /// A named migration: statements run in order, never edited once released.
    struct Migration: Sendable {
        var name: String
        var statements: [String]
    }

    /// The advisory lock every node takes while migrating (ASCII "rabtmigr"): nodes starting at
    /// once queue on it, and the one that gets it second finds the migrations recorded and skips them.
    static let migrationLock: Int64 = 0x7261_6274_6d69_6772

    /// Migrations in order.
    static let migrations: [Migration] = [
        Migration(name: "v1-registry", statements: [
            """
            CREATE TABLE agency (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE signature_key (
                key_id TEXT PRIMARY KEY,
                agency_id TEXT NOT NULL REFERENCES agency(id),
                algorithm TEXT NOT NULL,
                public_key_pem TEXT NOT NULL,
                not_before BIGINT,
                not_after BIGINT,
                revoked_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX signature_key_agency ON signature_key(agency_id)",
            """
            CREATE TABLE endpoint (
                provider_id TEXT PRIMARY KEY REFERENCES agency(id),
                urls TEXT NOT NULL,
                timeout_ms BIGINT NOT NULL,
                tls_ca_file TEXT,
                tls_client_certificate_file TEXT,
                tls_client_key_file TEXT,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE contract (
                provider TEXT NOT NULL REFERENCES agency(id),
                service TEXT NOT NULL,
                version BIGINT NOT NULL,
                document TEXT NOT NULL,
                format TEXT NOT NULL,
                digest TEXT NOT NULL,
                consumers TEXT NOT NULL,
                published_at BIGINT NOT NULL,
                PRIMARY KEY (provider, service, version)
            )
            """,
            """
            CREATE TABLE access_grant (
                consumer TEXT NOT NULL,
                provider TEXT NOT NULL,
                service TEXT NOT NULL,
                version BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (consumer, provider, service, version)
            )
            """,
            "CREATE INDEX access_grant_service ON access_grant(provider, service, version)",
        ]),
        Migration(name: "v1-nonces", statements: [
            """
            CREATE TABLE nonce (
                key_id TEXT NOT NULL,
                nonce TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                PRIMARY KEY (key_id, nonce)
            )
            """,
            "CREATE INDEX nonce_expiry ON nonce(expires_at)",
        ]),
        Migration(name: "v3-principals", statements: [
            """
            CREATE TABLE principal (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL CHECK (role IN ('operator', 'auditor')),
                certificate_fingerprint TEXT NOT NULL UNIQUE,
                subject TEXT NOT NULL,
                not_after BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
        ]),
        Migration(name: "v3-contract-sunset", statements: [
            "ALTER TABLE contract ADD COLUMN deprecated_at BIGINT",
            "ALTER TABLE contract ADD COLUMN sunset_at BIGINT",
        ]),
        audit,
        delivery,
        Migration(name: "v5-idempotency-body-form", statements: [
            """
            ALTER TABLE idempotency_key ADD COLUMN body_form TEXT NOT NULL DEFAULT 'clear'
                CHECK (body_form IN ('clear', 'sealed', 'withheld'))
            """,
        ]),
    ]

    /// Applies pending migrations in one transaction holding the migration advisory lock, so that
    /// several nodes starting at once apply each migration exactly once.
    static func migrate(_ connection: PostgresConnection, now: Date, logger: Logger) async throws {
        let lock = migrationLock
        let at = SQLiteStore.milliseconds(now)
        try await connection.withTransaction(logger: logger) { connection in
            // Transaction-scoped: released by COMMIT or ROLLBACK, even if this node dies mid-way.
            try await connection.rows("SELECT pg_advisory_xact_lock(\(lock))", logger)
            try await connection.rows("""
                CREATE TABLE IF NOT EXISTS rabt_migration (
                    name TEXT PRIMARY KEY,
                    applied_order BIGINT NOT NULL UNIQUE,
                    applied_at BIGINT NOT NULL
                )
                """, logger)
            let applied = Set(try await connection.rows("SELECT name FROM rabt_migration", logger)
                .map { try $0.decode(String.self) })
            var order = applied.count
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.rows(PostgresQuery(unsafeSQL: statement), logger)
                }
                order += 1
                let name = migration.name
                let position = Int64(order)
                try await connection.rows(
                    "INSERT INTO rabt_migration (name, applied_order, applied_at) VALUES (\(name), \(position), \(at))",
                    logger
                )
            }
        }
    }
}
