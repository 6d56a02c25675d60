import Foundation
import HTTPTypes
import Logging
import Synchronization

/// Delivers a request to a provider: retries by a `RetryPolicy` within a deadline and fails over
/// between the provider's endpoint URLs.
public struct Forwarder: Sendable {
    private let transport: any Transport
    private let clock: DeliveryClock
    private let random: RandomSource
    private let wallClock: @Sendable () -> Int64
    private let logger: Logger

    /// Creates a forwarder.
    /// - Parameters:
    ///   - transport: performs single exchanges.
    ///   - clock: measures the deadline and sleeps between attempts.
    ///   - random: draws the backoff jitter.
    ///   - wallClock: seconds since 1970, to read `Retry-After` dates.
    ///   - logger: receives one debug line per attempt (endpoint index, never the URL, which may
    ///     hold personal identifiers).
    public init(
        transport: some Transport,
        clock: some Clock<Duration> = ContinuousClock(),
        random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        wallClock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        logger: Logger = Logger(label: "rabt.delivery")
    ) {
        self.logger = logger
        self.transport = transport
        self.clock = DeliveryClock(clock)
        self.random = RandomSource(random)
        self.wallClock = wallClock
    }

    /// Delivers `request` to `endpoints[i] + pathAndQuery`, retrying and failing over.
    ///
    /// `request.url` is ignored; each attempt's URL is an endpoint base URL joined with
    /// `pathAndQuery`. Each attempt's timeout is the smaller of `request.timeout` and the time
    /// left until `deadline` (measured from the call). A connect or DNS failure, or a refused
    /// destination, moves the next attempt to the next endpoint, in order, wrapping around.
    /// - Parameters:
    ///   - idempotent: whether the request may be repeated safely (see `OutboundRequest.isIdempotent`).
    ///   - finishAttempt: called with each attempt's request, URL set, just before it is sent (a
    ///     signature over the attempt's target goes here); when it throws, nothing is sent and
    ///     delivery stops with `invalid-request`.
    public func deliver(
        _ request: OutboundRequest,
        endpoints: [String],
        pathAndQuery: String,
        policy: RetryPolicy,
        deadline: Duration,
        idempotent: Bool,
        finishAttempt: (inout OutboundRequest) throws -> Void = { _ in }
    ) async -> DeliveryOutcome {
        guard !endpoints.isEmpty else {
            let error = DeliveryError(code: .providerUnavailable, message: "the provider has no endpoint")
            return DeliveryOutcome(response: nil, attempts: [], failure: error, stopReason: .notRetryable)
        }
        let start = clock.now()
        var attempts: [AttemptRecord] = []
        var endpointIndex = 0
        var lastResponse: InboundResponse?
        var lastError: DeliveryError?

        while true {
            let startedAt = clock.elapsed(since: start)
            let timeLeft = deadline - startedAt
            guard timeLeft > .zero else {
                return finish(.deadlineExceeded, attempts, lastResponse, lastError)
            }
            var attempt = request
            attempt.url = Self.join(endpoints[endpointIndex], pathAndQuery)
            attempt.timeout = min(request.timeout, timeLeft)
            do {
                try finishAttempt(&attempt)
            } catch {
                let refused = DeliveryError(code: .invalidRequest, message: "the request could not be prepared for sending", cause: error)
                return finish(.notRetryable, attempts, lastResponse, refused)
            }

            let outcome: AttemptOutcome
            do {
                let response = try await transport.send(attempt)
                lastResponse = response
                lastError = nil
                let retryAfter = response.headers[.retryAfter].flatMap { RetryAfter.delay($0, now: wallClock()) }
                outcome = .response(status: response.status, retryAfter: retryAfter)
                attempts.append(AttemptRecord(url: attempt.url, started: startedAt, duration: clock.elapsed(since: start) - startedAt, result: .status(response.status)))
            } catch {
                lastError = error
                outcome = .failure(error.code)
                attempts.append(AttemptRecord(
                    url: attempt.url, started: startedAt, duration: clock.elapsed(since: start) - startedAt, result: .error(error.code),
                    detail: error.description
                ))
                if error.code == .cancelled { return finish(.notRetryable, attempts, lastResponse, lastError) }
            }

            logger.debug("delivery attempt", metadata: [
                "delivery.attempt": "\(attempts.count)",
                "delivery.endpoint": "\(endpointIndex)",
                "delivery.result": "\(outcome)",
            ])
            let decision = random.withGenerator { generator in
                policy.decide(
                    after: outcome, idempotent: idempotent, attemptsUsed: attempts.count,
                    timeLeft: deadline - clock.elapsed(since: start), random: &generator
                )
            }
            switch decision {
            case .stop(let reason):
                return finish(reason, attempts, lastResponse, lastError)
            case .retry(let wait):
                if case .failure(let code) = outcome, [.connectFailed, .connectTimeout, .dnsFailed, .destinationRefused].contains(code) {
                    endpointIndex = (endpointIndex + 1) % endpoints.count
                }
                do {
                    try await clock.sleep(wait)
                } catch {
                    let cancelled = DeliveryError(code: .cancelled, message: "the delivery was cancelled")
                    return finish(.notRetryable, attempts, lastResponse, cancelled)
                }
            }
        }
    }

