/// One attempt of a delivery, for the audit log.
public struct AttemptRecord: Sendable, Hashable {
    /// What the attempt produced.
    public enum Result: Sendable, Hashable {
        /// The provider answered with this status.
        case status(Int)
        /// The transport failed.
        case error(DeliveryError.Code)
    }

    /// The full URL the attempt went to.
    public var url: String
    /// When the attempt started, measured from the start of the delivery.
    public var started: Duration
    /// How long the attempt took.
    public var duration: Duration
    /// Its status or error.
    public var result: Result
    /// For a failed attempt, the transport's own account (libcurl's words, which name addresses
    /// and ports): for the audit log and the node's log, never for consumers.
    public var detail: String?

    /// Creates a record.
    public init(url: String, started: Duration, duration: Duration, result: Result, detail: String? = nil) {
        self.url = url
        self.started = started
        self.duration = duration
        self.result = result
        self.detail = detail
    }
}

extension AttemptRecord.Result {
    /// What the attempt came to, in words that name no address, port or library and can be shown
    /// to anyone: `http 503`, or the error's wire string (`connect-failed`, `tls-failed`,
    /// `timeout`, `destination-refused`…).
    public var summary: String {
        switch self {
        case .status(let status): "http \(status)"
        case .error(let code): code.wireString
        }
    }
}

/// How a delivery ended.
///
/// When `failure` is `nil`, `response` is the provider's final answer (any status) to pass on.
/// When `failure` is set the delivery failed; `response` then holds the last retryable answer
/// (502, 503, 504 or 429) if the provider sent one.
public struct DeliveryOutcome: Sendable {
    /// The last response received, if any.
    public var response: InboundResponse?
    /// Every attempt, in order.
    public var attempts: [AttemptRecord]
    /// Why the delivery failed: `provider-unavailable` or `provider-timeout`, with the last
    /// attempt's error as `cause`.
    public var failure: DeliveryError?
    /// Why the retry loop stopped.
    public var stopReason: RetryDecision.StopReason

    /// Creates an outcome.
    public init(response: InboundResponse?, attempts: [AttemptRecord], failure: DeliveryError?, stopReason: RetryDecision.StopReason) {
        self.response = response
        self.attempts = attempts
        self.failure = failure
        self.stopReason = stopReason
    }
}
