import Audit
import Foundation
import Hummingbird
import Store

/// Reading the audit API's query parameters, refusing unknown or malformed ones by name.
struct AuditQueryParameters {
    private let parameters: [String: String]

    init(_ request: Request, allowed: Set<String>) throws(Problem) {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            guard allowed.contains(name) else {
                throw Problem(.badRequest, "Unknown query parameter '\(name)'; allowed: \(allowed.sorted().joined(separator: ", ")).")
            }
            guard parameters[name] == nil else { throw Problem(.badRequest, "Query parameter '\(name)' is given twice.") }
            parameters[name] = String(value)
        }
        self.parameters = parameters
    }

    func string(_ name: String) -> String? {
        parameters[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    func integer(_ name: String, in range: ClosedRange<Int> = 0...Int.max) throws(Problem) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Problem(.badRequest, "Query parameter '\(name)' must be an integer in \(range.lowerBound)...\(range.upperBound == .max ? "" : "\(range.upperBound)").")
        }
        return value
    }

    /// An RFC 3339 time (`2026-11-25T08:00:00Z`, fraction optional) or a UTC date (`2026-11-25`, its midnight).
    func time(_ name: String) throws(Problem) -> Date? {
        guard let text = string(name) else { return nil }
        guard let date = AuditTime.parse(text) else {
            throw Problem(.badRequest, "Query parameter '\(name)' must be an RFC 3339 time such as 2026-11-25T08:00:00Z or a date such as 2026-11-25.")
        }
        return date
    }

    /// The search described by the parameters.
    func query() throws(Problem) -> AuditQuery {
        var query = AuditQuery(
            consumer: string("consumer"), provider: string("provider"), service: string("service"),
            serviceVersion: try integer("version", in: 1...Int(Int32.max)), operation: string("operation"),
            status: try integer("status", in: 100...599), problemType: string("problemType"),
            exchangeId: string("exchangeId"), kind: string("kind").map(AuditEvent.Kind.init(rawValue:)),
            since: try time("since"), until: try time("until"),
            limit: try integer("limit", in: 1...AuditQuery.maximumLimit) ?? 100, cursor: string("cursor")
        )
        switch string("order") {
        case nil, "newest": query.order = .newestFirst
        case "oldest": query.order = .oldestFirst
        case let other?: throw Problem(.badRequest, "Query parameter 'order' must be newest or oldest, not '\(other)'.")
        }
        return query
    }

    static let searchNames: Set<String> = [
        "consumer", "provider", "service", "version", "operation", "status", "problemType", "exchangeId", "kind",
        "since", "until", "limit", "cursor", "order",
    ]
}

/// Times as auditors type them.
public enum AuditTime {
    /// An RFC 3339 time with or without fraction, or a date meaning its midnight UTC; nil otherwise.
    public static func parse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = TimeZone(identifier: "UTC")
        return withFraction.date(from: text) ?? plain.date(from: text) ?? (text.count == 10 ? day.date(from: text) : nil)
    }
}
