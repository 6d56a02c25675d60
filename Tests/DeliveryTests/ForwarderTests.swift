import Agencies
import FieldLines
import HTTPTypes
import Delivery
import Testing

@Suite("Forwarder retries and failover")
struct ForwarderTests {
    let policy = RetryPolicy(attempts: 4, initialBackoff: .milliseconds(100), maxBackoff: .seconds(2))

    func forwarder(_ transport: CurlTransport, _ clock: VirtualClock, now: Int64 = 1_800_000_000) -> Forwarder {
        Forwarder(transport: transport, clock: clock, random: SendableFixedGenerator(value: .max), wallClock: { now })
    }

    @Test("two 503s, then success: three attempts, two backoffs")
    func failTwiceThenSucceed() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        let clock = VirtualClock()
        try await withProvider { server, base in
            server.script("GET", "/hello", .failTimes(2, status: 503))
            let outcome = await forwarder(transport, clock).deliver(
                OutboundRequest(method: "GET", url: ""), endpoints: [base], pathAndQuery: "/hello",
                policy: policy, deadline: .seconds(5), idempotent: true
            )
            #expect(outcome.attempts.map(\.result) == [.status(503), .status(503), .status(200)])
            #expect(outcome.failure == nil)
            #expect(outcome.response?.status == 200)
            #expect(clock.sleeps == [.milliseconds(100), .milliseconds(200)])
            #expect(outcome.attempts.allSatisfy { $0.url == base + "/hello" })
        }
    }

    @Test("a POST without Idempotency-Key is not retried after a 503; with one it is")
    func nonIdempotentPost() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider { server, base in
            server.script("POST", "/echo", .failTimes(1, status: 503))
            let plain = OutboundRequest(method: "POST", url: "", body: Array("{}".utf8))
            let outcome = await forwarder(transport, VirtualClock()).deliver(
                plain, endpoints: [base], pathAndQuery: "/echo", policy: policy, deadline: .seconds(5),
                idempotent: plain.isIdempotent
            )
            #expect(outcome.attempts.map(\.result) == [.status(503)])
            #expect(outcome.stopReason == .notIdempotent)
            #expect(outcome.failure?.code == .providerUnavailable)
            #expect(outcome.response?.status == 503)

            server.script("POST", "/echo", .failTimes(1, status: 503))
            var keyed = plain
            keyed.headers = HTTPFields([("Idempotency-Key", "a1b2")])
            let retried = await forwarder(transport, VirtualClock()).deliver(
                keyed, endpoints: [base], pathAndQuery: "/echo", policy: policy, deadline: .seconds(5),
                idempotent: keyed.isIdempotent
            )
            #expect(retried.attempts.map(\.result) == [.status(503), .status(200)])
            #expect(retried.failure == nil)
        }
    }

    @Test("a refused connection fails over to the next endpoint, even for a POST")
    func failover() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        let refused = try await refusedURL()
        try await withProvider { server, base in
            let outcome = await forwarder(transport, VirtualClock()).deliver(
                OutboundRequest(method: "POST", url: "", body: Array("x".utf8)), endpoints: [refused, base],
                pathAndQuery: "echo", policy: policy, deadline: .seconds(5), idempotent: false
            )
            #expect(outcome.attempts.map(\.url) == [refused + "/echo", base + "/echo"])
            #expect(outcome.attempts.map(\.result) == [.error(.connectFailed), .status(200)])
            #expect(outcome.failure == nil)
            #expect(server.receivedRequests.count == 1)
        }
    }

    @Test("every endpoint refusing ends as provider-unavailable after all attempts")
    func allRefused() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        let first = try await refusedURL()
        let second = try await refusedURL()
        let outcome = await forwarder(transport, VirtualClock()).deliver(
            OutboundRequest(method: "GET", url: ""), endpoints: [first, second], pathAndQuery: "/hello",
            policy: policy, deadline: .seconds(5), idempotent: true
        )
        #expect(outcome.attempts.map(\.url) == [first, second, first, second].map { $0 + "/hello" })
        #expect(outcome.stopReason == .attemptsExhausted)
        #expect(outcome.failure?.code == .providerUnavailable)
        #expect((outcome.failure?.cause as? DeliveryError)?.code == .connectFailed)
        #expect(outcome.response == nil)
    }

    @Test("429 waits Retry-After, in seconds or as a date, and stops when it lies past the deadline")
    func tooManyRequests() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider { server, base in
            server.script("GET", "/hello", .failTimes(1, status: 429, headers: HTTPFields([("Retry-After", "1")])))
            let clock = VirtualClock()
            let outcome = await forwarder(transport, clock).deliver(
                OutboundRequest(method: "GET", url: ""), endpoints: [base], pathAndQuery: "/hello",
                policy: policy, deadline: .seconds(5), idempotent: true
            )
            #expect(outcome.attempts.map(\.result) == [.status(429), .status(200)])
            #expect(clock.sleeps == [.seconds(1)])

            // 2027-01-15T08:00:03Z, three seconds after the injected wall clock.
            let dated = ("Retry-After", "Fri, 15 Jan 2027 08:00:03 GMT")
            server.script("GET", "/hello", .failTimes(1, status: 429, headers: HTTPFields([dated])))
            let datedClock = VirtualClock()
            let datedOutcome = await forwarder(transport, datedClock, now: 1_800_000_000).deliver(
                OutboundRequest(method: "GET", url: ""), endpoints: [base], pathAndQuery: "/hello",
                policy: policy, deadline: .seconds(5), idempotent: true
            )
            #expect(datedOutcome.attempts.count == 2)
            #expect(datedClock.sleeps == [.seconds(3)])

            server.script("GET", "/hello", .failTimes(1, status: 429, headers: HTTPFields([("Retry-After", "30")])))
            let late = await forwarder(transport, VirtualClock()).deliver(
                OutboundRequest(method: "GET", url: ""), endpoints: [base], pathAndQuery: "/hello",
                policy: policy, deadline: .seconds(5), idempotent: true
            )
            #expect(late.attempts.map(\.result) == [.status(429)])
            #expect(late.stopReason == .deadlineExceeded)
            #expect(late.failure?.code == .providerTimeout)
        }
    }

    @Test("backoff that reaches the deadline ends as provider-timeout")
    func deadlineExhausted() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider { server, base in
            server.script("GET", "/hello", .always(503))
            let clock = VirtualClock()
            let slow = RetryPolicy(attempts: 10, initialBackoff: .seconds(1), maxBackoff: .seconds(8))
            let outcome = await forwarder(transport, clock).deliver(
                OutboundRequest(method: "GET", url: ""), endpoints: [base], pathAndQuery: "/hello",
                policy: slow, deadline: .milliseconds(2500), idempotent: true
            )
            // Waits 1 s before attempt 2; 2 s before attempt 3 would pass the deadline.
            #expect(outcome.attempts.map(\.result) == [.status(503), .status(503)])
            #expect(clock.sleeps == [.seconds(1)])
            #expect(outcome.stopReason == .deadlineExceeded)
            #expect(outcome.failure?.code == .providerTimeout)
        }
    }

    @Test("each attempt's timeout is capped by the time left; a timed-out POST is not retried")
    func attemptTimeout() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider { server, base in
            // The provider holds the request: the attempt ends at its timeout, whichever that is.
            // The 2 s deadline leaves a loaded machine time to connect and send, so it is a timeout
            // of the request, not of the connection.
            server.script("POST", "/echo", .hold)
            let outcome = await Forwarder(transport: transport).deliver(
                OutboundRequest(method: "POST", url: "", timeout: .seconds(30)), endpoints: [base], pathAndQuery: "/echo",
                policy: policy, deadline: .seconds(2), idempotent: false
            )
            #expect(outcome.attempts.map(\.result) == [.error(.timeout)])
            // Capped by the 2 s left, not the request's 30 s: a bound far from both, so a loaded
            // machine cannot fail it.
            #expect(outcome.attempts[0].duration < .seconds(15))
            #expect(outcome.failure?.code == .providerTimeout)
        }
    }

    @Test("a connection reset is retried for GET")
    func resetRetried() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider { server, base in
            server.script("GET", "/hello", .resetTimes(1))
            let outcome = await forwarder(transport, VirtualClock()).deliver(
                OutboundRequest(method: "GET", url: ""), endpoints: [base], pathAndQuery: "/hello",
                policy: policy, deadline: .seconds(5), idempotent: true
            )
            #expect(outcome.attempts.map(\.result) == [.error(.reset), .status(200)])
        }
    }
}
