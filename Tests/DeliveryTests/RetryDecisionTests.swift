import Testing
import FieldLines
import HTTPTypes

@testable import Delivery

/// A generator that always returns the same value, so jitter is predictable.
struct FixedGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite("Retry decision")
struct RetryDecisionTests {
    let policy = RetryPolicy(attempts: 4, initialBackoff: .milliseconds(100), maxBackoff: .seconds(2))

    struct Row: Sendable, CustomTestStringConvertible {
        var outcome: AttemptOutcome
        var idempotent: Bool
        var attemptsUsed: Int
        var timeLeft: Duration
        var expected: Expected
        var testDescription: String { "\(outcome) idempotent=\(idempotent) used=\(attemptsUsed) left=\(timeLeft)" }
    }

    enum Expected: Sendable, Equatable {
        case retry
        case retryAfter(Duration)
        case stop(RetryDecision.StopReason)
    }

    static let rows: [Row] = [
        // Nothing reached the provider: always retried, idempotent or not.
        Row(outcome: .failure(.connectFailed), idempotent: false, attemptsUsed: 1, timeLeft: .seconds(5), expected: .retry),
        Row(outcome: .failure(.connectTimeout), idempotent: false, attemptsUsed: 1, timeLeft: .seconds(5), expected: .retry),
        Row(outcome: .failure(.dnsFailed), idempotent: false, attemptsUsed: 2, timeLeft: .seconds(5), expected: .retry),
        Row(outcome: .failure(.destinationRefused), idempotent: false, attemptsUsed: 1, timeLeft: .seconds(5), expected: .retry),
        // May have reached the provider: only idempotent requests.
        Row(outcome: .failure(.reset), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .retry),
        Row(outcome: .failure(.reset), idempotent: false, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.notIdempotent)),
        Row(outcome: .failure(.timeout), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .retry),
        Row(outcome: .failure(.timeout), idempotent: false, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.notIdempotent)),
        Row(outcome: .response(status: 502, retryAfter: nil), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .retry),
        Row(outcome: .response(status: 503, retryAfter: nil), idempotent: true, attemptsUsed: 3, timeLeft: .seconds(5), expected: .retry),
        Row(outcome: .response(status: 504, retryAfter: nil), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .retry),
        Row(outcome: .response(status: 503, retryAfter: nil), idempotent: false, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.notIdempotent)),
        // 429 waits what Retry-After says, unless that passes the deadline.
        Row(outcome: .response(status: 429, retryAfter: .seconds(1)), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .retryAfter(.seconds(1))),
        Row(outcome: .response(status: 429, retryAfter: .seconds(10)), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.deadlineExceeded)),
        Row(outcome: .response(status: 429, retryAfter: nil), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .retry),
        Row(outcome: .response(status: 429, retryAfter: .seconds(1)), idempotent: false, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.notIdempotent)),
        // Final answers.
        Row(outcome: .response(status: 200, retryAfter: nil), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.finalResponse)),
        Row(outcome: .response(status: 302, retryAfter: nil), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.finalResponse)),
        Row(outcome: .response(status: 404, retryAfter: nil), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.finalResponse)),
        Row(outcome: .response(status: 408, retryAfter: nil), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.finalResponse)),
        Row(outcome: .response(status: 500, retryAfter: nil), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.finalResponse)),
        // Never retried.
        Row(outcome: .failure(.tlsRejected), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.notRetryable)),
        Row(outcome: .failure(.tlsFailed), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.notRetryable)),
        Row(outcome: .failure(.responseTooLarge), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.notRetryable)),
        Row(outcome: .failure(.invalidRequest), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.notRetryable)),
        Row(outcome: .failure(.protocolError), idempotent: true, attemptsUsed: 1, timeLeft: .seconds(5), expected: .stop(.notRetryable)),
        // Budget.
        Row(outcome: .failure(.connectFailed), idempotent: true, attemptsUsed: 4, timeLeft: .seconds(5), expected: .stop(.attemptsExhausted)),
        Row(outcome: .response(status: 503, retryAfter: nil), idempotent: true, attemptsUsed: 4, timeLeft: .seconds(5), expected: .stop(.attemptsExhausted)),
        Row(outcome: .failure(.connectFailed), idempotent: true, attemptsUsed: 1, timeLeft: .milliseconds(50), expected: .stop(.deadlineExceeded)),
    ]

    @Test("decision table", arguments: rows)
    func decision(_ row: Row) {
        // Jitter at its top value: the wait equals the backoff ceiling.
        var random = FixedGenerator(value: .max)
        let decision = policy.decide(
            after: row.outcome, idempotent: row.idempotent, attemptsUsed: row.attemptsUsed,
            timeLeft: row.timeLeft, random: &random
        )
        switch (row.expected, decision) {
        case (.retry, .retry(let wait)):
            #expect(wait <= policy.backoffCeiling(beforeAttempt: row.attemptsUsed + 1))
        case (.retryAfter(let expected), .retry(let wait)):
            #expect(wait == expected)
        case (.stop(let expected), .stop(let reason)):
            #expect(reason == expected)
        default:
            Issue.record("expected \(row.expected), got \(decision)")
        }
    }

    @Test("backoff ceilings double from initialBackoff up to maxBackoff")
    func ceilings() {
        let ceilings = (1...8).map { policy.backoffCeiling(beforeAttempt: $0) }
        #expect(ceilings == [
            .zero, .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
            .milliseconds(1600), .seconds(2), .seconds(2),
        ])
        #expect(policy.backoffCeiling(beforeAttempt: 500) == .seconds(2))
    }

    @Test("full jitter spans zero to the ceiling")
    func fullJitter() {
        var low = FixedGenerator(value: 0)
        #expect(policy.backoff(beforeAttempt: 3, random: &low) == .zero)
        var high = FixedGenerator(value: .max)
        #expect(policy.backoff(beforeAttempt: 3, random: &high) == .milliseconds(200))
        var system = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let wait = policy.backoff(beforeAttempt: 4, random: &system)
            #expect(wait >= .zero && wait <= .milliseconds(400))
        }
    }

    @Test("Retry-After as seconds and as an HTTP date")
    func retryAfter() {
        // 1994-11-06T08:49:37Z is 784111777 seconds since 1970 (RFC 9110's example date).
        #expect(RetryAfter.delay("120", now: 0) == .seconds(120))
        #expect(RetryAfter.delay(" 3 ", now: 0) == .seconds(3))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_777 - 30) == .seconds(30))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_777 + 30) == .zero)
        #expect(RetryAfter.delay("Tue, 29 Feb 2028 00:00:00 GMT", now: 1_835_395_200) == .zero)
        #expect(RetryAfter.delay("soon", now: 0) == nil)
        #expect(RetryAfter.delay("-5", now: 0) == nil)
    }

    @Test("idempotency from method or Idempotency-Key")
    func idempotency() {
        #expect(OutboundRequest(method: "GET", url: "https://x").isIdempotent)
        #expect(OutboundRequest(method: "put", url: "https://x").isIdempotent)
        #expect(!OutboundRequest(method: "POST", url: "https://x").isIdempotent)
        #expect(!OutboundRequest(method: "PATCH", url: "https://x").isIdempotent)
        #expect(OutboundRequest(method: "POST", url: "https://x", headers: HTTPFields([("Idempotency-Key", "k1")])).isIdempotent)
    }
}
