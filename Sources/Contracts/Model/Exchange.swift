extension Contract {
    /// The `x-exchange` settings: who provides and may call the service, and how Rabt delivers it.
    public struct Exchange: Hashable, Sendable {
        /// How much of a payload the audit log keeps.
        public enum AuditBody: String, Hashable, Sendable, CaseIterable {
            /// SHA-256 digests only (the default).
            case digest
            /// The full body, stored encrypted at rest.
            case full
            /// Nothing about the body.
            case none
        }

        /// What Rabt does when a provider's response breaks the contract.
        public enum ResponseValidation: String, Hashable, Sendable, CaseIterable {
            /// Answer the consumer 502 `response-invalid` (the default).
            case enforce
            /// Deliver the response anyway and audit the violation.
            case report
        }

        /// What Rabt does with query parameters the operation does not declare.
        public enum UndeclaredQuery: String, Hashable, Sendable, CaseIterable {
            /// Refuse the request as `request-invalid` (the default): the provider receives only
            /// what the contract names.
            case refuse
            /// Validate the declared ones and forward the others too, re-encoded.
            case forward
        }

        /// Retry schedule for synchronous delivery.
        public struct Retry: Hashable, Sendable {
            /// Attempts in all, the first included (at least 1).
            public var attempts: Int
            /// Backoff before the first retry.
            public var initialBackoff: Duration
            /// Ceiling of the exponential backoff.
            public var maxBackoff: Duration

            /// Makes a retry schedule.
            public init(attempts: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(2)) {
                self.attempts = attempts
                self.initialBackoff = initialBackoff
                self.maxBackoff = maxBackoff
            }
        }

        /// The provider agency's id, e.g. `moj`.
        public var provider: String
        /// The service name, e.g. `criminal-record-certificate`.
        public var service: String
        /// The contract's major version (at least 1).
        public var version: Int
        /// The agencies granted access when the contract is published (deny by default).
        public var consumers: [String]
        /// Deadline for one synchronous exchange, retries included.
        public var timeout: Duration
        /// Retry schedule for synchronous delivery.
        public var retry: Retry
        /// How long the async delivery worker keeps retrying (`async.retryFor`).
        public var asyncRetryFor: Duration
        /// Backoff before the first asynchronous retry (`async.initialBackoff`, 1s by default).
        public var asyncInitialBackoff: Duration = .seconds(1)
        /// Ceiling of the asynchronous backoff (`async.maxBackoff`, 5m by default).
        public var asyncMaxBackoff: Duration = .seconds(300)
        /// Path on the consumer's registered endpoint that Rabt calls, signed, with the outcome
        /// of each asynchronous message (`async.callback`); nil: consumers poll.
        public var asyncCallbackPath: String?
        /// How long a consumer's `Idempotency-Key` is remembered (`idempotency.window`, 24h by default).
        public var idempotencyWindow: Duration = .seconds(24 * 3600)
        /// How much of each body the audit log keeps.
        public var auditBody: AuditBody
        /// Whether a bad response is refused or only reported.
        public var responseValidation: ResponseValidation
        /// What happens to query parameters an operation does not declare (`undeclaredQuery`).
        public var undeclaredQuery: UndeclaredQuery = .refuse
        /// Whether `format` is asserted in the contract's schemas (on unless `formatAssertion: false`).
        public var formatAssertion: Bool

        /// Makes exchange settings; every field but the identity has the documented default.
        public init(
            provider: String, service: String, version: Int, consumers: [String] = [],
            timeout: Duration = .seconds(10), retry: Retry = Retry(), asyncRetryFor: Duration = .seconds(24 * 3600),
            auditBody: AuditBody = .digest, responseValidation: ResponseValidation = .enforce,
            formatAssertion: Bool = true
        ) {
            self.provider = provider
            self.service = service
            self.version = version
            self.consumers = consumers
            self.timeout = timeout
            self.retry = retry
            self.asyncRetryFor = asyncRetryFor
            self.auditBody = auditBody
            self.responseValidation = responseValidation
            self.formatAssertion = formatAssertion
        }

        /// `provider/service/vN`, e.g. `moj/criminal-record-certificate/v1`.
        public var id: String { "\(provider)/\(service)/v\(version)" }
    }
}
