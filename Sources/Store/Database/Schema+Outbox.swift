import GRDB

extension Schema {
    /// The asynchronous outbox and the idempotency keys of exchange requests.
    static func registerOutbox(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-outbox") { db in
            try db.execute(sql: """
                CREATE TABLE outbox_message (
                    id TEXT PRIMARY KEY NOT NULL,
                    consumer TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    service TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    operation TEXT NOT NULL,
                    method TEXT NOT NULL,
                    path_and_query TEXT NOT NULL,
                    headers TEXT NOT NULL,
                    body BLOB NOT NULL,
                    idempotency_key TEXT,
                    state TEXT NOT NULL
                        CHECK (state IN ('pending', 'delivering', 'delivered', 'dead', 'discarded')),
                    attempts INTEGER NOT NULL CHECK (attempts >= 0),
                    next_attempt_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    last_error TEXT,
                    response_status INTEGER,
                    response_headers TEXT NOT NULL,
                    response_body BLOB,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    lease_until INTEGER
                );
                CREATE INDEX outbox_due ON outbox_message(state, next_attempt_at);
                CREATE INDEX outbox_lease ON outbox_message(state, lease_until);
                CREATE INDEX outbox_created ON outbox_message(created_at, id);
                CREATE INDEX outbox_provider_created ON outbox_message(provider, created_at, id);
                CREATE INDEX outbox_state_created ON outbox_message(state, created_at, id);
                """)
        }
        migrator.registerMigration("v4-outbox-callbacks") { db in
            // A callback carries a message's outcome to the consumer's endpoint, delivered by the
            // same worker with the same leases, retries and dead letters.
            try db.execute(sql: """
                ALTER TABLE outbox_message ADD COLUMN kind TEXT NOT NULL DEFAULT 'request'
                    CHECK (kind IN ('request', 'callback'));
                """)
        }
        migrator.registerMigration("v4-idempotency") { db in
            try db.execute(sql: """
                CREATE TABLE idempotency_key (
                    consumer TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    key TEXT NOT NULL,
                    request_digest TEXT NOT NULL,
                    exchange_id TEXT NOT NULL,
                    completed INTEGER NOT NULL CHECK (completed IN (0, 1)),
                    status INTEGER,
                    headers TEXT NOT NULL,
                    body BLOB,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (consumer, scope, key)
                );
                CREATE INDEX idempotency_key_expiry ON idempotency_key(expires_at);
                """)
        }
        migrator.registerMigration("v5-idempotency-body-form") { db in
            // Outcomes kept so far stay readable as they are (clear) until their window ends; new
            // ones keep their body as the contract's audit body policy says.
            try db.execute(sql: """
                ALTER TABLE idempotency_key ADD COLUMN body_form TEXT NOT NULL DEFAULT 'clear'
                    CHECK (body_form IN ('clear', 'sealed', 'withheld'));
                """)
        }
    }
}
