import Audit
import Contracts
import Delivery
import Foundation
import Hummingbird
import Logging
import Signing
import Store

/// One exchange, end to end: identify, verify, authorise, validate, audit, then either forward,
/// check the response, audit and answer with Rabt's receipt, or (`Prefer: respond-async`) store
/// the message durably and answer 202. Every outcome is an audit entry; when the audit log cannot
/// record, nothing is forwarded and the consumer gets `audit-unavailable`. A repeated
/// `Idempotency-Key` gets the first outcome again.
struct ExchangeService: Sendable {
    let principals: PrincipalResolver
    let verifier: RequestVerifier
    let gate: ContractGate
    let delivery: ProviderDelivery
    let signer: RabtSigner
    let audit: AuditLogWriter
    let bodies: AuditBodyKeeper
    let maintenance: MaintenanceMode
    let idempotency: IdempotencyGate
    let messages: AsyncMessages
    let maxRequestBody: Int
    let agencyLimit: AgencyExchangeLimit

    /// Facts gathered along the way, for the audit entries of this exchange.
    private struct Trail {
        let exchangeId: String
        let started = ContinuousClock.now
        var consumer: String?
        var provider: String?
        var service: String?
        var version: Int?
        var operation: String?
        var requestDigest: String?
        /// The contract's `audit.body` policy, once the contract is known.
        var bodyPolicy = Contract.Exchange.AuditBody.digest
        var attempts: [AttemptRecord] = []
        /// The agency whose in-progress count this exchange holds (``AgencyExchangeLimit``).
        var admittedAgency: String?

        func event(
            _ kind: AuditEvent.Kind, status: Int?, problem: Problem? = nil, responseDigest: String? = nil, detail: String? = nil
        ) -> AuditEvent {
            let elapsed = ContinuousClock.now - started
            let keepsDigests = bodyPolicy != .none
            return AuditEvent(
                kind: kind, exchangeId: exchangeId, consumer: consumer, provider: provider, service: service,
                serviceVersion: version, operation: operation, status: status,
                attempts: attempts.isEmpty ? nil : attempts.map(AuditEvent.Attempt.init),
                latencyMs: elapsed.milliseconds,
                requestDigest: keepsDigests ? requestDigest : nil, responseDigest: keepsDigests ? responseDigest : nil,
                problemType: problem?.type.name, detail: problem?.detail ?? detail
            )
        }
    }

    func handle(_ request: Request, context: BrokerRequestContext) async -> Response {
        var trail = Trail(exchangeId: UUID().uuidString.lowercased())
        var logger = context.logger
        logger[metadataKey: "exchange.id"] = "\(trail.exchangeId)"
        if AsyncMessages.isStatusPath(request.uri.path) {
            do {
                return try await messageStatus(request, context)
            } catch {
                return await refuse(error, trail, logger: logger)
            }
        }
        do {
            try maintenance.admit()
        } catch {
            return await refuse(error, trail, logger: logger)
        }
        defer { maintenance.finish() }
        defer { if let agency = trail.admittedAgency { agencyLimit.finish(agency) } }
        var held: IdempotencyGate.Hold?
        do {
            let (accepted, keptRequest) = try await accept(request, context, &trail)
            logger[metadataKey: "agency.consumer"] = "\(accepted.verified.consumer)"
            logger[metadataKey: "contract.id"] = "\(accepted.contract.exchange.id)"
            if AsyncMessages.prefersAsync(request) {
                return try await enqueue(accepted, trail).response()
            }
            switch try await idempotency.claim(accepted, exchangeId: trail.exchangeId) {
            case .none:
                break
            case .hold(let hold):
                held = hold
            case .replay(let answer, let first):
                try await record(trail.event(.requestReplayed, status: answer.status, detail: "first exchange: \(first)"))
                return answer.response()
            }
            var event = trail.event(.requestAccepted, status: nil)
            event.target = accepted.forwardTarget
            try await record(event, bodies: keptRequest)
            switch await forward(accepted, &trail, logger: logger) {
            case .answered(let answer, let sealed):
                if let held { await idempotency.complete(held, with: answer, sealed: sealed) }
                return answer.response()
            case .failed(let problem):
                if let held { await idempotency.release(held) }
                return problem.response()
            }
        } catch {
            if let held { await idempotency.release(held) }
            return await refuse(error, trail, logger: logger)
        }
    }

