import Contracts
import Delivery
import Foundation
import HTTPTypes
import Logging
import Store

/// `Idempotency-Key` (IETF Idempotency-Key draft) for synchronous and asynchronous calls: the
/// same consumer, operation and key within the contract's window gets the first outcome again
/// instead of a second delivery; the same key with another body is `idempotency-key-reused`
/// (422); a key whose first request is still in flight is `idempotency-in-flight` (409).
///
/// A synchronous exchange holds the key from the moment the request is accepted: a provider's
/// answer (any status) is kept as the first outcome; when Rabt itself refuses or cannot deliver,
/// the key is released so the consumer may try again with it. An asynchronous one claims its key
/// with its message (``AsyncMessages``): the 202 is its outcome, stored with it, never in flight.
///
/// The first outcome is kept as the contract's `audit.body` policy keeps bodies in the audit log
/// (``AuditBodyKeeper``): under `full` the provider's body sealed with the audit body key (the
/// very bytes sealed for the audit log), its status and header fields as sent; under `digest` or
/// `none` the status alone — the answer is not kept, so a repeat is refused with
/// `idempotency-outcome-not-kept` (409) rather than delivered a second time.
struct IdempotencyGate: Sendable {
    let store: any ExchangeStore
    /// Opens first outcomes kept sealed.
    let bodies: AuditBodyKeeper
    let logger: Logger

    /// A request's key and where it applies: per consumer, per contract and operation, for the
    /// contract's window.
    struct Key: Sendable {
        let consumer: String
        let scope: String
        let key: String
        /// ``AcceptedRequest/fingerprint``: the same key for another method, target or body is a mismatch.
        let requestDigest: String
        let window: Duration
        /// A key left in flight by a node that died is free again after the exchange's deadline.
        let abandonAfter: Duration
    }

    /// A key this exchange holds until its outcome is known.
    struct Hold: Sendable {
        let consumer: String
        let scope: String
        let key: String
        let exchangeId: String
    }

    enum Claim: Sendable {
        /// The request carries no key.
        case none
        /// The first use of the key: proceed, then complete or release the hold.
        case hold(Hold)
        /// A repeat: answer with the first outcome (of exchange `first`).
        case replay(ExchangeAnswer, first: String)
    }

    /// The request's key, or nil when it carries none; `bad-request` unless 1–255 characters.
    static func key(of accepted: AcceptedRequest) throws(Problem) -> Key? {
        guard let key = accepted.request.fields[.idempotencyKey] else { return nil }
        guard !key.isEmpty, key.utf8.count <= 255 else {
            throw Problem(.badRequest, "The Idempotency-Key must be 1–255 characters.")
        }
        let exchange = accepted.contract.exchange
        return Key(
            consumer: accepted.verified.consumer, scope: "\(exchange.id) \(accepted.operation.name)", key: key,
            requestDigest: accepted.fingerprint, window: exchange.idempotencyWindow, abandonAfter: exchange.timeout + .seconds(60)
        )
    }

    /// Claims a synchronous request's key.
    func claim(_ accepted: AcceptedRequest, exchangeId: String) async throws(Problem) -> Claim {
        guard let key = try Self.key(of: accepted) else { return .none }
        let outcome: IdempotencyClaim
        do {
            outcome = try await store.claimIdempotencyKey(
                consumer: key.consumer, scope: key.scope, key: key.key, requestDigest: key.requestDigest, exchangeId: exchangeId,
                now: Date(), window: key.window, abandonAfter: key.abandonAfter
            )
        } catch {
            throw Problem(error)
        }
        switch outcome {
        case .started:
            return .hold(Hold(consumer: key.consumer, scope: key.scope, key: key.key, exchangeId: exchangeId))
        case .replay(let first):
            return .replay(try Self.replay(of: first, bodies: bodies), first: first.exchangeId)
        case .inFlight(let first):
            throw Self.inFlight(first)
        case .mismatch(let first):
            throw Self.reused(first)
        }
    }

    /// The first outcome, given again to a repeat; `idempotency-outcome-not-kept` when the contract
    /// kept only its status.
    static func replay(of first: IdempotencyRecord, bodies: AuditBodyKeeper) throws(Problem) -> ExchangeAnswer {
        let body: [UInt8]
        switch first.bodyForm {
        case .clear:
            body = first.body ?? []
        case .sealed:
            body = try bodies.open(AuditBody(exchangeId: first.exchangeId, part: .response, sealed: Data(first.body ?? [])))
        case .withheld:
            throw Problem(
                .idempotencyOutcomeNotKept,
                "Exchange \(first.exchangeId) with this Idempotency-Key was delivered and the provider answered \(first.status.map(String.init) ?? "it"); "
                    + "the contract keeps no response bodies (audit body: digest or none), so Rabt cannot give that answer again. "
                    + "The provider has the request: ask it for the result rather than sending the request again under a new key."
            )
        }
        var headers = try HTTPFields(stored: first.headers)
        headers.append(HTTPField(name: .idempotentReplayed, value: "?1"))
        return ExchangeAnswer(status: first.status ?? 200, headers: headers, body: body)
    }

    /// The refusal of a repeat while the first request is in flight.
    static func inFlight(_ first: IdempotencyRecord) -> Problem {
        Problem(
            .idempotencyInFlight,
            "Exchange \(first.exchangeId) with this Idempotency-Key is still in progress; ask again when it has finished."
        )
    }

    /// The refusal of another request under a used key.
    static func reused(_ first: IdempotencyRecord) -> Problem {
        Problem(
            .idempotencyKeyReused,
            "This Idempotency-Key was used for a different request — another target or body (exchange \(first.exchangeId)); use a new key for a new request."
        )
    }

    /// Keeps `answer` as the key's first outcome: with `sealed`, the response body as the audit
    /// log keeps it under `audit: {body: full}`; without it (the contract keeps digests or
    /// nothing) the status alone.
    func complete(_ hold: Hold, with answer: ExchangeAnswer, sealed: AuditBody?) async {
        do {
            try await store.completeIdempotencyKey(
                consumer: hold.consumer, scope: hold.scope, key: hold.key, status: answer.status,
                headers: sealed == nil ? [] : answer.storedHeaders, body: sealed.map { Array($0.sealed) },
                bodyForm: sealed == nil ? .withheld : .sealed, exchangeId: hold.exchangeId
            )
        } catch {
            // The answer still goes out; a repeat will get `idempotency-in-flight` until the window ends.
            logger.error("idempotency outcome not kept", metadata: ["exchange.id": "\(hold.exchangeId)", "error": "\(error)"])
        }
    }

    /// Lets the consumer use the key again.
    func release(_ hold: Hold) async {
        do {
            try await store.releaseIdempotencyKey(consumer: hold.consumer, scope: hold.scope, key: hold.key, exchangeId: hold.exchangeId)
        } catch {
            logger.error("idempotency key not released", metadata: ["exchange.id": "\(hold.exchangeId)", "error": "\(error)"])
        }
    }
}
