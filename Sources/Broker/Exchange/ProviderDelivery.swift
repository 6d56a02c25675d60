import Contracts
import Delivery
import Foundation
import Signing
import Store

/// What came back from the provider, ready for the receipt.
struct ProviderAnswer: Sendable {
    let response: InboundResponse
    let attempts: [AttemptRecord]
    /// Response violations found under `responseValidation: report` (empty when valid).
    let reportedViolations: [Problem.Violation]
}

/// Forwards an accepted request to the provider's endpoint: hop-by-hop headers stripped, the
/// consumer's signature passed through, Rabt's countersignature added, retried and failed over
/// by the contract's policy within its deadline; then checks the response against the contract.
struct ProviderDelivery: Sendable {
    let store: any ExchangeStore
    let forwarder: Forwarder
    let signer: RabtSigner
    /// Rabt's client certificate and the exchange CA, for mTLS to providers.
    let tls: TLSSettings

    /// Delivers and returns the provider's answer, or the problem that ends the exchange.
    /// The attempts made are reported through `attempts` even when it throws.
    func deliver(_ accepted: AcceptedRequest, exchangeId: String, attempts: inout [AttemptRecord]) async throws(Problem) -> ProviderAnswer {
        let request = accepted.request
        let exchange = accepted.contract.exchange
        let forwarded = try await prepare(
            provider: exchange.provider, method: request.method,
            pathAndQuery: request.operationPath + (request.query.map { "?\($0)" } ?? ""),
            headers: request.fields.fields.map { HTTPHeader(name: $0.name, value: $0.value) }, body: request.body,
            consumer: accepted.verified.consumer, consumerLabel: accepted.verified.signature.label, exchangeId: exchangeId
        )
        let outcome = await forwarder.deliver(
            forwarded.request, endpoints: forwarded.endpoint.urls, pathAndQuery: forwarded.pathAndQuery,
            policy: RetryPolicy(exchange.retry), deadline: exchange.timeout, idempotent: forwarded.request.isIdempotent
        )
        attempts = outcome.attempts
        guard let response = outcome.response else {
            throw Problem(deliveryFailure: outcome, provider: exchange.provider)
        }
        let violations = accepted.operation.validateResponse(
            status: response.status, contentType: response.headers.first(named: "content-type"), body: response.body
        ).map(Problem.Violation.init)
        if !violations.isEmpty, exchange.responseValidation == .enforce {
            throw Problem(
                .responseInvalid,
                "Provider '\(exchange.provider)' answered \(response.status) in breach of \(exchange.id): \(violations.count) violation(s).",
                violations: violations
            )
        }
        return ProviderAnswer(response: response, attempts: outcome.attempts, reportedViolations: violations)
    }
}

extension ProviderDelivery {
    /// A request ready for the provider: its endpoint, hop-by-hop headers stripped, `Exchange-Id`
    /// and `Exchange-Consumer` set, Rabt's countersignature added. Synchronous exchanges and the
    /// asynchronous worker both send what this builds; a callback (no `consumerLabel`) goes to the
    /// consumer agency's endpoint (`provider` is then that agency) signed by Rabt alone.
    func prepare(
        provider: String, method: String, pathAndQuery: String, headers: [HTTPHeader], body: [UInt8],
        consumer: String, consumerLabel: String?, exchangeId: String
    ) async throws(Problem) -> (request: OutboundRequest, endpoint: ProviderEndpoint, pathAndQuery: String) {
        let endpoint: ProviderEndpoint?
        do { endpoint = try await store.endpoint(provider: provider) } catch { throw Problem(error) }
        guard let endpoint, !endpoint.urls.isEmpty else {
            throw Problem(.endpointNotConfigured, "Agency '\(provider)' has no registered endpoint.")
        }
        var forwarded = strippingHopByHopHeaders(headers)
        forwarded.removeAll { ["exchange-id", "exchange-consumer"].contains($0.name.lowercased()) }
        forwarded.append(HTTPHeader(name: "Exchange-Id", value: exchangeId))
        forwarded.append(HTTPHeader(name: "Exchange-Consumer", value: consumer))
        forwarded = try signer.countersign(method: method, headers: forwarded, consumerLabel: consumerLabel, hasBody: !body.isEmpty)
        // The forwarder joins each endpoint URL with `pathAndQuery`; `url` names the first for logs.
        let request = OutboundRequest(
            method: method, url: endpoint.urls[0], headers: forwarded, body: body,
            timeout: endpoint.timeout, tls: tls.overridden(by: endpoint.tls)
        )
        return (request, endpoint, pathAndQuery)
    }
}

extension RetryPolicy {
    /// The delivery policy of a contract's `x-exchange.retry`.
    init(_ retry: Contract.Exchange.Retry) {
        self.init(attempts: retry.attempts, initialBackoff: retry.initialBackoff, maxBackoff: retry.maxBackoff)
    }
}

extension Problem {
    /// `provider-timeout` when time ran out, `provider-unavailable` otherwise, with the attempts in words.
    init(deliveryFailure outcome: DeliveryOutcome, provider: String) {
        let tried = outcome.attempts.count
        let lastError = (outcome.failure?.cause as? DeliveryError) ?? outcome.failure
        let last = lastError?.message ?? "no answer"
        let timedOut = outcome.failure?.code == .providerTimeout || outcome.stopReason == .deadlineExceeded
        if timedOut {
            self.init(.providerTimeout, "Provider '\(provider)' did not answer within the contract's deadline after \(tried) attempt(s); last: \(last).", underlying: outcome.failure)
        } else {
            self.init(.providerUnavailable, "Provider '\(provider)' could not be reached after \(tried) attempt(s); last: \(last).", underlying: outcome.failure)
        }
    }
}

extension TLSSettings {
    /// These defaults with the files a provider's endpoint names instead.
    func overridden(by endpoint: ProviderEndpoint.TLS) -> TLSSettings {
        var settings = self
        if let caFile = endpoint.caFile { settings.caFile = caFile }
        if let certificate = endpoint.clientCertificateFile, let key = endpoint.clientKeyFile {
            settings.clientCertificateFile = certificate
            settings.clientKeyFile = key
        }
        return settings
    }
}
