import Audit
import Contracts
import Delivery
import Foundation
import HTTPTypes
import JSONSchema
import Logging
import ServiceLifecycle
import Signing
import Store

/// Delivers asynchronous messages from the durable outbox, as a ServiceLifecycle service.
///
/// Messages are claimed from the store with a lease, at most `concurrency` at a time, so memory
/// stays bounded by that number whatever the backlog, and a provider coming back after an
/// outage sees at most `concurrency` requests in flight from this node while the rest wait for
/// their jittered retry times. Each claim is one attempt (failing over across the endpoint's
/// URLs); its outcome and audit entry commit together. A failed attempt is retried after the
/// contract's `async` backoff until the message's horizon (`async.retryFor`), then the message
/// is dead-lettered. A node that dies mid-attempt leaves a lease that runs out, and the message
/// is claimed again; providers see the same `Idempotency-Key` (the consumer's, or the exchange id)
/// on every attempt. In maintenance, and on graceful shutdown, no new message is claimed and
/// attempts in flight finish.
struct DeliveryWorker: Service {
    struct Configuration: Sendable {
        /// Messages in flight at once on this node.
        var concurrency: Int = 16
        /// How long an idle worker waits before looking for due messages again.
        var pollInterval: Duration = .milliseconds(200)
        /// How long a claimed message is this node's before another node may take it over.
        var lease: Duration = .seconds(60)
    }

    let store: any ExchangeStore
    let delivery: ProviderDelivery
    let catalog: ContractCatalog
    /// In maintenance the node claims no new message, so it can be drained and stopped.
    let maintenance: MaintenanceMode
    let configuration: Configuration
    let logger: Logger
    /// Test-only crash injection around an attempt (``TestCrashPoint``).
    var crashes = TestCrashPoint.none

    private enum Step { case finished, tick }

