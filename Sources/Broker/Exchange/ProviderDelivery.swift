import Contracts
import Delivery
import Foundation
import HTTPTypes
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
        let prepared = try await prepare(
            provider: exchange.provider, method: request.method, target: accepted.forwardTarget,
            headers: accepted.forwardHeaders, body: request.body, consumer: accepted.verified.consumer, exchangeId: exchangeId
        )
        let outcome = await send(
            prepared, consumerLabel: accepted.verified.signature.label, policy: RetryPolicy(exchange.retry),
            deadline: exchange.timeout, idempotent: prepared.request.isIdempotent
        )
        attempts = outcome.attempts
        guard let response = outcome.response else {
            throw Problem(deliveryFailure: outcome, provider: exchange.provider)
        }
        let violations = accepted.operation.validateResponse(
            status: response.status, contentType: response.headers[.contentType], body: response.body
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

/// A request ready to leave Rabt, but for the countersignature each attempt gets.
struct PreparedDelivery: Sendable {
    /// The request; its URL is set per attempt.
    let request: OutboundRequest
    /// The endpoint whose URLs are tried.
    let endpoint: ProviderEndpoint
    /// The canonical path and query below each endpoint URL.
    let target: String
}

extension ProviderDelivery {
    /// A request ready for `provider`'s endpoint: `headers` (already allow-listed) with
    /// `Exchange-Id` and `Exchange-Consumer` set. Synchronous exchanges, the asynchronous worker
    /// and callbacks (where `provider` is the consumer agency being called back) all send what
    /// this builds, through ``send(_:consumerLabel:policy:deadline:idempotent:)``.
    func prepare(
        provider: String, method: String, target: String, headers: HTTPFields, body: [UInt8],
        consumer: String, exchangeId: String
    ) async throws(Problem) -> PreparedDelivery {
        let endpoint: ProviderEndpoint?
        do { endpoint = try await store.endpoint(provider: provider) } catch { throw Problem(error) }
        guard let endpoint, !endpoint.urls.isEmpty else {
            throw Problem(.endpointNotConfigured, "Agency '\(provider)' has no registered endpoint.")
        }
        // The forwarder joins each endpoint URL with `target`; `url` names the first for logs.
        let request = OutboundRequest(
            method: method, url: endpoint.urls[0],
            headers: Self.withExchangeFields(headers, consumer: consumer, exchangeId: exchangeId), body: body,
            timeout: endpoint.timeout, tls: tls.overridden(by: endpoint.tls)
        )
        return PreparedDelivery(request: request, endpoint: endpoint, target: target)
    }

    /// `headers` with `Exchange-Id` and `Exchange-Consumer` set (any earlier ones removed): what
    /// every request Rabt sends carries.
    static func withExchangeFields(_ headers: HTTPFields, consumer: String, exchangeId: String) -> HTTPFields {
        var fields = headers
        fields[.exchangeId] = nil
        fields[.exchangeConsumer] = nil
        fields.append(HTTPField(name: .exchangeId, value: exchangeId))
        fields.append(HTTPField(name: .exchangeConsumer, value: consumer))
        return fields
    }

    /// Sends a prepared request, retrying and failing over by `policy`; every attempt carries
    /// Rabt's countersignature over that attempt's own URL.
    func send(
        _ prepared: PreparedDelivery, consumerLabel: String?, policy: RetryPolicy, deadline: Duration, idempotent: Bool
    ) async -> DeliveryOutcome {
        await forwarder.deliver(
            prepared.request, endpoints: prepared.endpoint.urls, pathAndQuery: prepared.target,
            policy: policy, deadline: deadline, idempotent: idempotent
        ) { attempt in
            try signer.countersign(&attempt, consumerLabel: consumerLabel)
        }
    }
}

extension RetryPolicy {
    /// The delivery policy of a contract's `x-exchange.retry`.
    init(_ retry: Contract.Exchange.Retry) {
        self.init(attempts: retry.attempts, initialBackoff: retry.initialBackoff, maxBackoff: retry.maxBackoff)
    }
}

extension Problem {
    /// `provider-timeout` when time ran out, `provider-unavailable` otherwise: the provider and
    /// what each attempt came to (`connect-failed`, `tls-failed`, `timeout`, `http 503`…), never
    /// an address, a port or libcurl's words — consumers learn nothing of a provider's network.
    /// ``recordedDetail(attempts:)`` is the full account, for the audit entry and the node's log.
    init(deliveryFailure outcome: DeliveryOutcome, provider: String) {
        let results = outcome.attempts.isEmpty
            ? "no attempt could be made"
            : "\(outcome.attempts.count) attempt(s): \(outcome.attempts.map(\.result.summary).joined(separator: ", "))"
        let timedOut = outcome.failure?.code == .providerTimeout || outcome.stopReason == .deadlineExceeded
        if timedOut {
            self.init(.providerTimeout, "Provider '\(provider)' did not answer within the contract's deadline; \(results).", underlying: outcome.failure)
        } else {
            self.init(.providerUnavailable, "Provider '\(provider)' could not be reached; \(results).", underlying: outcome.failure)
        }
    }

    /// The detail with each failed attempt's transport error in full (libcurl's words, with the
    /// addresses and ports it names): what the audit entry and the node's log record of a failed
    /// delivery, where the consumer's answer has ``detail`` alone.
    func recordedDetail(attempts: [AttemptRecord]) -> String {
        let failures = attempts.enumerated().compactMap { index, attempt in
            attempt.detail.map { "attempt \(index + 1) \($0)" }
        }
        return failures.isEmpty ? detail : detail + " " + failures.joined(separator: "; ")
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
