import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// One page of entries matching `query`, newest first unless the query says otherwise.
    ///
    /// The cursor is opaque to callers but stable: it names the last sequence returned, so pages
    /// never repeat or skip an entry while the log grows (new entries appear before the first page
    /// of a newest-first search and at the end of an oldest-first one). Newest first, `nextCursor`
    /// is nil on the last page. Oldest first (`tail`), it is always where to resume: an empty page
    /// means the caller has caught up, and polling again with the same cursor shows new entries.
    /// `invalid-argument` for a cursor this store did not issue or a limit outside 1…`AuditQuery.maximumLimit`.
    public func searchAudit(_ query: AuditQuery) async throws(StoreError) -> AuditPage {
        let plan = try AuditSearchPlan(query)
        var arguments = StatementArguments()
        for condition in plan.conditions {
            switch condition.value {
            case .integer(let value): arguments += [value]
            case .text(let value): arguments += [value]
            }
        }
        arguments += [plan.fetchLimit]
        let sql = "SELECT entry FROM audit_entry " + plan.filterAndOrder { _ in "?" } + " LIMIT ?"
        let finalArguments = arguments
        return try await read("search audit") { db in
            try plan.page(try String.fetchAll(db, sql: sql, arguments: finalArguments))
        }
    }
}
