import Contracts
import Delivery
import HTTPTypes
import Signing

/// Which of a consumer's header fields reach the provider: an allow-list, never a deny-list.
///
/// The provider receives the fields every operation forwards (``fixed``), the header parameters
/// the operation declares, the declared cookies of `Cookie`, and the consumer's own signature
/// (only its label's members of `Signature-Input` and `Signature`). Everything else — an
/// `Authorization`, an `X-Forwarded-For`, any `Exchange-*` the consumer made up — stays at Rabt.
enum ForwardedFields {
    /// Fields forwarded for every operation, as the consumer sent them.
    static let fixed: Set<String> = [
        "content-type", "accept", "content-digest", "idempotency-key", "traceparent", "tracestate",
    ]

    /// Fields no contract can have forwarded: the connection's own, and those libcurl sets.
    static let neverForwarded: Set<String> = [
        "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
        "proxy-authorization", "proxy-authenticate", "proxy-connection",
    ]

    /// The consumer's fields the provider receives for `operation`, in arrival order, followed by
    /// the consumer's signature (label `consumerLabel`) alone and `Exchange-Consumer-Target`
    /// (the target URI the consumer signed), when given.
    static func select(
        _ fields: HTTPFields, operation: Contract.Operation, consumerLabel: String, consumerTarget: String?
    ) throws(Problem) -> HTTPFields {
        let declared = operation.declaredHeaderNames
        let cookies = operation.declaredCookieNames
        var kept = HTTPFields()
        var signature = HTTPFields()
        for field in fields {
            let name = field.name.canonicalName
            if neverForwarded.contains(name) || name.hasPrefix("exchange-") { continue }
            if field.name == .signature || field.name == .signatureInput {
                signature.append(field)
            } else if fixed.contains(name) || declared.contains(name) {
                kept.append(field)
            } else if field.name == .cookie, !cookies.isEmpty {
                // Exactly the pairs validation read, by the same reader.
                let declaredPairs = CookiePairs.read(field.value).filter { pair in
                    cookies.contains { $0.utf8.elementsEqual(pair.name.utf8) }
                }
                if !declaredPairs.isEmpty {
                    kept.append(HTTPField(name: .cookie, value: declaredPairs.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")))
                }
            }
        }
        do {
            kept.append(contentsOf: try signature.keepingOnlySignature(consumerLabel))
        } catch {
            throw Problem(.signatureInvalid, "The consumer's signature cannot be passed on.", underlying: error)
        }
        if let consumerTarget { kept.append(HTTPField(name: .exchangeConsumerTarget, value: consumerTarget)) }
        return kept
    }
}
