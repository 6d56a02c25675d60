/// What one attempt produced, as far as the retry decision cares.
public enum AttemptOutcome: Sendable, Hashable {
    /// The provider answered with this status; `retryAfter` is the parsed `Retry-After` delay, if any.
    case response(status: Int, retryAfter: Duration?)
    /// The transport failed with this code.
    case failure(DeliveryError.Code)
}

/// Whether to try again, and when.
public enum RetryDecision: Sendable, Hashable {
    /// Try again after this wait.
    case retry(after: Duration)
    /// Do not try again, for this reason.
    case stop(StopReason)

    /// Why a delivery ends.
    public enum StopReason: Sendable, Hashable {
        /// The provider gave an answer that is final (2xx, 3xx, 4xx other than 429, other 5xx).
        case finalResponse
        /// The failure is never retried (TLS rejected or failed, response too large, invalid request…).
        case notRetryable
        /// The request may have reached the provider and is not idempotent.
        case notIdempotent
        /// The policy's attempts are used up.
        case attemptsExhausted
        /// No time is left before the deadline for the wait (or `Retry-After` lies beyond it).
        case deadlineExceeded
    }
}

extension RetryPolicy {
    /// Decides what follows an attempt. Pure: no clock, no I/O; randomness only for the jitter.
    ///
    /// | outcome                                   | idempotent | not idempotent |
    /// |-------------------------------------------|------------|----------------|
    /// | connect-failed, connect-timeout, dns-failed, destination-refused | retry | retry |
    /// | reset, timeout                            | retry      | stop           |
    /// | 502, 503, 504                             | retry      | stop           |
    /// | 429 (waits `Retry-After` if given)        | retry      | stop           |
    /// | other status                              | stop (final) | stop (final) |
    /// | tls-rejected, tls-failed, too large, …    | stop       | stop           |
    ///
    /// Every retry also needs an attempt left and the wait to end before the deadline.
    /// - Parameters:
    ///   - outcome: the attempt's result.
    ///   - idempotent: the method is idempotent or the request carries an `Idempotency-Key`.
    ///   - attemptsUsed: attempts made so far, this one included.
    ///   - timeLeft: time until the delivery's deadline.
    public func decide(
        after outcome: AttemptOutcome,
        idempotent: Bool,
        attemptsUsed: Int,
        timeLeft: Duration,
        random: inout some RandomNumberGenerator
    ) -> RetryDecision {
        var retryAfter: Duration?
        switch outcome {
        case .response(let status, let after):
            switch status {
            case 502, 503, 504:
                break
            case 429:
                retryAfter = after
            default:
                return .stop(.finalResponse)
            }
            if !idempotent { return .stop(.notIdempotent) }
        case .failure(let code):
            switch code {
            case .connectFailed, .connectTimeout, .dnsFailed, .destinationRefused:
                // Nothing reached the provider: always safe. A refused destination may be one URL
                // of several, or a name that resolves elsewhere next time.
                break
            case .reset, .timeout:
                if !idempotent { return .stop(.notIdempotent) }
            default:
                return .stop(.notRetryable)
            }
        }
        guard attemptsUsed < attempts else { return .stop(.attemptsExhausted) }
        let wait = retryAfter ?? backoff(beforeAttempt: attemptsUsed + 1, random: &random)
        guard wait < timeLeft else { return .stop(.deadlineExceeded) }
        return .retry(after: wait)
    }
}
