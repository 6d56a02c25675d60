import Audit
import Foundation

/// What a search asks of the entry table, independent of the engine: equality and range conditions
/// on the search columns, the order, and how many rows to read. Each engine renders it as SQL and
/// hands the texts it read to `page(_:)`.
///
/// The cursor is opaque to callers but stable: it names the last sequence returned, so pages never
/// repeat or skip an entry while the log grows (new entries appear before the first page of a
/// newest-first search and at the end of an oldest-first one).
struct AuditSearchPlan: Sendable {
    /// A value a condition compares with.
    enum Value: Sendable {
        case integer(Int64)
        case text(String)
    }

    /// `column comparison value`, e.g. `status = 403`.
    struct Condition: Sendable {
        let column: String
        let comparison: String
        let value: Value
    }

    /// The conditions, combined with AND.
    private(set) var conditions: [Condition] = []
    /// Highest sequence first.
    let newestFirst: Bool
    /// Rows to read: one more than the page, which tells whether another page exists.
    let fetchLimit: Int
    private let limit: Int
    private let cursor: String?

    /// Checks the query: `invalid-argument` for a cursor no store issued or a limit outside
    /// 1…`AuditQuery.maximumLimit`.
    init(_ query: AuditQuery) throws(StoreError) {
        guard (1...AuditQuery.maximumLimit).contains(query.limit) else {
            throw StoreError(code: .invalidArgument, message: "limit must be 1...\(AuditQuery.maximumLimit)")
        }
        newestFirst = query.order == .newestFirst
        limit = query.limit
        fetchLimit = query.limit + 1
        cursor = query.cursor
        match("consumer", query.consumer.map(Value.text))
        match("provider", query.provider.map(Value.text))
        match("service", query.service.map(Value.text))
        match("service_version", query.serviceVersion.map { .integer(Int64($0)) })
        match("operation", query.operation.map(Value.text))
        match("status", query.status.map { .integer(Int64($0)) })
        match("problem_type", query.problemType.map(Value.text))
        match("exchange_id", query.exchangeId.map(Value.text))
        match("kind", query.kind.map { .text($0.rawValue) })
        if let since = query.since {
            conditions.append(Condition(column: "time_ms", comparison: ">=", value: .integer(SQLiteStore.milliseconds(since))))
        }
        if let until = query.until {
            conditions.append(Condition(column: "time_ms", comparison: "<", value: .integer(SQLiteStore.milliseconds(until))))
        }
        if let cursor = query.cursor {
            guard let after = Self.sequence(ofCursor: cursor) else {
                throw StoreError(code: .invalidArgument, message: "unknown audit cursor")
            }
            conditions.append(Condition(column: "sequence", comparison: newestFirst ? "<" : ">", value: .integer(Int64(after))))
        }
    }

    private mutating func match(_ column: String, _ value: Value?) {
        guard let value else { return }
        conditions.append(Condition(column: column, comparison: "=", value: value))
    }

    /// `WHERE …` with each value rendered by `placeholder` (empty without conditions), then the order.
    func filterAndOrder(_ placeholder: (Int) -> String) -> String {
        let filter = conditions.indices.map { index in
            "\(conditions[index].column) \(conditions[index].comparison) \(placeholder(index))"
        }
        return (filter.isEmpty ? "" : "WHERE " + filter.joined(separator: " AND ")) + " ORDER BY sequence "
            + (newestFirst ? "DESC" : "ASC")
    }

    /// The page for the texts read (at most `fetchLimit`, in order).
    func page(_ texts: [String]) throws -> AuditPage {
        let entries = try texts.prefix(limit).map { text in try AuditEntry(canonicalText: text) }
        let last = entries.last.map { Self.cursor(after: $0.sequence) }
        if newestFirst {
            return AuditPage(entries: entries, nextCursor: texts.count > limit ? last : nil)
        }
        // Oldest first is how `tail` follows the log: always hand back where to resume.
        return AuditPage(entries: entries, nextCursor: last ?? cursor)
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
