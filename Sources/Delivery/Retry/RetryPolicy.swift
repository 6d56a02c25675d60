/// How often and how patiently one delivery is retried: exponential backoff with full jitter.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts at most, the first included (1 means no retry).
    public var attempts: Int
    /// Upper bound of the wait before the second attempt.
    public var initialBackoff: Duration
    /// Upper bound of any single wait.
    public var maxBackoff: Duration

    /// Creates a policy; `attempts` below 1 counts as 1.
    public init(attempts: Int = 4, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(2)) {
        self.attempts = max(1, attempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// A policy that never retries.
    public static let once = RetryPolicy(attempts: 1, initialBackoff: .zero, maxBackoff: .zero)

    /// The ceiling of the wait before attempt `n` (n ≥ 2): `min(maxBackoff, initialBackoff × 2^(n-2))`.
    ///
    /// The first retry (attempt 2) waits up to `initialBackoff`, each later one up to twice as long.
    public func backoffCeiling(beforeAttempt n: Int) -> Duration {
        guard n >= 2 else { return .zero }
        var ceiling = initialBackoff
        for _ in 0..<min(n - 2, 62) {
            if ceiling >= maxBackoff { break }
            ceiling *= 2
        }
        return min(ceiling, maxBackoff)
    }

    /// The wait before attempt `n`, drawn uniformly from `[0, backoffCeiling(beforeAttempt: n)]`
    /// ("full jitter", so that many failing callers spread out instead of retrying in step).
    public func backoff(beforeAttempt n: Int, random: inout some RandomNumberGenerator) -> Duration {
        let ceiling = backoffCeiling(beforeAttempt: n)
        let nanoseconds = ceiling.nanosecondsClamped
        guard nanoseconds > 0 else { return .zero }
        // One draw scaled by a full-width multiply: uniform over [0, ceiling] (bias below 2^-30 for
        // any realistic ceiling) and, unlike rejection sampling, a single draw whatever the generator.
        let span = UInt64(nanoseconds) + 1
        let scaled = random.next().multipliedFullWidth(by: span).high
        return .nanoseconds(Int64(scaled))
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64`.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        let (total, overflow2) = fromSeconds.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? Int64.max : total
    }
}