    func run() async throws {
        await withTaskGroup(of: Step.self) { group in
            var running = 0
            var ticking = false
            var pruned = ContinuousClock.now
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                if running < configuration.concurrency, !maintenance.current.enabled {
                    let claimed: [OutboxMessage]
                    do {
                        claimed = try await store.claimOutbox(
                            now: Date(), limit: configuration.concurrency - running, lease: configuration.lease
                        )
                    } catch {
                        logger.error("cannot claim asynchronous messages", metadata: ["error": "\(error)"])
                        claimed = []
                    }
                    for message in claimed {
                        group.addTask { await deliver(message); return .finished }
                        running += 1
                    }
                    if !claimed.isEmpty { continue }
                }
                if !ticking {
                    // Wakes the loop to look for newly due messages while attempts run (or while idle).
                    group.addTask { try? await Task.sleep(for: configuration.pollInterval); return .tick }
                    ticking = true
                }
                switch await group.next() {
                case .finished: running -= 1
                case .tick:
                    ticking = false
                    if ContinuousClock.now - pruned > .seconds(60) {
                        // Expired idempotency keys go in bounded batches, on the worker's time.
                        pruned = ContinuousClock.now
                        _ = try? await store.pruneIdempotencyKeys(now: Date(), limit: 1000)
                    }
                case nil: break
                }
            }
            // Shutting down: attempts in flight end within their endpoint timeouts and are recorded.
            while let step = await group.next() {
                if step == .finished { running -= 1 }
            }
        }
    }

    /// One attempt, and its outcome committed with its audit entry.
    func deliver(_ message: OutboxMessage) async {
        crashes.reached(.afterClaim)
        // A callback's contract is its message's: the provider is the original message's.
        var contractProvider = message.provider
        if message.kind == .callback, let original = try? await store.outboxMessage(id: Self.reported(byCallback: message.id)) {
            contractProvider = original.provider
        }
        let published = catalog.contract(provider: contractProvider, service: message.service, version: message.version)
        let exchange = published?.contract.exchange
        var event = AuditEvent(
            kind: .messageDelivered, exchangeId: message.id, consumer: message.consumer, provider: message.provider,
            service: message.service, serviceVersion: message.version, operation: message.operation
        )
        let outcome: OutboxOutcome
        switch await attempt(message, contract: published?.contract) {
        case .success(let answer):
            let (response, attempts) = answer
            event.attempts = attempts.map(AuditEvent.Attempt.init)
            event.status = response.status
            event.responseDigest = AuditEvent.digest(of: response.body)
            let named = message.operation.split(separator: " ", maxSplits: 1).map(String.init)
            if named.count == 2, let operation = published?.contract.operation(method: named[0], template: named[1]) {
                let violations = operation.validateResponse(
                    status: response.status, contentType: response.headers[.contentType], body: response.body
                )
                if !violations.isEmpty {
                    event.problemType = ProblemType.responseInvalid.name
                    event.detail = "breaks the contract: " + violations.prefix(5).map { "\($0.instanceLocation) \($0.keyword)" }.joined(separator: "; ")
                }
            }
            outcome = .delivered(
                status: response.status, headers: [OutboxHeader](response.headers.removingHopByHop()),
                body: response.body
            )
        case .failure(let failure) where failure.isFinal:
            // Nothing that could ever be sent: dead at once rather than retried for the horizon.
            event.problemType = failure.problem.type.name
            (outcome, event.kind, event.detail) = (
                .dead(error: failure.problem.detail), .messageDeadLettered, "cannot be delivered: \(failure.problem.detail)"
            )
        case .failure(let failure):
            event.attempts = failure.attempts.map(AuditEvent.Attempt.init)
            event.problemType = failure.problem.type.name
            // The message's last error is the consumer's to read; the entry and the log say how it failed, in libcurl's words.
            let recorded = failure.problem.recordedDetail(attempts: failure.attempts)
            logger.notice("asynchronous delivery attempt failed", metadata: [
                "exchange.id": "\(message.id)", "problem.type": "\(failure.problem.type.name)", "delivery.error": "\(recorded)",
            ])
            (outcome, event.kind, event.detail) = Self.afterFailure(message, failure.problem, recorded: recorded, exchange: exchange)
        }
        let followUp = message.kind == .request ? exchange.flatMap { Self.callback(after: message, outcome, exchange: $0) } : nil
        if message.kind == .callback {
            event.detail = [event.detail, "callback to \(message.provider) on \(Self.reported(byCallback: message.id))"]
                .compactMap { $0 }.joined(separator: "; ")
        }
        crashes.reached(.afterProviderAnswer)
        do {
            _ = try await store.finishOutbox(
                id: message.id, outcome, now: Date(), auditing: [event], attempt: message.attempts, followUp: followUp
            )
        } catch {
            // The lease runs out and the message is claimed again: it is never lost.
            logger.error("asynchronous outcome not recorded", metadata: ["exchange.id": "\(message.id)", "error": "\(error)"])
        }
    }

    /// A retry after the contract's backoff, or the dead letter once the horizon is reached: the
    /// message keeps the problem's detail as its last error (consumers read it), the entry's
    /// detail tells the attempt as `recorded` (``Problem/recordedDetail(attempts:)``).
    static func afterFailure(
        _ message: OutboxMessage, _ problem: Problem, recorded: String, exchange: Contract.Exchange?
    ) -> (OutboxOutcome, AuditEvent.Kind, String) {
        let policy = RetryPolicy(
            attempts: Int.max, initialBackoff: exchange?.asyncInitialBackoff ?? .seconds(1), maxBackoff: exchange?.asyncMaxBackoff ?? .seconds(300)
        )
        var random = SystemRandomNumberGenerator()
        // Never sooner than a tenth of the ceiling, so a failing provider is not hammered.
        let ceiling = policy.backoffCeiling(beforeAttempt: message.attempts + 1)
        let wait = max(policy.backoff(beforeAttempt: message.attempts + 1, random: &random), ceiling / 10)
        let next = Date().addingTimeInterval(Double(wait.milliseconds) / 1000)
        if next >= message.expiresAt {
            return (.dead(error: problem.detail), .messageDeadLettered,
                    "delivery horizon reached after \(message.attempts) attempt(s); last: \(recorded)")
        }
        return (.retry(at: next, error: problem.detail), .messageRetryScheduled,
                "attempt \(message.attempts) failed: \(recorded); next at \(Timestamp.format(next))")
    }

    /// The callback reporting a final outcome, when the contract asks for one.
    static func callback(after message: OutboxMessage, _ outcome: OutboxOutcome, exchange: Contract.Exchange) -> OutboxMessage? {
        guard let path = exchange.asyncCallbackPath else { return nil }
        var finished = message
        switch outcome {
        case .delivered(let status, let headers, let body):
            (finished.state, finished.responseStatus, finished.responseHeaders, finished.responseBody) = (.delivered, status, headers, body)
        case .dead(let error):
            (finished.state, finished.lastError) = (.dead, error)
        case .retry:
            return nil
        }
        finished.updatedAt = Date()
        return callback(for: finished, path: path, horizon: exchange.asyncRetryFor, now: Date())
    }

    private struct Failure: Error {
        let problem: Problem
        let attempts: [AttemptRecord]
        /// Whether no later attempt could succeed (the message itself is unusable).
        var isFinal = false
    }

    /// Sends the message to the provider's endpoint, failing over across its URLs. A retryable
    /// status (429, 502, 503, 504) counts as a failure.
    private func attempt(_ message: OutboxMessage, contract: Contract?) async -> Result<(InboundResponse, [AttemptRecord]), Failure> {
        let callback = message.kind == .callback
        let target: String
        var headers: HTTPFields
        do throws(Problem) {
            headers = try HTTPFields(stored: message.headers)
            if message.idempotencyKey == nil {
                headers.append(HTTPField(name: .idempotencyKey, value: message.id))
            }
            if callback {
                headers.append(HTTPField(name: .contentDigest, value: ContentDigest.fieldValue(for: message.body)))
            }
            (target, headers) = try Self.canonical(message, headers: headers, contract: contract)
        } catch {
            return .failure(Failure(problem: error, attempts: [], isFinal: true))
        }
        do throws(Problem) {
            let prepared = try await delivery.prepare(
                provider: message.provider, method: message.method, target: target, headers: headers,
                body: message.body, consumer: message.consumer,
                exchangeId: callback ? Self.reported(byCallback: message.id) : message.id
            )
            let urls = prepared.endpoint.urls
            let outcome = await delivery.send(
                prepared, consumerLabel: callback ? nil : Self.signatureLabel(headers),
                policy: RetryPolicy(attempts: urls.count, initialBackoff: .zero, maxBackoff: .zero),
                deadline: prepared.endpoint.timeout * urls.count, idempotent: true
            )
            if let response = outcome.response, !Self.retryableStatuses.contains(response.status) {
                return .success((response, outcome.attempts))
            }
            if let response = outcome.response {
                return .failure(Failure(
                    problem: Problem(.providerUnavailable, "Provider '\(message.provider)' answered \(response.status)."),
                    attempts: outcome.attempts
                ))
            }
            return .failure(Failure(problem: Problem(deliveryFailure: outcome, provider: message.provider), attempts: outcome.attempts))
        } catch {
            return .failure(Failure(problem: error, attempts: []))
        }
    }

    static let retryableStatuses: Set<Int> = [429, 502, 503, 504]

    /// The target and header fields a request message is sent with, read again through its
    /// contract: a message stored before Rabt forwarded canonical targets and allow-listed fields
    /// (by an older node) is sent exactly as a new one would be; for a message stored since,
    /// nothing changes. Callbacks, and messages whose contract this node does not hold, go as
    /// stored. A stored target the contract does not name is a problem no retry can mend.
    static func canonical(
        _ message: OutboxMessage, headers: HTTPFields, contract: Contract?
    ) throws(Problem) -> (target: String, headers: HTTPFields) {
        guard message.kind == .request, let contract else { return (message.pathAndQuery, headers) }
        let target: RequestTarget
        do {
            target = try RequestTarget(message.pathAndQuery)
        } catch {
            throw Problem(.targetInvalid, "The stored target is refused: \(error.message).")
        }
        guard case .operation(let match) = contract.route(method: message.method, target: target) else {
            throw Problem(.operationNotFound, "The stored target names no operation of \(contract.exchange.id).")
        }
        let kept = try ForwardedFields.select(
            headers, operation: match.operation, consumerLabel: signatureLabel(headers),
            consumerTarget: headers[.exchangeConsumerTarget]
        )
        return (match.forwardTarget(query: target.queryItems), kept)
    }

    static let callbackSuffix = ".callback"

    /// The message a callback reports on.
    static func reported(byCallback id: String) -> String {
        id.hasSuffix(callbackSuffix) ? String(id.dropLast(callbackSuffix.count)) : id
    }

    /// The callback carrying `finished`'s outcome to its consumer's endpoint at `path`, signed by
    /// Rabt when sent, delivered like any message (leases, retries, dead letters).
    static func callback(for finished: OutboxMessage, path: String, horizon: Duration, now: Date) -> OutboxMessage {
        let body = (try? AdminJSON.encoder.encode(MessageView(finished, withResponse: true))).map(Array.init) ?? []
        var callback = OutboxMessage(
            id: finished.id + callbackSuffix, consumer: finished.consumer, provider: finished.consumer, service: finished.service,
            version: finished.version, operation: "POST \(path)", method: "POST", pathAndQuery: path,
            headers: [OutboxHeader(name: "Content-Type", value: "application/json")], body: body, idempotencyKey: nil,
            nextAttemptAt: now, expiresAt: now.addingTimeInterval(Double(horizon.milliseconds) / 1000), createdAt: now
        )
        callback.kind = .callback
        return callback
    }

    /// The label of the consumer's signature (the first member of `Signature-Input`).
    static func signatureLabel(_ headers: HTTPFields) -> String {
        guard let input = headers[fields: .signatureInput].first?.value, let equals = input.firstIndex(of: "=") else { return "sig1" }
        return input[..<equals].trimmingCharacters(in: .whitespaces)
    }
}
