import GRDB

extension Schema {
    /// Operator and auditor principals bound to certificates, and contract deprecation.
    static func registerOperators(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-principals") { db in
            try db.execute(sql: """
                CREATE TABLE principal (
                    name TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('operator', 'auditor')),
                    certificate_fingerprint TEXT NOT NULL UNIQUE,
                    subject TEXT NOT NULL,
                    not_after INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-contract-sunset") { db in
            try db.execute(sql: """
                ALTER TABLE contract ADD COLUMN deprecated_at INTEGER;
                ALTER TABLE contract ADD COLUMN sunset_at INTEGER;
                """)
        }
    }
}
