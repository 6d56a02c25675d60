import Foundation
import GRDB

extension SQLiteStore {
    /// Stores one sealed body outside an append; `conflict` if that exchange and part has one already.
    ///
    /// Prefer `appendAudit(_:bodies:)` (or `AuditLogWriter.record(_:bodies:)`), which stores bodies in
    /// the transaction of their entries so neither exists without the other.
    public func saveAuditBody(exchangeId: String, part: AuditBody.Part, sealed: Data) async throws(StoreError) {
        let body = AuditBody(exchangeId: exchangeId, part: part, sealed: sealed)
        try await write("save audit body", failure: .auditUnavailable) { db in
            try Self.insertBodies([body], db)
        }
    }

    /// The sealed bodies stored for an exchange, ordered by part name.
    public func auditBodies(exchangeId: String) async throws(StoreError) -> [AuditBody] {
        try await read("read audit bodies") { db in
            try Row.fetchAll(
                db, sql: "SELECT part, sealed FROM audit_body WHERE exchange_id = ? ORDER BY part", arguments: [exchangeId]
            ).map { row in
                AuditBody(exchangeId: exchangeId, part: AuditBody.Part(rawValue: row["part"]), sealed: row["sealed"])
            }
        }
    }

    static func insertBodies(_ bodies: [AuditBody], _ db: Database) throws {
        guard !bodies.isEmpty else { return }
        let statement = try db.cachedStatement(sql: "INSERT INTO audit_body (exchange_id, part, sealed) VALUES (?, ?, ?)")
        for body in bodies {
            do {
                try statement.execute(arguments: [body.exchangeId, body.part.rawValue, body.sealed])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError(code: .conflict, message: "audit body exists for this exchange and part", cause: error)
            }
        }
    }
}
