import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// Registers a principal; `conflict` if the name or the certificate is registered already.
    public func addPrincipal(_ principal: PrincipalRecord, recording record: AdminRecord? = nil) async throws(StoreError) {
        try await writeAudited("add principal", record) { db in
            return try Self.insert(principal, db)
        }
    }

    /// Registers the first operator of a new exchange; `conflict` if any operator exists already,
    /// so `rabt init` can never add a second way in behind the operators' backs.
    public func initialize(operator principal: PrincipalRecord, recording record: AdminRecord) async throws(StoreError) {
        guard principal.role == .operator else {
            throw StoreError(code: .invalidArgument, message: "the first principal must be an operator")
        }
        try await writeAudited("initialise", record) { db in
            guard try Self.count(of: .operator, db) == 0 else {
                throw StoreError(code: .conflict, message: "the exchange has an operator already")
            }
            return try Self.insert(principal, db)
        }
    }

    /// Removes a principal and returns it; `not-found` if unknown, `conflict` if it is the last
    /// operator (nobody could administer the exchange any more).
    @discardableResult
    public func removePrincipal(named name: String, recording record: AdminRecord? = nil) async throws(StoreError) -> PrincipalRecord {
        try await writeAudited("remove principal", record) { db in
            guard let before = try Self.principal(named: name, db) else {
                throw StoreError(code: .notFound, message: "no such principal")
            }
            if before.role == .operator, try Self.count(of: .operator, db) == 1 {
                throw StoreError(code: .conflict, message: "the last operator cannot be removed")
            }
            try db.execute(sql: "DELETE FROM principal WHERE name = ?", arguments: [name])
            return AdminChange(result: before, before: before.snapshot, after: nil)
        }
    }

    /// The principal registered for a certificate fingerprint, or nil.
    public func principal(fingerprint: String) async throws(StoreError) -> PrincipalRecord? {
        try await read("read principal") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM principal WHERE certificate_fingerprint = ?", arguments: [fingerprint])
                .map(PrincipalRecord.init(row:))
        }
    }

    /// All principals, by role then name.
    public func principals() async throws(StoreError) -> [PrincipalRecord] {
        try await read("list principals") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM principal ORDER BY role DESC, name").map(PrincipalRecord.init(row:))
        }
    }

    private static func insert(_ principal: PrincipalRecord, _ db: Database) throws -> AdminChange<Void> {
        try db.execute(
            sql: """
                INSERT INTO principal (name, role, certificate_fingerprint, subject, not_after, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                principal.name, principal.role.rawValue, principal.certificateFingerprint, principal.subject,
                milliseconds(principal.notAfter), milliseconds(principal.createdAt),
            ]
        )
        return AdminChange(result: (), before: nil, after: try Self.principal(named: principal.name, db)?.snapshot)
    }

    private static func principal(named name: String, _ db: Database) throws -> PrincipalRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM principal WHERE name = ?", arguments: [name]).map(PrincipalRecord.init(row:))
    }

    private static func count(of role: PrincipalRecord.Role, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM principal WHERE role = ?", arguments: [role.rawValue]) ?? 0
    }
}

extension PrincipalRecord {
    init(row: Row) {
        self.init(
            name: row["name"],
            // The table's CHECK admits only the roles this type knows.
            role: Role(rawValue: row["role"]) ?? .auditor,
            certificateFingerprint: row["certificate_fingerprint"],
            subject: row["subject"],
            notAfter: SQLiteStore.date(row["not_after"]),
            createdAt: SQLiteStore.date(row["created_at"])
        )
    }
}

extension PrincipalRecord: RegistrySnapshot {
    var snapshot: CanonicalJSON {
        .members([
            "name": .string(name), "role": .string(role.rawValue), "certificateFingerprint": .string(certificateFingerprint),
            "subject": .string(subject), "notAfter": .date(notAfter), "createdAt": .date(createdAt),
        ])
    }
}
