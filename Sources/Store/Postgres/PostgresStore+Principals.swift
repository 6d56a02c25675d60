import Foundation
import PostgresNIO

extension PostgresStore {
    /// Registers a principal; `conflict` if the name or the certificate is registered already.
    public func addPrincipal(_ principal: PrincipalRecord, recording record: AdminRecord? = nil) async throws(StoreError) {
        let logger = self.logger
        try await writeAudited("add principal", record) { connection in
            try await Self.insert(principal, connection, logger)
        }
    }

    /// Registers the first operator of a new exchange; `conflict` if any operator exists already,
    /// so `rabt init` can never add a second way in behind the operators' backs. The record is
    /// required, so that the first operator is always audited.
    public func initialize(operator principal: PrincipalRecord, recording record: AdminRecord) async throws(StoreError) {
        guard principal.role == .operator else {
            throw StoreError(code: .invalidArgument, message: "the first principal must be an operator")
        }
        let logger = self.logger
        try await writeAudited("initialise", record) { connection in
            // Serialises concurrent initialisations on different nodes: only one can see zero operators.
            try await connection.rows("LOCK TABLE principal IN SHARE ROW EXCLUSIVE MODE", logger)
            guard try await Self.count(of: .operator, connection, logger) == 0 else {
                throw StoreError(code: .conflict, message: "the exchange has an operator already")
            }
            return try await Self.insert(principal, connection, logger)
        }
    }

    /// Removes a principal and returns it; `not-found` if unknown, `conflict` if it is the last
    /// operator (nobody could administer the exchange any more).
    @discardableResult
    public func removePrincipal(named name: String, recording record: AdminRecord? = nil) async throws(StoreError) -> PrincipalRecord {
        let logger = self.logger
        return try await writeAudited("remove principal", record) { connection in
            // Locking the table keeps two nodes from each removing one of the last two operators.
            try await connection.rows("LOCK TABLE principal IN SHARE ROW EXCLUSIVE MODE", logger)
            guard let before = try await connection.rows(
                "SELECT \(unescaped: Self.principalColumns) FROM principal WHERE name = \(name)", logger
            ).first.map(PrincipalRecord.init(row:))
            else { throw StoreError(code: .notFound, message: "no such principal") }
            if before.role == .operator, try await Self.count(of: .operator, connection, logger) == 1 {
                throw StoreError(code: .conflict, message: "the last operator cannot be removed")
            }
            try await connection.rows("DELETE FROM principal WHERE name = \(name)", logger)
            return AdminChange(result: before, before: before.snapshot, after: nil)
        }
    }

    /// The principal registered for a certificate fingerprint, or nil.
    public func principal(fingerprint: String) async throws(StoreError) -> PrincipalRecord? {
        let logger = self.logger
        return try await read("read principal") { connection in
            try await connection.rows("""
                SELECT \(unescaped: Self.principalColumns) FROM principal WHERE certificate_fingerprint = \(fingerprint)
                """, logger).first.map(PrincipalRecord.init(row:))
        }
    }

    /// All principals, by role then name.
    public func principals() async throws(StoreError) -> [PrincipalRecord] {
        let logger = self.logger
        return try await read("list principals") { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.principalColumns) FROM principal ORDER BY role DESC, name", logger
            ).map(PrincipalRecord.init(row:))
        }
    }

    private static let principalColumns = "name, role, certificate_fingerprint, subject, not_after, created_at"

    private static func insert(
        _ principal: PrincipalRecord, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> AdminChange<Void> {
        let added = try await connection.rows("""
            INSERT INTO principal (name, role, certificate_fingerprint, subject, not_after, created_at)
            VALUES (\(principal.name), \(principal.role.rawValue), \(principal.certificateFingerprint),
                    \(principal.subject), \(milliseconds(principal.notAfter)), \(milliseconds(principal.createdAt)))
            RETURNING \(unescaped: principalColumns)
            """, logger).first.map(PrincipalRecord.init(row:))
        return AdminChange(result: (), before: nil, after: added?.snapshot)
    }

    private static func count(
        of role: PrincipalRecord.Role, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> Int {
        try await connection.rows("SELECT COUNT(*) FROM principal WHERE role = \(role.rawValue)", logger)
            .first?.decode(Int.self) ?? 0
    }
}

extension PrincipalRecord {
    init(row: PostgresRow) throws {
        let (name, role, fingerprint, subject, notAfter, createdAt) =
            try row.decode((String, String, String, String, Int64, Int64).self)
        self.init(
            name: name,
            // The table's CHECK admits only the roles this type knows.
            role: Role(rawValue: role) ?? .auditor,
            certificateFingerprint: fingerprint,
            subject: subject,
            notAfter: PostgresStore.date(notAfter),
            createdAt: PostgresStore.date(createdAt)
        )
    }
}
