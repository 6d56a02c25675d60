import GRDB

extension Schema {
    /// The second release of the audit log: stored Merkle nodes, search columns, signed tree heads
    /// and sealed bodies. Each migration also fills what it adds for entries written by v1.
    static func registerAuditV2(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-audit-tree") { db in
            // A node at level L (≥ 1) and index i is the root of the perfect subtree over leaves
            // [i·2^L, (i+1)·2^L); level 0 is audit_entry.leaf_hash and is not repeated here.
            try db.execute(sql: """
                CREATE TABLE audit_node (
                    level INTEGER NOT NULL CHECK (level >= 1),
                    idx INTEGER NOT NULL CHECK (idx >= 0),
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    PRIMARY KEY (level, idx)
                ) WITHOUT ROWID;
                """)
            var builder = try SQLiteStore.AuditNodeWriter(db, size: 0)
            let leaves = try Row.fetchCursor(db, sql: "SELECT sequence, leaf_hash FROM audit_entry ORDER BY sequence")
            while let row = try leaves.next() {
                let sequence: Int = row["sequence"]
                guard sequence == builder.size else {
                    throw StoreError(code: .storeUnavailable, message: "audit log has a gap at sequence \(builder.size)")
                }
                try builder.append(try AuditNodeReader.hash(row["leaf_hash"]))
            }
        }
        migrator.registerMigration("v2-audit-search") { db in
            try db.execute(sql: """
                ALTER TABLE audit_entry ADD COLUMN consumer TEXT;
                ALTER TABLE audit_entry ADD COLUMN provider TEXT;
                ALTER TABLE audit_entry ADD COLUMN service TEXT;
                ALTER TABLE audit_entry ADD COLUMN service_version INTEGER;
                ALTER TABLE audit_entry ADD COLUMN operation TEXT;
                ALTER TABLE audit_entry ADD COLUMN status INTEGER;
                ALTER TABLE audit_entry ADD COLUMN problem_type TEXT;
                UPDATE audit_entry SET
                    consumer = json_extract(entry, '$.consumer'),
                    provider = json_extract(entry, '$.provider'),
                    service = json_extract(entry, '$.service'),
                    service_version = json_extract(entry, '$.serviceVersion'),
                    operation = json_extract(entry, '$.operation'),
                    status = json_extract(entry, '$.status'),
                    problem_type = json_extract(entry, '$.problemType');
                CREATE INDEX audit_entry_consumer ON audit_entry(consumer) WHERE consumer IS NOT NULL;
                CREATE INDEX audit_entry_provider ON audit_entry(provider) WHERE provider IS NOT NULL;
                CREATE INDEX audit_entry_service ON audit_entry(service, service_version) WHERE service IS NOT NULL;
                CREATE INDEX audit_entry_status ON audit_entry(status) WHERE status IS NOT NULL;
                CREATE INDEX audit_entry_problem ON audit_entry(problem_type) WHERE problem_type IS NOT NULL;
                CREATE INDEX audit_entry_time ON audit_entry(time_ms);
                """)
        }
        migrator.registerMigration("v2-audit-heads") { db in
            try db.execute(sql: """
                CREATE TABLE audit_tree_head (
                    size INTEGER PRIMARY KEY NOT NULL CHECK (size >= 0),
                    root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
                    timestamp_ms INTEGER NOT NULL,
                    note TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-audit-bodies") { db in
            try db.execute(sql: """
                CREATE TABLE audit_body (
                    exchange_id TEXT NOT NULL,
                    part TEXT NOT NULL,
                    sealed BLOB NOT NULL,
                    PRIMARY KEY (exchange_id, part)
                ) WITHOUT ROWID;
                """)
        }
    }
}
