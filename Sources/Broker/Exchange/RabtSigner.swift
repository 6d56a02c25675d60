import Delivery
import Foundation
import HTTPTypes
import Hummingbird
import Signing

/// Rabt's own RFC 9421 signatures (label `rabt`): the countersignature on requests forwarded to
/// providers and the receipt on answers to consumers.
struct RabtSigner: Sendable {
    let signer: MessageSigner

    init(key: SigningKey, keyID: String) {
        self.signer = MessageSigner(key: key, keyID: keyID)
    }

    /// Adds Rabt's countersignature to one attempt of a forwarded request: it covers everything
    /// the provider receives — `@method` and `@target-uri` of that attempt and every header field
    /// sent (`exchange-id`, `exchange-consumer`, `exchange-consumer-target`, `content-type`,
    /// `content-digest`, `idempotency-key`, the operation's declared headers, …) — and, for a
    /// consumer's request, the consumer's signature and its parameters by their label, so a
    /// provider can verify the whole chain. Each attempt is signed for its own URL, so failing
    /// over to another endpoint URL signs again.
    ///
    /// Without `consumerLabel` it is Rabt's own request (a callback to a consumer).
    func countersign(_ request: inout OutboundRequest, consumerLabel: String?) throws(Problem) {
        var components: [ComponentIdentifier] = [.method, .targetURI]
        var seen: Set<String> = []
        for field in request.headers {
            let name = field.name.canonicalName
            guard field.name != .signature, field.name != .signatureInput, seen.insert(name).inserted else { continue }
            components.append(.field(name))
        }
        if let consumerLabel {
            components += [.field("signature", key: consumerLabel), .field("signature-input", key: consumerLabel)]
        }
        do {
            var message = SignableMessage.request(try RequestComponents(
                method: request.method, targetURI: request.url, fields: request.headers
            ))
            try signer.sign(&message, label: "rabt", components: components, created: Date(), nonce: SignatureParameters.randomNonce())
            request.headers = message.fields
        } catch {
            throw Problem(.internalError, "Rabt could not countersign the request.", underlying: error)
        }
    }

    /// The consumer's answer: the provider's status, headers (hop-by-hop stripped) and body,
    /// plus `Exchange-Id`, `Content-Digest` and Rabt's receipt signature bound to the request
    /// and to the consumer's signature `consumerLabel`.
    func receipt(
        for response: InboundResponse, exchangeId: String, request: ExchangeRequest, consumerLabel: String
    ) throws(Problem) -> ExchangeAnswer {
        var headers = response.headers.removingHopByHop()
        // Rabt states the digest of the body it actually returns, and signs it.
        headers[.contentDigest] = nil
        headers[.exchangeError] = nil
        headers[.exchangeId] = nil
        headers.append(HTTPField(name: .exchangeId, value: exchangeId))
        var components = ResponseComponents(status: response.status, fields: headers)
        do {
            try signer.signReceipt(
                &components, request: request.components, consumerLabel: consumerLabel, body: response.body, created: Date()
            )
        } catch {
            throw Problem(.internalError, "Rabt could not sign the receipt.", underlying: error)
        }
        return ExchangeAnswer(
            status: response.status, headers: components.fields,
            body: response.body
        )
    }
}
