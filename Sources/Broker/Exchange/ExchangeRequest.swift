import Contracts
import Delivery
import Foundation
import HTTPTypes
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
    /// The whole target as read strictly (`/exchange/moj/criminal-record-certificate/certificates?…`):
    /// its path and query as sent, which the consumer signed, and their decoded parts.
    let target: RequestTarget
    /// The target below `{service}`, which the contract's paths are matched against.
    let operationTarget: RequestTarget
    /// The `Host` the client addressed (the target's, for an absolute-form target).
    let authority: String
    /// Whether the client sent the target in absolute form (``AbsoluteFormGuard``).
    let absoluteForm: Bool
    /// Header fields in arrival order.
    let fields: HTTPFields
    /// The request body (empty when none).
    let body: [UInt8]

    /// The request as RFC 9421 sees it: what the consumer signed.
    var components: RequestComponents {
        RequestComponents(method: method, scheme: "https", authority: authority, path: target.path, query: target.query, fields: fields)
    }
}

extension ExchangeRequest {
    /// Reads `/exchange/{provider}/{service}[.vN]/{path…}` strictly (``RequestTarget``): a target
    /// that is not in canonical form is `target-invalid`; a second `Host`, or a `Connection`
    /// option other than `close` or `keep-alive` (one that would name an end-to-end field for
    /// removal), is `header-invalid`.
    init(request: Request, body: [UInt8]) throws(Problem) {
        let path = request.head.path ?? ""
        guard path.utf8.count <= Self.maxTargetLength else {
            throw Problem(.targetInvalid, "The request target is \(path.utf8.count) bytes long; at most \(Self.maxTargetLength) are accepted.")
        }
        let target: RequestTarget
        do {
            target = try RequestTarget(path)
        } catch {
            throw Problem(.targetInvalid, "The request target is refused: \(error.message).")
        }
        guard target.queryItems.count <= Self.maxQueryItems else {
            throw Problem(.targetInvalid, "The query has \(target.queryItems.count) parameters; at most \(Self.maxQueryItems) are accepted.")
        }
        let segments = target.segments
        // segments: "exchange", provider, service, rest…
        guard segments.count >= 3, segments[0] == "exchange", !segments[1].isEmpty, !segments[2].isEmpty else {
            throw Problem(.operationNotFound, "Exchange requests have the form /exchange/{provider}/{service}/{path}.")
        }
        // The first Host became the request's authority; any other is still among the fields.
        guard !request.headers.contains(where: { $0.name.canonicalName == "host" }) else {
            throw Problem(.headerInvalid, "The request carries more than one Host field.")
        }
        for field in request.headers where !Self.isAllowedValue(field.value) {
            throw Problem(.headerInvalid, "The value of \(field.name.rawName) holds a character outside printable ASCII; exchange requests carry ASCII header values only.")
        }
        for name in Self.singletonFields where request.headers[fields: name].count > 1 {
            throw Problem(.headerInvalid, "The request carries more than one \(name.rawName) field; Rabt and the provider must read the same one.")
        }
        for value in request.headers[values: .connection] {
            for option in value.split(separator: ",") {
                let name = option.trimmingCharacters(in: .whitespaces).lowercased()
                guard name.isEmpty || Self.connectionOptions.contains(name) else {
                    throw Problem(.headerInvalid, "Connection may name only close or keep-alive, not '\(name.prefix(60))': every other field reaches the provider as sent or not at all.")
                }
            }
        }
        let (service, version) = Self.splitVersion(String(segments[2]))
        self.provider = String(segments[1])
        self.service = service
        self.version = version
        self.target = target
        self.operationTarget = target.droppingSegments(3)
        self.method = request.method.rawValue
        self.authority = request.head.authority ?? "localhost"
        let absoluteAuthority = request.headers[fields: AbsoluteFormGuard.markerName].first?.value
        guard absoluteAuthority != "" else {
            throw Problem(.targetInvalid, "The request target is refused: it is neither a path nor an https URI naming a host.")
        }
        self.absoluteForm = absoluteAuthority != nil
        var fields = request.headers
        fields[AbsoluteFormGuard.markerName] = nil
        self.fields = fields
        self.body = body
    }

    /// Fields that must come once: with two, Rabt would check their combined value while a
    /// provider might read either line.
    static let singletonFields: [HTTPField.Name] = [.contentType, .contentDigest, .idempotencyKey, .signature, .signatureInput]

    /// The longest request target read, in bytes (RFC 9112 §3 asks for at least 8000).
    static let maxTargetLength = 8192
    /// The most query parameters an exchange request may carry.
    static let maxQueryItems = 100

    /// Header values are printable ASCII, space and tab (an allow-list): bytes that are not UTF-8
    /// reach here as U+FFFD, and other non-ASCII text would need an encoding both sides agree on.
    static func isAllowedValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 }
    }

    /// The `Connection` options a consumer may send; any other would make Rabt drop a field.
    static let connectionOptions: Set<String> = ["close", "keep-alive"]

    /// `criminal-record-certificate.v2` → (`criminal-record-certificate`, 2).
    static func splitVersion(_ segment: String) -> (String, Int?) {
        guard let dot = segment.lastIndex(of: "."),
              segment[segment.index(after: dot)...].first == "v",
              let version = Int(segment[segment.index(dot, offsetBy: 2)...]), version > 0
        else { return (segment, nil) }
        return (String(segment[..<dot]), version)
    }
}
