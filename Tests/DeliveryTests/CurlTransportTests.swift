import Agencies
import FieldLines
import HTTPTypes
import Delivery
import Eventually
import Foundation
import Signing
import Testing

@Suite("CurlTransport over TLS on loopback")
struct CurlTransportTests {
    @Test("mutual TLS exchange succeeds and the provider sees the request")
    func mutualTLS() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider(tls: pki.providerTLS) { server, base in
            let response = try await transport.send(OutboundRequest(method: "GET", url: base + "/items/42?full=1", tls: pki.rabtTLS))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "item 42")
            #expect(response.headers.values(named: "content-type").first == "text/plain; charset=utf-8")
            let received = try #require(server.receivedRequests.last)
            #expect(received.path == "/items/42")
            #expect(received.query == "full=1")
            let presented = try #require(received.clientCertificateDER)
            let pem = try String(contentsOf: pki.pki.rabtCertificate, encoding: .utf8)
            let base64 = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            #expect(presented == Data(base64Encoded: base64).map { [UInt8]($0) })
        }
    }

    @Test("sequential exchanges reuse one kept-alive connection")
    func connectionReuse() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider(tls: pki.providerTLS) { server, base in
            var newConnections = 0
            for _ in 0..<20 {
                let response = try await transport.send(OutboundRequest(method: "GET", url: base + "/hello", tls: pki.rabtTLS))
                #expect(response.status == 200)
                newConnections += response.metrics.newConnections
            }
            #expect(newConnections == 1)
            #expect(Set(server.receivedRequests.compactMap(\.remotePort)).count == 1)
        }
    }

    @Test("connectTo reaches another address while the URL and its Host field stay")
    func connectTo() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider(tls: pki.providerTLS) { server, base in
            // Nothing listens on port 9: only the connect-to target can answer.
            var request = OutboundRequest(method: "GET", url: "https://127.0.0.1:9/hello", tls: pki.rabtTLS)
            request.connectTo = String(base.dropFirst("https://".count))
            let response = try await transport.send(request)
            #expect(response.status == 200)
            let received = try #require(server.receivedRequests.last)
            #expect(received.authority == "127.0.0.1:9")
        }
    }

    @Test("redirects come back as they are")
    func noRedirects() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider(tls: pki.providerTLS) { server, base in
            let response = try await transport.send(OutboundRequest(method: "GET", url: base + "/moved", tls: pki.rabtTLS))
            #expect(response.status == 302)
            #expect(response.headers.values(named: "location").first == "/hello")
            #expect(server.receivedRequests.map(\.path) == ["/moved"])
        }
    }

    @Test("hop-by-hop headers are stripped, end-to-end headers and the body pass unchanged")
    func headersAndBody() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider(tls: pki.providerTLS) { server, base in
            let body = Array(#"{"nationalId":"9861034521"}"#.utf8)
            let request = OutboundRequest(
                method: "POST", url: base + "/echo",
                headers: HTTPFields([
                    ("Connection", "X-Hop"),
                    ("X-Hop", "1"),
                    ("Keep-Alive", "timeout=5"),
                    ("Proxy-Authorization", "Basic eDp5"),
                    ("Upgrade", "h2c"),
                    ("Host", "consumer.example"),
                    ("Exchange-Id", "0190c0de-0000-7000-8000-000000000001"),
                    ("Signature-Input", #"sig1=("@method");created=1"#),
                    ("Signature", "sig1=:AAAA:"),
                    ("X-Empty", ""),
                ]),
                body: body, tls: pki.rabtTLS
            )
            let response = try await transport.send(request)
            #expect(response.status == 200)
            #expect(response.body == body)
            let received = try #require(server.receivedRequests.last)
            let names = Set(received.headers.map { $0.name.canonicalName })
            for hop in ["x-hop", "keep-alive", "proxy-authorization", "upgrade", "content-type", "accept", "expect"] {
                #expect(!names.contains(hop), "\(hop) was forwarded")
            }
            #expect(received.authority?.hasPrefix("127.0.0.1:") == true)
            #expect(received.header("exchange-id") == "0190c0de-0000-7000-8000-000000000001")
            #expect(received.header("signature") == "sig1=:AAAA:")
            #expect(received.header("signature-input") == #"sig1=("@method");created=1"#)
            #expect(received.header("x-empty") == "")
            #expect(received.body == body)
        }
    }

    @Test("methods keep their word and their body")
    func methods() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider { server, base in
            let put = try await transport.send(OutboundRequest(method: "PUT", url: base + "/echo", body: Array("abc".utf8)))
            #expect(put.body == Array("abc".utf8))
            let delete = try await transport.send(OutboundRequest(method: "DELETE", url: base + "/echo"))
            #expect(String(decoding: delete.body, as: UTF8.self) == "deleted 0")
            let head = try await transport.send(OutboundRequest(method: "HEAD", url: base + "/hello"))
            #expect(head.status == 204)
            let post = try await transport.send(OutboundRequest(method: "POST", url: base + "/echo"))
            #expect(post.status == 200 && post.body.isEmpty)
            let received = server.receivedRequests
            #expect(received.map(\.method) == ["PUT", "DELETE", "HEAD", "POST"])
            #expect(received.last?.header("content-length") == "0")
            // A field value cannot carry a line break: it arrives as one field, never as two.
            let smuggling = HTTPFields([("X-Bad", "a\r\nInjected: 1")])
            #expect(try await transport.send(OutboundRequest(method: "GET", url: base + "/hello", headers: smuggling)).status == 200)
            #expect(server.receivedRequests.last?.header("x-bad") == "a  Injected: 1")
            #expect(server.receivedRequests.last?.header("injected") == nil)
            #expect(await failureCode(transport, OutboundRequest(method: "GET", url: "ftp://127.0.0.1/")) == .invalidRequest)
        }
    }

    @Test("a provider slower than the timeout fails with timeout")
    func timeout() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider(tls: pki.providerTLS) { server, base in
            // The provider never answers on its own: only the timeout can end the exchange. 3 s
            // leave the TLS handshake time to finish on a loaded machine, so the request is sent
            // (a timeout before that is connect-timeout).
            server.script("GET", "/hello", .hold)
            let clock = ContinuousClock()
            let started = clock.now
            let code = await failureCode(transport, OutboundRequest(method: "GET", url: base + "/hello", timeout: .seconds(3), tls: pki.rabtTLS))
            #expect(code == .timeout)
            // The request's own 3 s, not the default 10 s.
            #expect(started.duration(to: clock.now) < .seconds(9))
        }
    }

    @Test("a closed port fails with connect-failed")
    func connectRefused() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        let url = try await refusedURL(scheme: "https")
        #expect(await failureCode(transport, OutboundRequest(method: "GET", url: url + "/hello")) == .connectFailed)
    }

    @Test("a client certificate from another CA is tls-rejected and never retried")
    func foreignClientCertificate() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider(tls: pki.providerTLS) { server, base in
            let request = OutboundRequest(method: "GET", url: base + "/hello", tls: pki.foreignTLS)
            #expect(await failureCode(transport, request) == .tlsRejected)

            let forwarder = Forwarder(transport: transport, clock: VirtualClock())
            let outcome = await forwarder.deliver(
                request, endpoints: [base], pathAndQuery: "/hello",
                policy: RetryPolicy(attempts: 4), deadline: .seconds(5), idempotent: true
            )
            #expect(outcome.attempts.map(\.result) == [.error(.tlsRejected)])
            #expect(outcome.stopReason == .notRetryable)
            #expect(outcome.failure?.code == .providerUnavailable)
            #expect(server.receivedRequests.isEmpty)
        }
    }

    @Test("a server certificate from an untrusted CA is tls-failed")
    func untrustedServer() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider(tls: pki.providerTLS) { _, base in
            var tls = pki.rabtTLS
            tls.caFile = pki.foreign.caCertificate.path
            #expect(await failureCode(transport, OutboundRequest(method: "GET", url: base + "/hello", tls: tls)) == .tlsFailed)
        }
    }

    @Test("a response over the size cap fails with response-too-large")
    func responseTooLarge() async throws {
        let transport = CurlTransport(configuration: .init(maxResponseSize: 1_000), logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider { _, base in
            #expect(await failureCode(transport, OutboundRequest(method: "GET", url: base + "/big")) == .responseTooLarge)
            let small = try await transport.send(OutboundRequest(method: "GET", url: base + "/hello"))
            #expect(small.status == 200)
        }
    }

    @Test("50 concurrent exchanges all complete over a bounded number of connections")
    func concurrency() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let transport = CurlTransport(configuration: .init(maxConnectionsPerHost: 8), logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider(tls: pki.providerTLS) { server, base in
            let statuses = await withTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let request = OutboundRequest(method: "GET", url: base + "/items/\(index)", timeout: .seconds(20), tls: pki.rabtTLS)
                        return (try? await transport.send(request).status) ?? -1
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 50))
            #expect(server.receivedRequests.count == 50)
            #expect(Set(server.receivedRequests.compactMap(\.remotePort)).count <= 8)
        }
    }

    @Test("cancelling the caller's task ends an exchange in flight")
    func cancellation() async throws {
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        try await withProvider { server, base in
            // The provider holds the request: only the cancellation (or the 30 s timeout, which
            // would be `timeout`) can end the exchange.
            server.script("GET", "/hello", .hold)
            let exchange = Task {
                await failureCode(transport, OutboundRequest(method: "GET", url: base + "/hello", timeout: .seconds(30)))
            }
            let inFlight = await eventually(within: .seconds(30)) { server.scriptedHits("GET", "/hello") > 0 }
            #expect(inFlight, "the request never reached the provider")
            exchange.cancel()
            #expect(await exchange.value == .cancelled)
            #expect(server.receivedRequests.count == 1)
        }
    }

    @Test("a shut-down transport refuses new exchanges")
    func shutdown() async throws {
        let transport = CurlTransport(logger: testLogger)
        transport.shutdown()
        transport.shutdown()
        #expect(await failureCode(transport, OutboundRequest(method: "GET", url: "http://127.0.0.1:9/")) == .shutdown)
    }
}
