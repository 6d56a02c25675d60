import Audit
import Foundation
import PostgresNIO

extension PostgresStore {
    /// One page of entries matching `query`, newest first unless the query says otherwise; the
    /// same pages, cursors and errors as `SQLiteStore.searchAudit(_:)`.
    public func searchAudit(_ query: AuditQuery) async throws(StoreError) -> AuditPage {
        let plan = try AuditSearchPlan(query)
        var binds = PostgresBindings(capacity: plan.conditions.count + 1)
        for condition in plan.conditions {
            switch condition.value {
            case .integer(let value): binds.append(value)
            case .text(let value): binds.append(value.beforeNUL)
            }
        }
        binds.append(plan.fetchLimit)
        let sql = "SELECT entry FROM audit_entry " + plan.filterAndOrder { index in "$\(index + 1)" }
            + " LIMIT $\(plan.conditions.count + 1)"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        let logger = self.logger
        return try await read("search audit") { connection in
            let texts = try await connection.rows(query, logger)
                .map { row in try row.decode(String.self) }
            return try plan.page(texts)
        }
    }
}
