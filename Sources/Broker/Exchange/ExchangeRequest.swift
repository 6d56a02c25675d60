import Hummingbird
import Signing

/// A request on the exchange port, read off the wire but not yet trusted in any way.
struct ExchangeRequest: Sendable {
    /// The agency asked, from `/exchange/{provider}/…`.
    let provider: String
    /// The service asked, from `/exchange/{provider}/{service}/…` without a version suffix.
    let service: String
    /// The major version named by a `.vN` suffix on the service segment, or nil for the newest.
    let version: Int?
    /// HTTP method, upper case.
    let method: String
    /// The path after `{service}`, still percent-encoded, always starting with `/`.
    let operationPath: String
    /// The raw query string without `?`, or nil.
    let query: String?
    /// The `Host` the client addressed.
    let authority: String
    /// The whole path as sent, e.g. `/exchange/moj/criminal-record-certificate/certificates`.
    let requestPath: String
    /// Header fields in arrival order.
    let fields: MessageFields
    /// The request body (empty when none).
    let body: [UInt8]

    /// The request as RFC 9421 sees it: what the consumer signed.
    var components: RequestComponents {
        RequestComponents(method: method, scheme: "https", authority: authority, path: requestPath, query: query, fields: fields)
    }

    /// The value of a header field (repeated fields combined), by name.
    func header(_ name: String) -> String? {
        fields.combinedValue(name)
    }
}

extension ExchangeRequest {
    /// Reads the routing parts of `/exchange/{provider}/{service}[.vN]/{path…}`.
    init(request: Request, body: [UInt8]) throws(Problem) {
        let path = request.uri.path
        let segments = path.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        // segments: "", "exchange", provider, "service/rest…"
        guard segments.count >= 4, segments[1] == "exchange", !segments[2].isEmpty else {
            throw Problem(.operationNotFound, "Exchange requests have the form /exchange/{provider}/{service}/{path}.")
        }
        let tail = segments[3].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let serviceSegment = String(tail[0])
        guard !serviceSegment.isEmpty else {
            throw Problem(.operationNotFound, "Exchange requests have the form /exchange/{provider}/{service}/{path}.")
        }
        let (service, version) = Self.splitVersion(serviceSegment)
        self.provider = String(segments[2])
        self.service = service
        self.version = version
        self.operationPath = tail.count > 1 ? "/" + tail[1] : "/"
        self.method = request.method.rawValue
        self.query = request.uri.query
        self.requestPath = path
        self.authority = request.head.authority ?? "localhost"
        self.fields = MessageFields(request.headers.map { ($0.name.canonicalName, $0.value) })
        self.body = body
    }

    /// `criminal-record-certificate.v2` → (`criminal-record-certificate`, 2).
    static func splitVersion(_ segment: String) -> (String, Int?) {
        guard let dot = segment.lastIndex(of: "."),
              segment[segment.index(after: dot)...].first == "v",
              let version = Int(segment[segment.index(dot, offsetBy: 2)...]), version > 0
        else { return (segment, nil) }
        return (String(segment[..<dot]), version)
    }
}
