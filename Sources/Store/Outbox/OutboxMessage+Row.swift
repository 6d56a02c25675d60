import Audit
import Foundation
import GRDB

extension OutboxHeader {
    /// Headers as a JSON array of `{name, value}` objects, the form header columns hold.
    static func encode(_ headers: [OutboxHeader]) throws(StoreError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(headers), as: UTF8.self)
        } catch {
            throw StoreError(code: .invalidArgument, message: "headers cannot be encoded", cause: error)
        }
    }

    /// Decodes a header column.
    static func decode(_ text: String) throws -> [OutboxHeader] {
        try JSONDecoder().decode([OutboxHeader].self, from: Data(text.utf8))
    }
}

extension OutboxMessage {
    init(row: Row) throws {
        let headers: String = row["headers"], responseHeaders: String = row["response_headers"]
        let body: Data = row["body"]
        let responseBody: Data? = row["response_body"]
        self.init(
            id: row["id"], consumer: row["consumer"], provider: row["provider"], service: row["service"],
            version: row["version"], operation: row["operation"], method: row["method"],
            pathAndQuery: row["path_and_query"], headers: try OutboxHeader.decode(headers), body: [UInt8](body),
            idempotencyKey: row["idempotency_key"], nextAttemptAt: SQLiteStore.date(row["next_attempt_at"]),
            expiresAt: SQLiteStore.date(row["expires_at"]), createdAt: SQLiteStore.date(row["created_at"])
        )
        let stateName: String = row["state"]
        guard let state = State(rawValue: stateName) else {
            throw StoreError(code: .storeUnavailable, message: "unknown outbox state")
        }
        self.state = state
        attempts = row["attempts"]
        lastError = row["last_error"]
        responseStatus = row["response_status"]
        self.responseHeaders = try OutboxHeader.decode(responseHeaders)
        self.responseBody = responseBody.map { [UInt8]($0) }
        updatedAt = SQLiteStore.date(row["updated_at"])
        leaseUntil = (row["lease_until"] as Int64?).map(SQLiteStore.date)
        kind = Kind(rawValue: row["kind"]) ?? .request
    }

    /// The operator-visible record audited by resend and discard: never the body or headers.
    var snapshot: CanonicalJSON {
        .members([
            "id": .string(id), "state": .string(state.rawValue), "attempts": .integer(attempts),
            "nextAttemptAt": .date(nextAttemptAt), "expiresAt": .date(expiresAt), "lastError": lastError.map(CanonicalJSON.string),
        ])
    }
}

extension SQLiteStore {
    static func outboxMessage(id: String, _ db: Database) throws -> OutboxMessage? {
        try Row.fetchOne(db, sql: "SELECT * FROM outbox_message WHERE id = ?", arguments: [id]).map(OutboxMessage.init(row:))
    }

    /// Inserts a new message; `conflict` if its id is taken.
    static func insert(_ message: OutboxMessage, _ db: Database) throws {
        // Body and response blobs are bound as Data: an empty body stays an empty BLOB, never NULL.
        try db.execute(
            sql: """
                INSERT INTO outbox_message (id, consumer, provider, service, version, operation, method, path_and_query,
                    headers, body, idempotency_key, state, attempts, next_attempt_at, expires_at, last_error,
                    response_status, response_headers, response_body, created_at, updated_at, lease_until, kind)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                """,
            arguments: [
                message.id, message.consumer, message.provider, message.service, message.version, message.operation,
                message.method, message.pathAndQuery, try OutboxHeader.encode(message.headers), Data(message.body),
                message.idempotencyKey, message.state.rawValue, message.attempts, milliseconds(message.nextAttemptAt),
                milliseconds(message.expiresAt), message.lastError, message.responseStatus,
                try OutboxHeader.encode(message.responseHeaders), message.responseBody.map { Data($0) },
                milliseconds(message.createdAt), milliseconds(message.updatedAt), message.leaseUntil.map(milliseconds),
                message.kind.rawValue,
            ]
        )
        guard db.changesCount > 0 else {
            throw StoreError(code: .conflict, message: "an outbox message with this id exists")
        }
    }

    /// Writes the mutable columns of a stored message back.
    static func update(_ message: OutboxMessage, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE outbox_message SET state = ?, attempts = ?, next_attempt_at = ?, expires_at = ?, last_error = ?,
                response_status = ?, response_headers = ?, response_body = ?, updated_at = ?, lease_until = ?
            WHERE id = ?
            """)
        try statement.execute(arguments: [
            message.state.rawValue, message.attempts, milliseconds(message.nextAttemptAt), milliseconds(message.expiresAt),
            message.lastError, message.responseStatus, try OutboxHeader.encode(message.responseHeaders),
            message.responseBody.map { Data($0) }, milliseconds(message.updatedAt), message.leaseUntil.map(milliseconds),
            message.id,
        ])
    }
}
