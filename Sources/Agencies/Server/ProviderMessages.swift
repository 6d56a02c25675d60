import Foundation
import HTTPTypes
import Signing

/// A request as the provider received it; also what `ProviderServer` records.
public struct ProviderRequest: Sendable {
    /// The HTTP method.
    public var method: String
    /// The path, without the query.
    public var path: String
    /// The query string without `?`, or `nil` when there is none.
    public var query: String?
    /// The `Host` field (HTTP/1.1) as received, which HTTP types keep apart from the other fields.
    public var authority: String?
    /// Header fields in arrival order.
    public var headers: HTTPFields
    /// The request body.
    public var body: [UInt8]
    /// Path parameters of the matched route (`{name}` segments).
    public var parameters: [String: String]
    /// The client's TCP port: equal ports mean the same connection.
    public var remotePort: Int?
    /// DER bytes of the client certificate presented over TLS, if any.
    public var clientCertificateDER: [UInt8]?

    /// Creates a request.
    public init(method: String, path: String, query: String? = nil, authority: String? = nil, headers: HTTPFields = [:], body: [UInt8] = [], parameters: [String: String] = [:], remotePort: Int? = nil, clientCertificateDER: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.authority = authority
        self.headers = headers
        self.body = body
        self.parameters = parameters
        self.remotePort = remotePort
        self.clientCertificateDER = clientCertificateDER
    }

    /// The first value of a header field, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.values(named: name).first
    }

    /// Every value of a query parameter, percent-decoded, in order.
    public func queryValues(_ name: String) -> [String] {
        guard let query else { return [] }
        return query.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first.map(String.init)?.removingPercentEncoding == name else { return nil }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
        }
    }

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? { queryValues(name).first }
}

/// A response a provider handler returns.
public struct ProviderResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// Header fields to send (`Content-Length` is set by the server).
    public var headers: HTTPFields
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response with `Content-Type: application/json`.
    public static func json(_ status: Int, _ value: some Encodable, headers: HTTPFields = [:]) -> ProviderResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)).map { [UInt8]($0) } ?? [UInt8]("{}".utf8)
        return ProviderResponse(status: status, headers: [.contentType: "application/json"] + headers, body: body)
    }

    /// An RFC 9457 problem response with `Content-Type: application/problem+json`.
    public static func problem(_ status: Int, title: String, detail: String? = nil, type: String? = nil) -> ProviderResponse {
        var response = json(status, Problem(type: type, title: title, status: status, detail: detail))
        response.headers = [.contentType: "application/problem+json"]
        return response
    }

    /// A plain-text response.
    public static func text(_ status: Int, _ text: String) -> ProviderResponse {
        ProviderResponse(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: Array(text.utf8))
    }
}

/// RFC 9457 problem details as the sample providers write them.
struct Problem: Encodable {
    var type: String?
    var title: String
    var status: Int
    var detail: String?
}

/// Answers one request to a route.
public typealias ProviderHandler = @Sendable (ProviderRequest) async throws -> ProviderResponse

/// A route a `ProviderServer` serves: method, path template (`{name}` for a parameter) and handler.
public struct ProviderRoute: Sendable {
    /// The HTTP method.
    public var method: String
    /// The path template, e.g. `/certificates/{certificateNumber}`.
    public var path: String
    /// What answers it.
    public var handler: ProviderHandler

    /// Creates a route.
    public init(_ method: String, _ path: String, handler: @escaping ProviderHandler) {
        self.method = method
        self.path = path
        self.handler = handler
    }
}
