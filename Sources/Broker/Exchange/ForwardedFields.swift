import Contracts
import Delivery
import Signing

/// The header fields Rabt itself sets on what it forwards.
enum ExchangeHeader {
    /// The exchange id.
    static let id = "Exchange-Id"
    /// The calling agency.
    static let consumer = "Exchange-Consumer"
    /// The target URI the consumer signed (`https://{rabt}/exchange/…`), so a provider can
    /// rebuild the consumer's signature base.
    static let consumerTarget = "Exchange-Consumer-Target"
}

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
        _ fields: MessageFields, operation: Contract.Operation, consumerLabel: String, consumerTarget: String?
    ) throws(Problem) -> [HTTPHeader] {
        let declared = operation.declaredHeaderNames
        let cookies = operation.declaredCookieNames
        var kept: [HTTPHeader] = []
        for field in fields.fields {
            let name = field.name.lowercased()
            if neverForwarded.contains(name) || name.hasPrefix("exchange-") { continue }
            if fixed.contains(name) || declared.contains(name) {
                kept.append(HTTPHeader(name: field.name, value: field.value))
            } else if name == "cookie", !cookies.isEmpty {
                // Exactly the pairs validation read, by the same reader.
                let declaredPairs = CookiePairs.read(field.value).filter { pair in
                    cookies.contains { $0.utf8.elementsEqual(pair.name.utf8) }
                }
                if !declaredPairs.isEmpty {
                    kept.append(HTTPHeader(name: "Cookie", value: declaredPairs.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")))
                }
            }
        }
        do {
            let signature = try MessageFields(fields.fields.filter { ["signature", "signature-input"].contains($0.name.lowercased()) })
                .keepingOnlySignature(consumerLabel)
            kept += signature.fields.map { HTTPHeader(name: $0.name, value: $0.value) }
        } catch {
            throw Problem(.signatureInvalid, "The consumer's signature cannot be passed on.", underlying: error)
        }
        if let consumerTarget { kept.append(HTTPHeader(name: ExchangeHeader.consumerTarget, value: consumerTarget)) }
        return kept
    }
}
