import Foundation
import HTTPTypes

/// The parts of an HTTP request that RFC 9421 derived components and fields are read from.
public struct RequestComponents: Sendable, Hashable {
    /// The method as sent, e.g. `POST` (case-sensitive).
    public var method: String
    /// The scheme in lowercase, e.g. `https`.
    public var scheme: String
    /// `host[:port]` with the host in lowercase and the scheme's default port left out.
    public var authority: String
    /// The absolute path as sent (still percent-encoded); an empty path is `/`.
    public var path: String
    /// The query without the leading `?`, as sent; nil when the target has no `?`.
    public var query: String?
    /// The header fields.
    public var fields: HTTPFields

    /// Creates request components from parts; the authority is normalised as RFC 9110 §4.2.3 says.
    public init(
        method: String,
        scheme: String,
        authority: String,
        path: String,
        query: String? = nil,
        fields: HTTPFields = HTTPFields()
    ) {
        self.method = method
        self.scheme = scheme.lowercased()
        self.authority = Self.normalise(authority: authority, scheme: self.scheme)
        self.path = path.isEmpty ? "/" : path
        self.query = query
        self.fields = fields
    }

    /// Creates request components from an absolute target URI such as `https://example.com/foo?a=b`.
    public init(method: String, targetURI: String, fields: HTTPFields = HTTPFields()) throws {
        guard let schemeEnd = targetURI.range(of: "://") else {
            throw SigningError(.signatureInvalid, "target URI is not absolute")
        }
        let scheme = String(targetURI[..<schemeEnd.lowerBound])
        let rest = targetURI[schemeEnd.upperBound...]
        let withoutFragment = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let authorityEnd = withoutFragment.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? withoutFragment.endIndex
        var authority = String(withoutFragment[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") {
            authority = String(authority[authority.index(after: at)...])
        }
        guard !scheme.isEmpty, !authority.isEmpty else {
            throw SigningError(.signatureInvalid, "target URI has no scheme or authority")
        }
        let pathAndQuery = withoutFragment[authorityEnd...]
        let path: Substring
        let query: String?
        if let questionMark = pathAndQuery.firstIndex(of: "?") {
            path = pathAndQuery[..<questionMark]
            query = String(pathAndQuery[pathAndQuery.index(after: questionMark)...])
        } else {
            path = pathAndQuery
            query = nil
        }
        self.init(method: method, scheme: scheme, authority: authority, path: String(path), query: query, fields: fields)
    }

    /// `scheme://authority/path?query`: the `@target-uri` value.
    public var targetURI: String {
        "\(self.scheme)://\(self.authority)\(self.requestTarget)"
    }

    /// The origin-form request target `path?query`: the `@request-target` value.
    public var requestTarget: String {
        if let query = self.query {
            return "\(self.path)?\(query)"
        }
        return self.path
    }

    private static func normalise(authority: String, scheme: String) -> String {
        let lowered = authority.lowercased()
        let defaultPort: String? =
            switch scheme {
            case "https": ":443"
            case "http": ":80"
            default: nil
            }
        if let defaultPort, lowered.hasSuffix(defaultPort) {
            return String(lowered.dropLast(defaultPort.count))
        }
        return lowered
    }
}

/// The parts of an HTTP response that RFC 9421 components are read from.
public struct ResponseComponents: Sendable, Hashable {
    /// The status code, e.g. 200.
    public var status: Int
    /// The header fields.
    public var fields: HTTPFields

    /// Creates response components.
    public init(status: Int, fields: HTTPFields = HTTPFields()) {
        self.status = status
        self.fields = fields
    }
}

/// A request, or a response with the request it answers (needed for components with `;req`).
public enum SignableMessage: Sendable, Hashable {
    /// A request.
    case request(RequestComponents)
    /// A response, optionally with the request that triggered it.
    case response(ResponseComponents, request: RequestComponents?)

    /// The message's own header fields.
    public var fields: HTTPFields {
        get {
            switch self {
            case .request(let request): request.fields
            case .response(let response, _): response.fields
            }
        }
        set {
            switch self {
            case .request(var request):
                request.fields = newValue
                self = .request(request)
            case .response(var response, let request):
                response.fields = newValue
                self = .response(response, request: request)
            }
        }
    }
}
