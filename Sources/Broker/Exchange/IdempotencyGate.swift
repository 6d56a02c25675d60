import Contracts
import Delivery
import Foundation
import Logging
import Store

/// `Idempotency-Key` (IETF Idempotency-Key draft) for synchronous and asynchronous calls: the
/// same consumer, operation and key within the contract's window gets the first outcome again
/// instead of a second delivery; the same key with another body is `idempotency-key-reused`
/// (422); a key whose first request is still in flight is `idempotency-in-flight` (409).
///
/// The key is held from the moment the request is accepted. A provider's answer (any status) or
/// a 202 is kept as the first outcome; when Rabt itself refuses or cannot deliver, the key is
/// released so the consumer may try again with it.
struct IdempotencyGate: Sendable {
    let store: any ExchangeStore
    let logger: Logger

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

    /// Claims the request's key. The same key for another method, target or body
    /// (``AcceptedRequest/fingerprint``) is `idempotency-key-reused`.
    func claim(_ accepted: AcceptedRequest, exchangeId: String) async throws(Problem) -> Claim {
        guard let key = accepted.request.header("idempotency-key") else { return .none }
        guard !key.isEmpty, key.utf8.count <= 255 else {
            throw Problem(.badRequest, "The Idempotency-Key must be 1–255 characters.")
        }
        let scope = "\(accepted.contract.exchange.id) \(accepted.operation.name)"
        let consumer = accepted.verified.consumer
        let outcome: IdempotencyClaim
        do {
            outcome = try await store.claimIdempotencyKey(
                consumer: consumer, scope: scope, key: key, requestDigest: accepted.fingerprint, exchangeId: exchangeId,
                now: Date(), window: accepted.contract.exchange.idempotencyWindow,
                // A key left in flight by a node that died is free again after the exchange's deadline.
                abandonAfter: accepted.contract.exchange.timeout + .seconds(60)
            )
        } catch {
            throw Problem(error)
        }
        switch outcome {
        case .started:
            return .hold(Hold(consumer: consumer, scope: scope, key: key, exchangeId: exchangeId))
        case .replay(let first):
            var headers = first.headers.map { HTTPHeader(name: $0.name, value: $0.value) }
            headers.append(HTTPHeader(name: "Idempotent-Replayed", value: "?1"))
            return .replay(ExchangeAnswer(status: first.status ?? 200, headers: headers, body: first.body ?? []), first: first.exchangeId)
        case .inFlight(let first):
            throw Problem(
                .idempotencyInFlight,
                "Exchange \(first.exchangeId) with this Idempotency-Key is still in progress; ask again when it has finished."
            )
        case .mismatch(let first):
            throw Problem(
                .idempotencyKeyReused,
                "This Idempotency-Key was used for a different request — another target or body (exchange \(first.exchangeId)); use a new key for a new request."
            )
        }
    }

    /// Keeps `answer` as the key's first outcome.
    func complete(_ hold: Hold, with answer: ExchangeAnswer) async {
        do {
            try await store.completeIdempotencyKey(
                consumer: hold.consumer, scope: hold.scope, key: hold.key, status: answer.status,
                headers: answer.storedHeaders, body: answer.body, exchangeId: hold.exchangeId
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