    /// `Prefer: respond-async`: stores the message and answers 202, or gives a repeat of its
    /// `Idempotency-Key` the first outcome again (audited as `request.replayed`).
    private func enqueue(_ accepted: AcceptedRequest, _ trail: Trail) async throws(Problem) -> ExchangeAnswer {
        // A message Rabt could not countersign would never be delivered: find out before the 202.
        var trial = OutboundRequest(
            method: accepted.request.method, url: "https://provider.invalid" + accepted.forwardTarget,
            headers: ProviderDelivery.withExchangeFields(
                accepted.forwardHeaders, consumer: accepted.verified.consumer, exchangeId: trail.exchangeId
            ),
            body: accepted.request.body
        )
        try signer.countersign(&trial, consumerLabel: accepted.verified.signature.label)
        var event = trail.event(.requestAccepted, status: 202, detail: "queued for asynchronous delivery")
        event.target = accepted.forwardTarget
        switch try await messages.enqueue(accepted, exchangeId: trail.exchangeId, event: event) {
        case .accepted(let answer):
            return answer
        case .replay(let answer, let first):
            try await record(trail.event(.requestReplayed, status: answer.status, detail: "first exchange: \(first)"))
            return answer
        }
    }

    /// Steps 1–5: everything before the request leaves Rabt; returns the request's sealed body
    /// when the contract keeps full bodies.
    private func accept(
        _ request: Request, _ context: BrokerRequestContext, _ trail: inout Trail
    ) async throws(Problem) -> (AcceptedRequest, [AuditBody]) {
        let consumer = try await callingAgency(context)
        trail.consumer = consumer
        try await verifier.requireActiveAgency(consumer)
        try agencyLimit.admit(consumer)
        trail.admittedAgency = consumer
        let body = try await request.collectBody(limit: maxRequestBody)
        trail.requestDigest = AuditEvent.digest(of: body)
        let exchangeRequest = try ExchangeRequest(request: request, body: body)
        trail.provider = exchangeRequest.provider
        trail.service = exchangeRequest.service
        trail.version = exchangeRequest.version
        let verified = try await verifier.verify(exchangeRequest, consumer: consumer)
        let published = try await gate.contract(for: exchangeRequest, logger: context.logger)
        trail.version = published.contract.exchange.version
        trail.bodyPolicy = published.contract.exchange.auditBody
        let accepted = try await gate.admit(verified, published: published)
        trail.operation = accepted.operation.name
        let kept = try bodies.keep(body, part: .request, exchangeId: trail.exchangeId, policy: trail.bodyPolicy)
        return (accepted, kept)
    }

    /// `GET /exchange/messages/{id}`: the state of one of the calling agency's asynchronous
    /// messages, for a request verified like any exchange request (certificate, signature, nonce).
    private func messageStatus(_ request: Request, _ context: BrokerRequestContext) async throws(Problem) -> Response {
        guard request.method == .get else {
            throw Problem(.methodNotAllowed, "Message status is read with GET.", allow: ["GET"])
        }
        let consumer = try await callingAgency(context)
        try await verifier.requireActiveAgency(consumer)
        let body = try await request.collectBody(limit: maxRequestBody)
        _ = try await verifier.verify(try ExchangeRequest(request: request, body: body), consumer: consumer)
        let id = String(request.uri.path.dropFirst(AsyncMessages.statusPrefix.count))
        return .json(try await messages.status(of: id, consumer: consumer))
    }

