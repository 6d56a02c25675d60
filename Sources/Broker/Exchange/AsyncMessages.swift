import Audit
import Contracts
import Delivery
import Foundation
import HTTPTypes
import Hummingbird
import Signing
import Store

/// The consumer's side of asynchronous exchange (`Prefer: respond-async`): an accepted request
/// is stored with its `request.accepted` entry in one transaction and only then answered 202;
/// the consumer polls `GET /exchange/messages/{id}` with a signed request (verified by
/// `ExchangeService` like any exchange request).
struct AsyncMessages: Sendable {
    let store: any ExchangeStore
    /// Opens a synchronous first outcome kept sealed, when a repeat of it asks for an asynchronous answer.
    let bodies: AuditBodyKeeper
    /// Test-only crash injection around the commit (``TestCrashPoint``).
    var crashes = TestCrashPoint.none

    /// What became of an asynchronous request.
    enum Queued: Sendable {
        /// Stored: the 202.
        case accepted(ExchangeAnswer)
        /// Its `Idempotency-Key` was used by the same request before: the first outcome again
        /// (of exchange `first`); nothing was stored.
        case replay(ExchangeAnswer, first: String)
    }

    /// `Prefer: respond-async` (RFC 7240), among other preferences.
    static func prefersAsync(_ request: Request) -> Bool {
        request.headers[values: .prefer].contains { value in
            value.split(separator: ",").contains {
                $0.split(separator: ";", omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces).lowercased() == "respond-async"
            }
        }
    }

    static let statusPrefix = "/exchange/messages/"

    static func isStatusPath(_ path: String) -> Bool { path.hasPrefix(statusPrefix) }

    static func location(_ id: String) -> String { statusPrefix + id }

    /// Stores the accepted request durably (with `event`, its audit entry) and answers 202, or
    /// answers a repeat of an earlier request with its `Idempotency-Key` (``IdempotencyGate``).
    func enqueue(_ accepted: AcceptedRequest, exchangeId: String, event: AuditEvent) async throws(Problem) -> Queued {
        let key = try IdempotencyGate.key(of: accepted)
        let request = accepted.request
        let exchange = accepted.contract.exchange
        let now = Date()
        let message = OutboxMessage(
            id: exchangeId, consumer: accepted.verified.consumer, provider: exchange.provider, service: exchange.service,
            version: exchange.version, operation: accepted.operation.name, method: request.method,
            pathAndQuery: accepted.forwardTarget,
            headers: [OutboxHeader](accepted.forwardHeaders), body: request.body,
            idempotencyKey: key?.key, nextAttemptAt: now,
            expiresAt: now.addingTimeInterval(Double(exchange.asyncRetryFor.milliseconds) / 1000), createdAt: now
        )
        let answer = ExchangeAnswer.json(
            MessageView(message), status: 202,
            headers: [.exchangeId: exchangeId, .location: Self.location(exchangeId), .preferenceApplied: "respond-async"]
        )
        // The 202 is known before the message is stored, so the key is stored with it, completed:
        // key, message and `request.accepted` commit in one transaction, and a consumer retrying
        // after a crash finds either all three (and gets this 202 again) or none.
        let claim = key.map {
            IdempotencyClaimRequest(
                scope: $0.scope, requestDigest: $0.requestDigest, window: $0.window, abandonAfter: $0.abandonAfter,
                status: answer.status, headers: answer.storedHeaders, body: answer.body
            )
        }
        crashes.reached(.beforeEnqueue)
        let outcome: EnqueueOutcome
        do {
            outcome = try await store.enqueue(message, auditing: [event], idempotency: claim)
        } catch {
            throw Problem(error)
        }
        switch outcome {
        case .enqueued:
            crashes.reached(.afterEnqueue)
            return .accepted(answer)
        case .replay(let first):
            return .replay(try IdempotencyGate.replay(of: first, bodies: bodies), first: first.exchangeId)
        case .inFlight(let first):
            throw IdempotencyGate.inFlight(first)
        case .mismatch(let first):
            throw IdempotencyGate.reused(first)
        }
    }

    /// One of `consumer`'s messages; another agency's message is as unknown as a missing one.
    func status(of id: String, consumer: String) async throws(Problem) -> MessageView {
        let message: OutboxMessage?
        do { message = try await store.outboxMessage(id: id) } catch { throw Problem(error) }
        guard let message, message.consumer == consumer else {
            throw Problem(.messageNotFound, "Agency '\(consumer)' has no asynchronous message '\(id.prefix(80))'.")
        }
        return MessageView(message, withResponse: true)
    }
}

/// An asynchronous message as consumers and operators see it (never the request body).
public struct MessageView: Codable, Sendable {
    /// The provider's answer, once delivered.
    public struct Answer: Codable, Sendable {
        public var status: Int
        public var contentType: String?
        /// The body as text when it is UTF-8, else `bodyBase64`.
        public var body: String?
        public var bodyBase64: String?
    }

    public var exchangeId: String
    /// `pending`, `delivering`, `delivered`, `dead` or `discarded`.
    public var state: String
    public var consumer: String
    public var provider: String
    public var service: String
    public var version: Int
    public var operation: String
    public var attempts: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var nextAttemptAt: Date?
    public var expiresAt: Date
    public var lastError: String?
    public var location: String
    public var response: Answer?
}

extension MessageView {
    init(_ message: OutboxMessage, withResponse: Bool = false) {
        var answer: Answer?
        if withResponse, let status = message.responseStatus {
            let body = message.responseBody ?? []
            let text = String(validating: body, as: UTF8.self)
            answer = Answer(
                status: status,
                contentType: message.responseHeaders.first { $0.name.lowercased() == "content-type" }?.value,
                body: text, bodyBase64: text == nil ? Data(body).base64EncodedString() : nil
            )
        }
        self.init(
            exchangeId: message.id, state: message.state.rawValue, consumer: message.consumer, provider: message.provider,
            service: message.service, version: message.version, operation: message.operation, attempts: message.attempts,
            createdAt: message.createdAt, updatedAt: message.updatedAt,
            nextAttemptAt: message.state == .pending ? message.nextAttemptAt : nil, expiresAt: message.expiresAt,
            lastError: message.lastError, location: AsyncMessages.location(message.id), response: answer
        )
    }
}
