import Audit
import Foundation
import PostgresNIO

// Stand-ins until the PostgreSQL audit log (branch pg-audit) is merged; that branch defines both.
extension PostgresStore {
    /// Refuses events: the PostgreSQL audit log is not built yet.
    static func appendAudit(
        _ events: [AuditEvent], bodies: [AuditBody], at now: Date, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [AuditEntry] {
        guard events.isEmpty, bodies.isEmpty else {
            throw StoreError(code: .invalidArgument, message: "the PostgreSQL audit log is not built yet")
        }
        return []
    }

    /// Refuses an audited change: the PostgreSQL audit log is not built yet.
    func writeAudited<Result: Sendable>(
        _ operation: String, _ record: AdminRecord?,
        _ change: @escaping @Sendable (PostgresConnection) async throws -> AdminChange<Result>
    ) async throws(StoreError) -> Result {
        try await write(operation, recording: record) { connection in try await change(connection).result }
    }
}
