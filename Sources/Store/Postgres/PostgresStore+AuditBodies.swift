import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Stores one sealed body outside an append; `conflict` if that exchange and part has one already.
    ///
    /// Prefer `appendAudit(_:bodies:)`, which stores bodies in the transaction of their entries so
    /// neither exists without the other.
    public func saveAuditBody(exchangeId: String, part: AuditBody.Part, sealed: Data) async throws(StoreError) {
        let body = AuditBody(exchangeId: exchangeId, part: part, sealed: sealed)
        let logger = self.logger
        try await write("save audit body", failure: .auditUnavailable) { connection in
            try await Self.insertBodies([body], connection, logger)
        }
    }

    /// The sealed bodies stored for an exchange, ordered by part name (bytewise, as SQLite orders).
    public func auditBodies(exchangeId: String) async throws(StoreError) -> [AuditBody] {
        let logger = self.logger
        return try await read("read audit bodies") { connection in
            try await connection.rows("""
                SELECT part, sealed FROM audit_body WHERE exchange_id = \(exchangeId.beforeNUL) ORDER BY part COLLATE "C"
                """, logger).map { row in
                let (part, sealed) = try row.decode((String, Data).self)
                return AuditBody(exchangeId: exchangeId, part: AuditBody.Part(rawValue: part), sealed: sealed)
            }
        }
    }

    /// Inserts bodies in one statement; `conflict` when any exchange and part is stored already
    /// (or repeats within `bodies`).
    static func insertBodies(_ bodies: [AuditBody], _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard !bodies.isEmpty else { return }
        let inserted = try await connection.rows("""
            INSERT INTO audit_body (exchange_id, part, sealed)
            SELECT * FROM UNNEST(\(bodies.map(\.exchangeId.beforeNUL))::text[], \(bodies.map(\.part.rawValue.beforeNUL))::text[],
                                 \(bodies.map { ByteBuffer(bytes: $0.sealed) })::bytea[])
            ON CONFLICT DO NOTHING
            RETURNING 1
            """, logger)
        guard inserted.count == bodies.count else {
            throw StoreError(code: .conflict, message: "audit body exists for this exchange and part")
        }
    }
}