    /// The agency whose client certificate the connection presents; anyone else is `forbidden`.
    private func callingAgency(_ context: BrokerRequestContext) async throws(Problem) -> String {
        let principal = try await principals.principal(of: context)
        guard case .agency(let consumer) = principal else {
            throw Problem(.forbidden, "The exchange API is for agency systems; \(principal) may not call it.")
        }
        return consumer
    }

    private enum Forwarded {
        /// The receipt, with the response body as the audit log keeps it when sealed (`audit: {body: full}`).
        case answered(ExchangeAnswer, sealed: AuditBody?)
        /// Delivery failed; the failure is audited and `problem` carries the exchange id.
        case failed(Problem)
    }

    /// Steps 6–10: deliver, check, audit, answer with the receipt.
    private func forward(_ accepted: AcceptedRequest, _ trail: inout Trail, logger: Logger) async -> Forwarded {
        do throws(Problem) {
            let answer: ProviderAnswer
            do {
                answer = try await delivery.deliver(accepted, exchangeId: trail.exchangeId, attempts: &trail.attempts)
            } catch {
                // The consumer's answer names what failed; the entry and the log also say how, in libcurl's words.
                let recorded = error.recordedDetail(attempts: trail.attempts)
                logger.notice("delivery failed", metadata: [
                    "problem.type": "\(error.type.name)", "delivery.attempts": "\(trail.attempts.count)", "delivery.error": "\(recorded)",
                ])
                var event = trail.event(.deliveryFailed, status: Int(error.type.status.code), problem: error)
                event.detail = recorded
                try await record(event)
                var problem = error
                problem.exchangeId = trail.exchangeId
                return .failed(problem)
            }
            let response = answer.response
            var event = trail.event(.responseDelivered, status: response.status, responseDigest: AuditEvent.digest(of: response.body))
            if !answer.reportedViolations.isEmpty {
                event.problemType = ProblemType.responseInvalid.name
                event.detail = "reported, not enforced: " + answer.reportedViolations.map { "\($0.pointer) \($0.keyword)" }.joined(separator: "; ")
            }
            let kept = try bodies.keep(response.body, part: .response, exchangeId: trail.exchangeId, policy: trail.bodyPolicy)
            try await record(event, bodies: kept)
            var receipt = try signer.receipt(
                for: response, exchangeId: trail.exchangeId, request: accepted.request, consumerLabel: accepted.verified.signature.label
            )
            receipt.headers += accepted.published.lifecycle.headers
            return .answered(receipt, sealed: kept.first)
        } catch {
            var problem = error
            problem.exchangeId = trail.exchangeId
            return .failed(problem)
        }
    }

    /// Audits a refusal and renders it; if even that cannot be recorded, answers `audit-unavailable`.
    private func refuse(_ problem: Problem, _ trail: Trail, logger: Logger) async -> Response {
        var problem = problem
        problem.exchangeId = trail.exchangeId
        if problem.type != .auditUnavailable {
            do {
                try await record(trail.event(.requestRejected, status: Int(problem.type.status.code), problem: problem))
            } catch {
                problem = error
                problem.exchangeId = trail.exchangeId
            }
        }
        logger.info("exchange refused", metadata: ["problem.type": "\(problem.type.name)"])
        return problem.response()
    }

    private func record(_ event: AuditEvent, bodies: [AuditBody] = []) async throws(Problem) {
        do {
            _ = try await audit.record([event], bodies: bodies)
        } catch {
            throw Problem(error)
        }
    }
}

extension AuditEvent.Attempt {
    /// An attempt of the forwarder as the audit log records it.
    init(_ record: AttemptRecord) {
        switch record.result {
        case .status(let status): self.init(url: record.url, status: status, durationMs: record.duration.milliseconds)
        case .error(let code): self.init(url: record.url, error: code.wireString, durationMs: record.duration.milliseconds)
        }
    }
}
