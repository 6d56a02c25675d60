import GRDB

/// The database schema as named migrations, applied in order when a store opens.
enum Schema {
    /// Migrations by name; a released migration is never edited, only followed by new ones.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry") { db in
            try db.execute(sql: """
                CREATE TABLE agency (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    status TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE signature_key (
                    key_id TEXT PRIMARY KEY NOT NULL,
                    agency_id TEXT NOT NULL REFERENCES agency(id),
                    algorithm TEXT NOT NULL,
                    public_key_pem TEXT NOT NULL,
                    not_before INTEGER,
                    not_after INTEGER,
                    revoked_at INTEGER,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX signature_key_agency ON signature_key(agency_id);
                CREATE TABLE endpoint (
                    provider_id TEXT PRIMARY KEY NOT NULL REFERENCES agency(id),
                    urls TEXT NOT NULL,
                    timeout_ms INTEGER NOT NULL,
                    tls_ca_file TEXT,
                    tls_client_certificate_file TEXT,
                    tls_client_key_file TEXT,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE contract (
                    provider TEXT NOT NULL REFERENCES agency(id),
                    service TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    document TEXT NOT NULL,
                    format TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    consumers TEXT NOT NULL,
                    published_at INTEGER NOT NULL,
                    PRIMARY KEY (provider, service, version)
                );
                CREATE TABLE access_grant (
                    consumer TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    service TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (consumer, provider, service, version)
                );
                CREATE INDEX access_grant_service ON access_grant(provider, service, version);
                """)
        }
        migrator.registerMigration("v1-nonces") { db in
            try db.execute(sql: """
                CREATE TABLE nonce (
                    key_id TEXT NOT NULL,
                    nonce TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (key_id, nonce)
                );
                CREATE INDEX nonce_expiry ON nonce(expires_at);
                """)
        }
        migrator.registerMigration("v1-audit") { db in
            try db.execute(sql: """
                CREATE TABLE audit_entry (
                    sequence INTEGER PRIMARY KEY NOT NULL CHECK (sequence >= 0),
                    time_ms INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    exchange_id TEXT,
                    entry TEXT NOT NULL,
                    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
                );
                CREATE INDEX audit_entry_exchange ON audit_entry(exchange_id) WHERE exchange_id IS NOT NULL;
                """)
        }
        registerAuditV2(&migrator)
        registerOperators(&migrator)
        registerOutbox(&migrator)
        return migrator
    }()
}