    private func finish(
        _ reason: RetryDecision.StopReason, _ attempts: [AttemptRecord],
        _ response: InboundResponse?, _ error: DeliveryError?
    ) -> DeliveryOutcome {
        if reason == .finalResponse {
            return DeliveryOutcome(response: response, attempts: attempts, failure: nil, stopReason: reason)
        }
        let timedOut = reason == .deadlineExceeded || [.timeout, .connectTimeout].contains(error?.code)
        let code: DeliveryError.Code = timedOut ? .providerTimeout : .providerUnavailable
        let summary = error.map { "\($0.code.wireString) after \(attempts.count) attempt(s)" }
            ?? response.map { "status \($0.status) after \(attempts.count) attempt(s)" }
            ?? "no attempt made before the deadline"
        let failure = DeliveryError(code: code, message: summary, curlCode: error?.curlCode, cause: error)
        return DeliveryOutcome(response: response, attempts: attempts, failure: failure, stopReason: reason)
    }

    /// `base` and `pathAndQuery` joined with exactly one slash.
    static func join(_ base: String, _ pathAndQuery: String) -> String {
        guard !pathAndQuery.isEmpty else { return base }
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        return pathAndQuery.hasPrefix("/") ? trimmedBase + pathAndQuery : trimmedBase + "/" + pathAndQuery
    }
}

/// A type-erased `Clock<Duration>`: the forwarder needs only "now", differences and sleeping.
struct DeliveryClock: Sendable {
    private let nowOffset: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    init<C: Clock<Duration>>(_ clock: C) {
        let origin = clock.now
        nowOffset = { origin.duration(to: clock.now) }
        sleeper = { duration in try await clock.sleep(for: duration) }
    }

    /// Time since the clock was wrapped.
    func now() -> Duration { nowOffset() }
    /// Time since `start` (a value of `now()`).
    func elapsed(since start: Duration) -> Duration { nowOffset() - start }
    /// Sleeps on the wrapped clock.
    func sleep(_ duration: Duration) async throws {
        guard duration > .zero else { return }
        try await sleeper(duration)
    }
}

/// A random number generator shared by concurrent deliveries.
final class RandomSource: Sendable {
    private let generator: Mutex<any RandomNumberGenerator & Sendable>

    init(_ generator: some RandomNumberGenerator & Sendable) {
        self.generator = Mutex(generator)
    }

    func withGenerator<T>(_ body: (inout any RandomNumberGenerator & Sendable) -> T) -> T {
        generator.withLock { body(&$0) }
    }
}
