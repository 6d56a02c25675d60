import Foundation
import PostgresNIO

extension PostgresStore {
    /// The message with `id`, or nil.
    public func outboxMessage(id: String) async throws(StoreError) -> OutboxMessage? {
        let logger = self.logger
        return try await read("read outbox message") { connection in
            try await connection.rows("SELECT \(unescaped: Self.outboxColumns) FROM outbox_message WHERE id = \(id)", logger)
                .first.map(OutboxMessage.init(row:))
        }
    }

    /// Up to `limit` messages, newest first, in `states` (all when empty) and of `provider` (all when nil).
    ///
    /// `cursorId` is the id of the last message of the previous page: the page holds the messages
    /// created before it (ties broken by id). An unknown cursor is `invalid-argument`.
    public func outboxMessages(
        states: [OutboxMessage.State], provider: String?, limit: Int, after cursorId: String?
    ) async throws(StoreError) -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        // Only the filters asked for are written into the statement, so each listing reads the index
        // of its own filter (state, provider or creation time).
        var conditions: [String] = []
        var binds = PostgresBindings()
        if !states.isEmpty {
            binds.append(states.map(\.rawValue))
            conditions.append("state = ANY($\(binds.count))")
        }
        if let provider {
            binds.append(provider)
            conditions.append("provider = $\(binds.count)")
        }
        if let cursorId {
            binds.append(cursorId)
            conditions.append("(created_at, id) < (SELECT created_at, id FROM outbox_message WHERE id = $\(binds.count))")
        }
        binds.append(limit)
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let query = PostgresQuery(
            unsafeSQL: "SELECT \(Self.outboxColumns) FROM outbox_message \(filter) ORDER BY created_at DESC, id DESC LIMIT $\(binds.count)",
            binds: binds
        )
        let logger = self.logger
        return try await read("list outbox messages") { connection in
            if let cursorId,
               try await connection.rows("SELECT 1 FROM outbox_message WHERE id = \(cursorId)", logger).isEmpty {
                throw StoreError(code: .invalidArgument, message: "unknown outbox cursor")
            }
            return try await connection.rows(query, logger).map(OutboxMessage.init(row:))
        }
    }

    /// The number of messages in each state; every state is present, zero when none.
    public func outboxCounts() async throws(StoreError) -> [OutboxMessage.State: Int] {
        let logger = self.logger
        return try await read("count outbox messages") { connection in
            var counts = Dictionary(uniqueKeysWithValues: OutboxMessage.State.allCases.map { ($0, 0) })
            for row in try await connection.rows("SELECT state, COUNT(*) FROM outbox_message GROUP BY state", logger) {
                let (name, count) = try row.decode((String, Int).self)
                if let state = OutboxMessage.State(rawValue: name) { counts[state] = count }
            }
            return counts
        }
    }

    static let outboxColumns = """
        id, consumer, provider, service, version, operation, method, path_and_query, headers, body, idempotency_key, \
        state, attempts, next_attempt_at, expires_at, last_error, response_status, response_headers, response_body, \
        created_at, updated_at, lease_until, kind
        """
}

extension OutboxMessage {
    /// Decodes a row of `PostgresStore.outboxColumns`.
    init(row: PostgresRow) throws {
        let column = row.makeRandomAccess()
        func value<T: PostgresDecodable>(_ name: String, _ type: T.Type = T.self) throws -> T {
            try column[name].decode(T.self)
        }
        self.init(
            id: try value("id"), consumer: try value("consumer"), provider: try value("provider"),
            service: try value("service"), version: try value("version"), operation: try value("operation"),
            method: try value("method"), pathAndQuery: try value("path_and_query"),
            headers: try OutboxHeader.decode(try value("headers")), body: [UInt8](try value("body", Data.self)),
            idempotencyKey: try value("idempotency_key"),
            nextAttemptAt: PostgresStore.date(try value("next_attempt_at")),
            expiresAt: PostgresStore.date(try value("expires_at")), createdAt: PostgresStore.date(try value("created_at"))
        )
        // The table's CHECK admits only the states and kinds these types know.
        guard let state = State(rawValue: try value("state")) else {
            throw StoreError(code: .storeUnavailable, message: "unknown outbox state")
        }
        self.state = state
        attempts = try value("attempts")
        lastError = try value("last_error")
        responseStatus = try value("response_status")
        responseHeaders = try OutboxHeader.decode(try value("response_headers"))
        responseBody = try value("response_body", Data?.self).map { [UInt8]($0) }
        updatedAt = PostgresStore.date(try value("updated_at"))
        leaseUntil = try value("lease_until", Int64?.self).map(PostgresStore.date)
        kind = Kind(rawValue: try value("kind")) ?? .request
    }
}
