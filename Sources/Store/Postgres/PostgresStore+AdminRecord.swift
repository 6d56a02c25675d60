import Foundation
import PostgresNIO

extension PostgresStore {
    /// Runs `change` in one transaction and, when `record` is given and the target changed,
    /// appends its audit entry (with the digests of the target before and after) in that same
    /// transaction: the change and its entry commit together or not at all.
    func writeAudited<Result: Sendable>(
        _ operation: String,
        _ record: AdminRecord?,
        _ change: @escaping @Sendable (PostgresConnection) async throws -> AdminChange<Result>
    ) async throws(StoreError) -> Result {
        let now = configuration.now()
        let logger = self.logger
        return try await write(operation) { connection in
            let outcome = try await change(connection)
            if let record, outcome.changed {
                let event = try record.event(before: outcome.before, after: outcome.after)
                _ = try await Self.appendAudit([event], bodies: [], at: now, connection, logger)
            }
            return outcome.result
        }
    }
}
