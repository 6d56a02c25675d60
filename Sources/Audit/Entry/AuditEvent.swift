import Crypto
import Foundation

/// Something the Broker records in the audit log: an exchange step, a rejection or an admin action.
///
/// Every field but `kind` is optional; absent fields are left out of the canonical form.
public struct AuditEvent: Sendable, Hashable {
    /// What happened, e.g. `request.accepted`; an open set of dotted names.
    public struct Kind: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The dotted name as written in the entry.
        public var rawValue: String

        /// Wraps a dotted name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Wraps a dotted name.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        /// Wraps a dotted name literal.
        public init(stringLiteral value: String) { self.rawValue = value }

        /// The dotted name.
        public var description: String { rawValue }

        /// A request passed identification, signature, authorisation and validation.
        public static let requestAccepted: Kind = "request.accepted"
        /// A request was refused; `problemType` says why.
        public static let requestRejected: Kind = "request.rejected"
        /// The provider's response was returned to the consumer.
        public static let responseDelivered: Kind = "response.delivered"
        /// Delivery to the provider failed after all attempts.
        public static let deliveryFailed: Kind = "delivery.failed"
        /// A repeated `Idempotency-Key` got the first exchange's outcome again; nothing was delivered.
        public static let requestReplayed: Kind = "request.replayed"
        /// An asynchronous message reached its provider, which answered.
        public static let messageDelivered: Kind = "message.delivered"
        /// An asynchronous delivery attempt failed; another is scheduled.
        public static let messageRetryScheduled: Kind = "message.retry-scheduled"
        /// An asynchronous message ran out of its delivery horizon and waits for an operator.
        public static let messageDeadLettered: Kind = "message.dead-lettered"
        /// An operator sent a dead letter again.
        public static let messageResent: Kind = "admin.message.resent"
        /// An operator discarded a dead letter.
        public static let messageDiscarded: Kind = "admin.message.discarded"
        /// An operator registered an agency.
        public static let agencyAdded: Kind = "admin.agency.added"
        /// An operator changed an agency's status.
        public static let agencyStatusSet: Kind = "admin.agency.status-set"
        /// An operator registered a signature key.
        public static let keyAdded: Kind = "admin.key.added"
        /// An operator revoked a signature key.
        public static let keyRevoked: Kind = "admin.key.revoked"
        /// An operator set a provider's endpoint.
        public static let endpointSet: Kind = "admin.endpoint.set"
        /// An operator published a contract version.
        public static let contractPublished: Kind = "admin.contract.published"
        /// An operator granted a consumer access to a service version.
        public static let grantAdded: Kind = "admin.grant.added"
        /// An operator revoked a consumer's access to a service version.
        public static let grantRevoked: Kind = "admin.grant.revoked"
        /// An operator deprecated a contract version and set its sunset.
        public static let contractDeprecated: Kind = "admin.contract.deprecated"
        /// An operator or auditor certificate was registered (the first one by `rabt init`).
        public static let principalAdded: Kind = "admin.principal.added"
        /// An operator or auditor certificate was removed.
        public static let principalRemoved: Kind = "admin.principal.removed"
    }

    /// One delivery attempt to a provider URL.
    public struct Attempt: Sendable, Hashable, Codable {
        /// The URL tried.
        public var url: String
        /// The HTTP status the provider answered, when it answered.
        public var status: Int?
        /// A short error name when no status came back (e.g. `timeout`, `connect-failed`).
        public var error: String?
        /// How long the attempt took, in milliseconds.
        public var durationMs: Int

        /// Creates an attempt record.
        public init(url: String, status: Int? = nil, error: String? = nil, durationMs: Int) {
            self.url = url
            self.status = status
            self.error = error
            self.durationMs = durationMs
        }
    }

    /// What happened.
    public var kind: Kind
    /// The exchange this step belongs to.
    public var exchangeId: String?
    /// The consumer agency id.
    public var consumer: String?
    /// The provider agency id.
    public var provider: String?
    /// The provider's service name.
    public var service: String?
    /// The contract's major version.
    public var serviceVersion: Int?
    /// Method and path template, e.g. `POST /certificates`.
    public var operation: String?
    /// The HTTP status answered to the consumer.
    public var status: Int?
    /// Delivery attempts, in order.
    public var attempts: [Attempt]?
    /// End-to-end latency in milliseconds.
    public var latencyMs: Int?
    /// Digest of the request body, `sha-256=:BASE64:` (see `digest(of:)`).
    public var requestDigest: String?
    /// Digest of the response body, `sha-256=:BASE64:`.
    public var responseDigest: String?
    /// The RFC 9457 problem type of a rejection or failure, e.g. `signature-invalid`.
    public var problemType: String?
    /// The principal who performed an admin action.
    public var actor: String?
    /// What an admin action acted on, e.g. `moj/criminal-record-certificate/v1`.
    public var target: String?
    /// Free text detail of an admin action or rejection; never a payload, key or signature.
    public var detail: String?
    /// Digest of the admin action's target as it was before the action (absent when it did not
    /// exist), `sha-256=:BASE64:` over the record's canonical JSON.
    public var before: String?
    /// Digest of the target after the action (absent when the action removed it).
    public var after: String?

    /// Creates an event; only `kind` is required.
    public init(
        kind: Kind,
        exchangeId: String? = nil,
        consumer: String? = nil,
        provider: String? = nil,
        service: String? = nil,
        serviceVersion: Int? = nil,
        operation: String? = nil,
        status: Int? = nil,
        attempts: [Attempt]? = nil,
        latencyMs: Int? = nil,
        requestDigest: String? = nil,
        responseDigest: String? = nil,
        problemType: String? = nil,
        actor: String? = nil,
        target: String? = nil,
        detail: String? = nil,
        before: String? = nil,
        after: String? = nil
    ) {
        self.kind = kind
        self.exchangeId = exchangeId
        self.consumer = consumer
        self.provider = provider
        self.service = service
        self.serviceVersion = serviceVersion
        self.operation = operation
        self.status = status
        self.attempts = attempts
        self.latencyMs = latencyMs
        self.requestDigest = requestDigest
        self.responseDigest = responseDigest
        self.problemType = problemType
        self.actor = actor
        self.target = target
        self.detail = detail
        self.before = before
        self.after = after
    }

    /// The digest form entries use for payloads: `sha-256=:BASE64:`, as an RFC 9530 `Content-Digest` member.
    public static func digest(of body: some DataProtocol) -> String {
        "sha-256=:" + Data(SHA256.hash(data: body)).base64EncodedString() + ":"
    }
}
