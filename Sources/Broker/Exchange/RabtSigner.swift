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

    /// Adds Rabt's countersignature to a forwarded request. It covers the method, the exchange
    /// headers, the consumer's signature (its own dictionary member, so adding `rabt` beside it
    /// does not change what is covered) and the body digest. It covers no URI component: the
    /// same signed request may fail over to another endpoint URL.
    ///
    /// Without `consumerLabel` it is Rabt's own request (a callback to a consumer) and covers the
    /// same minus the consumer's signature, plus the `idempotency-key`.
    func countersign(method: String, headers: [HTTPHeader], consumerLabel: String?, hasBody: Bool) throws(Problem) -> [HTTPHeader] {
        var components: [ComponentIdentifier] = [.method, .field("exchange-id"), .field("exchange-consumer")]
        if let consumerLabel {
            components.append(.field("signature", key: consumerLabel))
        } else if headers.first(named: "idempotency-key") != nil {
            components.append(.field("idempotency-key"))
        }
        if hasBody { components.append(.field("content-digest")) }
        let fields = MessageFields(headers.map { ($0.name, $0.value) })
        var message = SignableMessage.request(
            RequestComponents(method: method, scheme: "https", authority: "provider.invalid", path: "/", fields: fields)
        )
        do {
            try signer.sign(&message, label: "rabt", components: components, created: Date(), nonce: SignatureParameters.randomNonce())
        } catch {
            throw Problem(.internalError, "Rabt could not countersign the request.", underlying: error)
        }
        return message.fields.fields.map { HTTPHeader(name: $0.name, value: $0.value) }
    }

    /// The consumer's answer: the provider's status, headers (hop-by-hop stripped) and body,
    /// plus `Exchange-Id`, `Content-Digest` and Rabt's receipt signature bound to the request.
    func receipt(for response: InboundResponse, exchangeId: String, request: ExchangeRequest) throws(Problem) -> ExchangeAnswer {
        var headers = strippingHopByHopHeaders(response.headers)
        // Rabt states the digest of the body it actually returns, and signs it.
        headers.removeAll { ["content-digest", "exchange-id", "exchange-error"].contains($0.name.lowercased()) }
        headers.append(HTTPHeader(name: "Exchange-Id", value: exchangeId))
        var components = ResponseComponents(status: response.status, fields: MessageFields(headers.map { ($0.name, $0.value) }))
        do {
            try signer.signReceipt(&components, request: request.components, body: response.body, created: Date())
        } catch {
            throw Problem(.internalError, "Rabt could not sign the receipt.", underlying: error)
        }
        return ExchangeAnswer(
            status: response.status, headers: components.fields.fields.map { HTTPHeader(name: $0.name, value: $0.value) },
            body: response.body
        )
    }
}
