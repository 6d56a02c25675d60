import Foundation
import PostgresNIO

extension PostgresStore {
    /// Registers an agency; `conflict` if the id is taken.
    public func addAgency(_ agency: Agency, recording record: AdminRecord? = nil) async throws(StoreError) {
        let logger = self.logger
        try await writeAudited("add agency", record) { connection in
            let added = try await connection.rows("""
                INSERT INTO agency (id, name, status, created_at)
                VALUES (\(agency.id), \(agency.name), \(agency.status.rawValue), \(Self.milliseconds(agency.createdAt)))
                RETURNING \(unescaped: Self.agencyColumns)
                """, logger).first.map(Agency.init(row:))
            return AdminChange(result: (), before: nil, after: added?.snapshot)
        }
    }

    /// The agency with `id`, or nil.
    public func agency(id: String) async throws(StoreError) -> Agency? {
        let logger = self.logger
        return try await read("read agency") { connection in try await Self.agency(id, connection, logger) }
    }

    /// All agencies, ordered by id.
    public func agencies() async throws(StoreError) -> [Agency] {
        let logger = self.logger
        return try await read("list agencies") { connection in
            try await connection.rows("SELECT \(unescaped: Self.agencyColumns) FROM agency ORDER BY id", logger)
                .map(Agency.init(row:))
        }
    }

    /// Sets an agency's status and returns the updated record; `not-found` if unknown.
    @discardableResult
    public func setAgencyStatus(
        id: String, status: Agency.Status, recording record: AdminRecord? = nil
    ) async throws(StoreError) -> Agency {
        let logger = self.logger
        return try await writeAudited("set agency status", record) { connection in
            guard let before = try await connection.rows(
                "SELECT \(unescaped: Self.agencyColumns) FROM agency WHERE id = \(id) FOR NO KEY UPDATE", logger
            ).first.map(Agency.init(row:))
            else { throw StoreError(code: .notFound, message: "no such agency") }
            guard let row = try await connection.rows("""
                UPDATE agency SET status = \(status.rawValue) WHERE id = \(id)
                RETURNING \(unescaped: Self.agencyColumns)
                """, logger).first
            else { throw StoreError(code: .notFound, message: "no such agency") }
            let after = try Agency(row: row)
            return AdminChange(result: after, before: before.snapshot, after: after.snapshot)
        }
    }

    static let agencyColumns = "id, name, status, created_at"

    static func agency(_ id: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> Agency? {
        try await connection.rows("SELECT \(unescaped: agencyColumns) FROM agency WHERE id = \(id)", logger)
            .first.map(Agency.init(row:))
    }

    /// Throws `not-found` unless the agency exists; runs inside the caller's transaction.
    static func requireAgency(_ id: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        // FOR SHARE keeps the agency from being deleted before the caller's insert commits.
        guard try await connection.rows("SELECT 1 FROM agency WHERE id = \(id) FOR SHARE", logger).first != nil else {
            throw StoreError(code: .notFound, message: "no such agency")
        }
    }
}

extension Agency {
    init(row: PostgresRow) throws {
        let (id, name, status, createdAt) = try row.decode((String, String, String, Int64).self)
        self.init(id: id, name: name, status: Status(rawValue: status) ?? .suspended, createdAt: PostgresStore.date(createdAt))
    }
}
