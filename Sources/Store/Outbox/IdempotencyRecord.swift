import Foundation

/// A consumer's `Idempotency-Key` for one operation, and the first outcome once there is one.
public struct IdempotencyRecord: Sendable, Hashable {
    /// How the first outcome's body is kept: as the contract's `audit.body` policy keeps the
    /// bodies of its exchanges in the audit log, so an idempotency record never holds in clear a
    /// provider's answer the audit log would not.
    public enum BodyForm: String, Sendable, Hashable, CaseIterable {
        /// As answered: Rabt's own answers (an asynchronous request's 202), and outcomes kept
        /// before records followed the body policy (they expire with their window).
        case clear
        /// Sealed with the audit body key, as the audit log keeps bodies under `audit: {body: full}`.
        case sealed
        /// Not kept, with no header either: the contract keeps digests or nothing
        /// (`audit: {body: digest | none}`); only the status is.
        case withheld
    }

    /// The consumer agency id.
    public var consumer: String
    /// Contract and operation, e.g. `moj/criminal-record-certificate/v1 POST /certificates`.
    public var scope: String
    /// The key as the consumer sent it.
    public var key: String
    /// Digest of the first request, to tell a repeat from a different request under the same key.
    public var requestDigest: String
    /// The exchange that first used the key.
    public var exchangeId: String
    /// Whether the first outcome is stored.
    public var completed: Bool
    /// The first outcome's status.
    public var status: Int?
    /// The first outcome's headers.
    public var headers: [OutboxHeader]
    /// The first outcome's body, in `bodyForm`.
    public var body: [UInt8]?
    /// How `body` is kept.
    public var bodyForm: BodyForm
    /// When the key was first used.
    public var createdAt: Date
    /// When the key may be used again for another request.
    public var expiresAt: Date

    /// Creates a record.
    public init(
        consumer: String, scope: String, key: String, requestDigest: String, exchangeId: String, completed: Bool = false,
        status: Int? = nil, headers: [OutboxHeader] = [], body: [UInt8]? = nil, bodyForm: BodyForm = .clear,
        createdAt: Date, expiresAt: Date
    ) {
        self.consumer = consumer
        self.scope = scope
        self.key = key
        self.requestDigest = requestDigest
        self.exchangeId = exchangeId
        self.completed = completed
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyForm = bodyForm
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What claiming an idempotency key found.
public enum IdempotencyClaim: Sendable, Hashable {
    /// A new key (or an expired one replaced): the caller proceeds.
    case started
    /// Same request, completed: answer with the stored outcome.
    case replay(IdempotencyRecord)
    /// Same request, not completed yet: 409.
    case inFlight(IdempotencyRecord)
    /// A different request under the same key: 422.
    case mismatch(IdempotencyRecord)
}

/// How a new asynchronous message claims its `idempotencyKey` (for its consumer) when it is
/// stored: its answer — the 202 with the message's location — is known before it is stored, so
/// the key is kept completed with that answer from the start and is never in flight.
public struct IdempotencyClaimRequest: Sendable, Hashable {
    /// Contract and operation, as for `claimIdempotencyKey`.
    public var scope: String
    /// What makes a repeat the same request (method, canonical target and body digest).
    public var requestDigest: String
    /// How long the key holds from the message's `createdAt`.
    public var window: Duration
    /// How long a synchronous first use may stay in flight before its key is taken over, as for
    /// `claimIdempotencyKey`; nil never takes it over.
    public var abandonAfter: Duration?
    /// The status of the answer kept as the key's first outcome.
    public var status: Int
    /// The headers of that answer.
    public var headers: [OutboxHeader]
    /// The body of that answer.
    public var body: [UInt8]

    /// Creates a claim request.
    public init(
        scope: String, requestDigest: String, window: Duration, abandonAfter: Duration? = nil, status: Int,
        headers: [OutboxHeader], body: [UInt8]
    ) {
        self.scope = scope
        self.requestDigest = requestDigest
        self.window = window
        self.abandonAfter = abandonAfter
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The completed record `message` stores, or `invalid-argument` when the message has no key.
    func record(for message: OutboxMessage) throws(StoreError) -> IdempotencyRecord {
        guard let key = message.idempotencyKey else {
            throw StoreError(code: .invalidArgument, message: "a message enqueued under an idempotency key carries that key")
        }
        return IdempotencyRecord(
            consumer: message.consumer, scope: scope, key: key, requestDigest: requestDigest, exchangeId: message.id,
            completed: true, status: status, headers: headers, body: body, createdAt: message.createdAt,
            expiresAt: message.createdAt.addingTimeInterval(SQLiteStore.seconds(window))
        )
    }

    /// The latest creation time of an in-flight key that counts as abandoned at `now`, if any.
    func abandonedBefore(_ now: Date) -> Date? {
        abandonAfter.map { now.addingTimeInterval(-SQLiteStore.seconds($0)) }
    }
}
