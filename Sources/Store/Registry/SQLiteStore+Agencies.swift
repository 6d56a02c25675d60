import Foundation
import GRDB

extension SQLiteStore {
    /// Registers an agency; `conflict` if the id is taken.
    public func addAgency(_ agency: Agency, recording record: AdminRecord? = nil) async throws(StoreError) {
        try await writeAudited("add agency", record) { db in
            try db.execute(
                sql: "INSERT INTO agency (id, name, status, created_at) VALUES (?, ?, ?, ?)",
                arguments: [agency.id, agency.name, agency.status.rawValue, Self.milliseconds(agency.createdAt)]
            )
            return AdminChange(result: (), before: nil, after: try Self.agency(agency.id, db)?.snapshot)
        }
    }

    /// The agency with `id`, or nil.
    public func agency(id: String) async throws(StoreError) -> Agency? {
        try await read("read agency") { db in try Self.agency(id, db) }
    }

    /// All agencies, ordered by id.
    public func agencies() async throws(StoreError) -> [Agency] {
        try await read("list agencies") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM agency ORDER BY id").map(Agency.init(row:))
        }
    }

    /// Sets an agency's status and returns the updated record; `not-found` if unknown.
    @discardableResult
    public func setAgencyStatus(
        id: String, status: Agency.Status, recording record: AdminRecord? = nil
    ) async throws(StoreError) -> Agency {
        try await writeAudited("set agency status", record) { db in
            guard let before = try Self.agency(id, db) else { throw StoreError(code: .notFound, message: "no such agency") }
            try db.execute(sql: "UPDATE agency SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
            var after = before
            after.status = status
            return AdminChange(result: after, before: before.snapshot, after: after.snapshot)
        }
    }

    static func agency(_ id: String, _ db: Database) throws -> Agency? {
        try Row.fetchOne(db, sql: "SELECT * FROM agency WHERE id = ?", arguments: [id]).map(Agency.init(row:))
    }

    /// Throws `not-found` unless the agency exists; runs inside the caller's transaction.
    static func requireAgency(_ id: String, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM agency WHERE id = ?", arguments: [id]) != nil else {
            throw StoreError(code: .notFound, message: "no such agency")
        }
    }
}

extension Agency {
    init(row: Row) {
        self.init(
            id: row["id"],
            name: row["name"],
            status: Status(rawValue: row["status"]) ?? .suspended,
            createdAt: SQLiteStore.date(row["created_at"])
        )
    }
}
