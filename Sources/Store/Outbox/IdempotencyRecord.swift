import Foundation

/// A consumer's `Idempotency-Key` for one operation, and the first outcome once there is one.
public struct IdempotencyRecord: Sendable, Hashable {
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
    /// The first outcome's body.
    public var body: [UInt8]?
    /// When the key was first used.
    public var createdAt: Date
    /// When the key may be used again for another request.
    public var expiresAt: Date

    /// Creates a record.
    public init(
        consumer: String, scope: String, key: String, requestDigest: String, exchangeId: String, completed: Bool = false,
        status: Int? = nil, headers: [OutboxHeader] = [], body: [UInt8]? = nil, createdAt: Date, expiresAt: Date
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
