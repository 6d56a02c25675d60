extension PostgresSchema {
    /// The asynchronous outbox and the idempotency keys: SQLite's `v4-outbox`, `v4-outbox-callbacks`
    /// and `v4-idempotency` tables in one migration.
    ///
    /// The claim reads two partial indexes, one per side (due pending rows by `next_attempt_at`,
    /// delivering rows by `lease_until`), so a claim stays bounded by its limit however many
    /// messages are delivered or dead, and each index holds only the rows that side can take.
    static let delivery = Migration(name: "v3-delivery", statements: [
        """
        CREATE TABLE outbox_message (
            id TEXT PRIMARY KEY,
            consumer TEXT NOT NULL,
            provider TEXT NOT NULL,
            service TEXT NOT NULL,
            version BIGINT NOT NULL,
            operation TEXT NOT NULL,
            method TEXT NOT NULL,
            path_and_query TEXT NOT NULL,
            headers TEXT NOT NULL,
            body BYTEA NOT NULL,
            idempotency_key TEXT,
            state TEXT NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'dead', 'discarded')),
            attempts BIGINT NOT NULL CHECK (attempts >= 0),
            next_attempt_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            last_error TEXT,
            response_status BIGINT,
            response_headers TEXT NOT NULL,
            response_body BYTEA,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            lease_until BIGINT,
            kind TEXT NOT NULL DEFAULT 'request' CHECK (kind IN ('request', 'callback'))
        )
        """,
        "CREATE INDEX outbox_due ON outbox_message(next_attempt_at, id) WHERE state = 'pending'",
        "CREATE INDEX outbox_lease ON outbox_message(lease_until, id) WHERE state = 'delivering'",
        "CREATE INDEX outbox_created ON outbox_message(created_at, id)",
        "CREATE INDEX outbox_provider_created ON outbox_message(provider, created_at, id)",
        "CREATE INDEX outbox_state_created ON outbox_message(state, created_at, id)",
        """
        CREATE TABLE idempotency_key (
            consumer TEXT NOT NULL,
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            request_digest TEXT NOT NULL,
            exchange_id TEXT NOT NULL,
            completed BOOLEAN NOT NULL,
            status BIGINT,
            headers TEXT NOT NULL,
            body BYTEA,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            PRIMARY KEY (consumer, scope, key)
        )
        """,
        "CREATE INDEX idempotency_key_expiry ON idempotency_key(expires_at)",
    ])
}
