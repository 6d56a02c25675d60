import Foundation

/// One header as forwarded.
public struct OutboxHeader: Codable, Sendable, Hashable {
    /// The field name, as the consumer sent it.
    public var name: String
    /// The field value.
    public var value: String

    /// Creates a header.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An asynchronous exchange request, durably stored until it is delivered, dead-lettered or discarded.
public struct OutboxMessage: Sendable, Hashable {
    /// Where a message is in its life.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Waiting for its next attempt.
        case pending
        /// Claimed by a worker; `leaseUntil` says when another may take it over.
        case delivering
        /// The provider answered; the response is stored.
        case delivered
        /// Given up on: the delivery horizon passed or the failure is final.
        case dead
        /// A dead letter an operator chose not to resend.
        case discarded
    }

    /// The exchange id.
    public var id: String
    /// The consumer agency id.
    public var consumer: String
    /// The provider agency id.
    public var provider: String
    /// The provider's service name.
    public var service: String
    /// The contract's major version.
    public var version: Int
    /// Method and path template, e.g. `POST /certificates`.
    public var operation: String
    /// The HTTP method to send.
    public var method: String
    /// What is appended to the provider's endpoint URL.
    public var pathAndQuery: String
    /// The consumer's request headers to forward (Rabt countersigns at each attempt).
    public var headers: [OutboxHeader]
    /// The request body, unchanged.
    public var body: [UInt8]
    /// The consumer's `Idempotency-Key`, forwarded so the provider can de-duplicate.
    public var idempotencyKey: String?
    /// The current state.
    public var state: State
    /// Delivery attempts started so far.
    public var attempts: Int
    /// When the message is next due.
    public var nextAttemptAt: Date
    /// End of the delivery horizon: past it the message is dead-lettered.
    public var expiresAt: Date
    /// The error of the last failed attempt.
    public var lastError: String?
    /// The provider's status, once delivered.
    public var responseStatus: Int?
    /// The provider's response headers, once delivered.
    public var responseHeaders: [OutboxHeader]
    /// The provider's response body, once delivered.
    public var responseBody: [UInt8]?
    /// When the message was accepted.
    public var createdAt: Date
    /// When the message last changed.
    public var updatedAt: Date
    /// While delivering: when another worker may take it over.
    public var leaseUntil: Date?
    /// What the message is: a consumer's request for a provider, or Rabt's callback to a consumer.
    public var kind: Kind = .request

    /// What an outbox message carries.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A consumer's request, forwarded to the provider with the consumer's signature.
        case request
        /// Rabt's own signed request to the consumer's endpoint with another message's outcome.
        case callback
    }

    /// Creates a pending message with no attempts yet.
    public init(
        id: String, consumer: String, provider: String, service: String, version: Int, operation: String,
        method: String, pathAndQuery: String, headers: [OutboxHeader], body: [UInt8], idempotencyKey: String?,
        nextAttemptAt: Date, expiresAt: Date, createdAt: Date
    ) {
        self.id = id
        self.consumer = consumer
        self.provider = provider
        self.service = service
        self.version = version
        self.operation = operation
        self.method = method
        self.pathAndQuery = pathAndQuery
        self.headers = headers
        self.body = body
        self.idempotencyKey = idempotencyKey
        self.state = .pending
        self.attempts = 0
        self.nextAttemptAt = nextAttemptAt
        self.expiresAt = expiresAt
        self.lastError = nil
        self.responseStatus = nil
        self.responseHeaders = []
        self.responseBody = nil
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.leaseUntil = nil
    }
}

/// How one delivery attempt ended, as the worker reports it.
public enum OutboxOutcome: Sendable, Hashable {
    /// The provider answered; its response is stored for the consumer.
    case delivered(status: Int, headers: [OutboxHeader], body: [UInt8])
    /// The attempt failed and the message is due again at `at`.
    case retry(at: Date, error: String)
    /// The message is given up on.
    case dead(error: String)
}

extension OutboxMessage {
    /// Ends the current attempt at `now`, as every engine records it: delivered stores the response,
    /// retry makes the message pending again at `at`, dead dead-letters it; the lease is cleared.
    mutating func finish(_ outcome: OutboxOutcome, at now: Date) {
        switch outcome {
        case .delivered(let status, let headers, let body):
            state = .delivered
            responseStatus = status
            responseHeaders = headers
            responseBody = body
        case .retry(let at, let error):
            state = .pending
            nextAttemptAt = at
            lastError = error
        case .dead(let error):
            state = .dead
            lastError = error
        }
        leaseUntil = nil
        updatedAt = now
    }

    /// Makes a dead letter pending again, due at `now` with a new delivery horizon; its last error is kept.
    mutating func resend(at now: Date, expiresAt newExpiry: Date) {
        state = .pending
        nextAttemptAt = now
        expiresAt = newExpiry
        updatedAt = now
    }

    /// Discards a dead letter for good.
    mutating func discard(at now: Date) {
        state = .discarded
        updatedAt = now
    }
}
