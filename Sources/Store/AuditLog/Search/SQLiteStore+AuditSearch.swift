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
        guard (1...AuditQuery.maximumLimit).contains(query.limit) else {
            throw StoreError(code: .invalidArgument, message: "limit must be 1...\(AuditQuery.maximumLimit)")
        }
        var conditions: [String] = []
        var arguments = StatementArguments()
        func match(_ column: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            conditions.append("\(column) = ?")
            arguments += [value]
        }
        match("consumer", query.consumer)
        match("provider", query.provider)
        match("service", query.service)
        match("service_version", query.serviceVersion)
        match("operation", query.operation)
        match("status", query.status)
        match("problem_type", query.problemType)
        match("exchange_id", query.exchangeId)
        match("kind", query.kind?.rawValue)
        if let since = query.since {
            conditions.append("time_ms >= ?")
            arguments += [Self.milliseconds(since)]
        }
        if let until = query.until {
            conditions.append("time_ms < ?")
            arguments += [Self.milliseconds(until)]
        }
        let newestFirst = query.order == .newestFirst
        if let cursor = query.cursor {
            guard let after = Self.sequence(ofCursor: cursor) else {
                throw StoreError(code: .invalidArgument, message: "unknown audit cursor")
            }
            conditions.append(newestFirst ? "sequence < ?" : "sequence > ?")
            arguments += [after]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // One row more than the page tells whether another page exists without a second query.
        let sql = "SELECT entry FROM audit_entry \(filter) ORDER BY sequence \(newestFirst ? "DESC" : "ASC") LIMIT ?"
        arguments += [query.limit + 1]
        let limit = query.limit
        let cursor = query.cursor
        let finalArguments = arguments
        return try await read("search audit") { db in
            let texts = try String.fetchAll(db, sql: sql, arguments: finalArguments)
            let entries = try texts.prefix(limit).map { text in try AuditEntry(canonicalText: text) }
            let last = entries.last.map { Self.cursor(after: $0.sequence) }
            if newestFirst {
                return AuditPage(entries: entries, nextCursor: texts.count > limit ? last : nil)
            }
            // Oldest first is how `tail` follows the log: always hand back where to resume.
            return AuditPage(entries: entries, nextCursor: last ?? cursor)
        }
    }

    /// The cursor naming a position just past `sequence` in a search.
    static func cursor(after sequence: Int) -> String {
        "s" + String(sequence)
    }

    /// The sequence a cursor names, or nil if it is not one of ours.
    static func sequence(ofCursor cursor: String) -> Int? {
        guard cursor.first == "s", let sequence = Int(cursor.dropFirst()), sequence >= 0 else { return nil }
        return sequence
    }
}
