extension PostgresSchema {
    /// The audit log: SQLite's audit tables (v1-audit and the v2-audit-* migrations) in one step,
    /// hashes as BYTEA, with the same search indexes.
    static let audit = Migration(name: "v2-audit", statements: [
        """
        CREATE TABLE audit_entry (
            sequence BIGINT PRIMARY KEY CHECK (sequence >= 0),
            time_ms BIGINT NOT NULL,
            kind TEXT NOT NULL,
            exchange_id TEXT,
            entry TEXT NOT NULL,
            leaf_hash BYTEA NOT NULL CHECK (length(leaf_hash) = 32),
            consumer TEXT,
            provider TEXT,
            service TEXT,
            service_version BIGINT,
            operation TEXT,
            status BIGINT,
            problem_type TEXT
        )
        """,
        "CREATE INDEX audit_entry_exchange ON audit_entry(exchange_id) WHERE exchange_id IS NOT NULL",
        "CREATE INDEX audit_entry_consumer ON audit_entry(consumer) WHERE consumer IS NOT NULL",
        "CREATE INDEX audit_entry_provider ON audit_entry(provider) WHERE provider IS NOT NULL",
        "CREATE INDEX audit_entry_service ON audit_entry(service, service_version) WHERE service IS NOT NULL",
        "CREATE INDEX audit_entry_status ON audit_entry(status) WHERE status IS NOT NULL",
        "CREATE INDEX audit_entry_problem ON audit_entry(problem_type) WHERE problem_type IS NOT NULL",
        "CREATE INDEX audit_entry_time ON audit_entry(time_ms)",
        // A node at level L (≥ 1) and index i is the root of the perfect subtree over leaves
        // [i·2^L, (i+1)·2^L); level 0 is audit_entry.leaf_hash and is not repeated here.
        """
        CREATE TABLE audit_node (
            level BIGINT NOT NULL CHECK (level >= 1),
            idx BIGINT NOT NULL CHECK (idx >= 0),
            hash BYTEA NOT NULL CHECK (length(hash) = 32),
            PRIMARY KEY (level, idx)
        )
        """,
        """
        CREATE TABLE audit_tree_head (
            size BIGINT PRIMARY KEY CHECK (size >= 0),
            root_hash BYTEA NOT NULL CHECK (length(root_hash) = 32),
            timestamp_ms BIGINT NOT NULL,
            note TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE audit_body (
            exchange_id TEXT NOT NULL,
            part TEXT NOT NULL,
            sealed BYTEA NOT NULL,
            PRIMARY KEY (exchange_id, part)
        )
        """,
    ])
}
