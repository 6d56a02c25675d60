import Audit
import Foundation

/// What an auditor looks for in the log: every filter is optional and they combine with AND.
public struct AuditQuery: Sendable, Hashable {
    /// Which end of the log a page starts from.
    public enum Order: Sendable, Hashable {
        /// Highest sequence first (the default: what an auditor looks at first).
        case newestFirst
        /// Lowest sequence first (for `tail`: follow the log as it grows).
        case oldestFirst
    }

    /// Consumer agency id.
    public var consumer: String?
    /// Provider agency id.
    public var provider: String?
    /// Service name.
    public var service: String?
    /// Contract major version (usually with `service`).
    public var serviceVersion: Int?
    /// Operation, e.g. `POST /certificates`.
    public var operation: String?
    /// HTTP status answered to the consumer.
    public var status: Int?
    /// RFC 9457 problem type, e.g. `signature-invalid`.
    public var problemType: String?
    /// Exchange id.
    public var exchangeId: String?
    /// Entry kind, e.g. `request.rejected`.
    public var kind: AuditEvent.Kind?
    /// Entries recorded at or after this time.
    public var since: Date?
    /// Entries recorded before this time.
    public var until: Date?
    /// Most entries per page (1…`maximumLimit`).
    public var limit: Int
    /// Where the previous page stopped (its `nextCursor`); nil for the first page.
    public var cursor: String?
    /// Page order.
    public var order: Order

    /// The largest page a query returns.
    public static let maximumLimit = 1000

    /// Creates a query; every filter defaults to absent.
    public init(
        consumer: String? = nil, provider: String? = nil, service: String? = nil, serviceVersion: Int? = nil,
        operation: String? = nil, status: Int? = nil, problemType: String? = nil, exchangeId: String? = nil,
        kind: AuditEvent.Kind? = nil, since: Date? = nil, until: Date? = nil,
        limit: Int = 100, cursor: String? = nil, order: Order = .newestFirst
    ) {
        self.consumer = consumer
        self.provider = provider
        self.service = service
        self.serviceVersion = serviceVersion
        self.operation = operation
        self.status = status
        self.problemType = problemType
        self.exchangeId = exchangeId
        self.kind = kind
        self.since = since
        self.until = until
        self.limit = limit
        self.cursor = cursor
        self.order = order
    }
}

/// One page of search results.
public struct AuditPage: Sendable, Hashable {
    /// Matching entries in the query's order.
    public var entries: [AuditEntry]
    /// Pass as `cursor` to get the next page. Newest first: nil when no entry matches beyond this
    /// page. Oldest first: where to resume polling (nil only while nothing has been returned).
    public var nextCursor: String?

    /// Creates a page.
    public init(entries: [AuditEntry], nextCursor: String?) {
        self.entries = entries
        self.nextCursor = nextCursor
    }
}
