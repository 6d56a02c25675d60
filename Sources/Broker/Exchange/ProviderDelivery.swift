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
    let store: SQLiteStore
    let forwarder: Forwarder
    let signer: RabtSigner
    /// Rabt's client certificate and the exchange CA, for mTLS to providers.
    let tls: TLSSettings

    /// Delivers and returns the provider's answer, or the problem that ends the exchange.
    /// The attempts made are reported through `attempts` even when it throws.
    func deliver(_ accepted: AcceptedRequest, exchangeId: String, attempts: inout [AttemptRecord]) async throws(Problem) -> ProviderAnswer {
        let request = accepted.request
        let exchange = accepted.contract.exchange
        let endpoint: ProviderEndpoint?
        do { endpoint = try await store.endpoint(provider: exchange.provider) } catch { throw Problem(error) }
        guard let endpoint, !endpoint.urls.isEmpty else {
            throw Problem(.endpointNotConfigured, "Provider '\(exchange.provider)' has no registered endpoint.")
        }
        let pathAndQuery = request.operationPath + (request.query.map { "?\($0)" } ?? "")
        var headers = strippingHopByHopHeaders(request.fields.fields.map { HTTPHeader(name: $0.name, value: $0.value) })
        headers.removeAll { ["exchange-id", "exchange-consumer"].contains($0.name.lowercased()) }
        headers.append(HTTPHeader(name: "Exchange-Id", value: exchangeId))
        headers.append(HTTPHeader(name: "Exchange-Consumer", value: accepted.verified.consumer))
        headers = try signer.countersign(
            method: request.method, headers: headers, consumerLabel: accepted.verified.signature.label,
            hasBody: !request.body.isEmpty
        )

        // The forwarder joins each endpoint URL with `pathAndQuery`; `url` names the first for logs.
        let outbound = OutboundRequest(
            method: request.method, url: endpoint.urls[0], headers: headers, body: request.body,
            timeout: endpoint.timeout, tls: tls.overridden(by: endpoint.tls)
        )
        let idempotent = outbound.isIdempotent
        let outcome = await forwarder.deliver(
            outbound, endpoints: endpoint.urls, pathAndQuery: pathAndQuery,
            policy: RetryPolicy(exchange.retry), deadline: exchange.timeout, idempotent: idempotent
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
