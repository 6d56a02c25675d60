import Agencies
import FieldLines
import HTTPTypes
import Audit
import Broker
import Delivery
import Demo
import Eventually
import Foundation
import Logging
import Signing
import Store
import Testing

/// What reaches the provider is exactly what was signed, checked and audited: a provider that
/// records every request it receives sits behind the real broker, under a contract with
/// `GET /records/{id}/{part}`, and every target is either refused with its own problem type or
/// forwarded as validated — never a path outside the provider's base URL.
@Suite(.serialized)
struct ForwardingIntegrityTests {
    static let prefix = "/exchange/spf/records"

    static let contract = """
        openapi: 3.1.0
        info: {title: Records, version: "1.0.0"}
        x-exchange:
          provider: spf
          service: records
          version: 1
          consumers: [mol]
          timeout: 5s
          retry: {attempts: 1}
          responseValidation: report
        paths:
          /records/{id}/{part}:
            get:
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
                - {name: part, in: path, required: true, schema: {type: string}}
                - {name: q, in: query, schema: {type: string}}
                - {name: limit, in: query, schema: {type: integer, maximum: 100}}
                - {name: X-Request-Id, in: header, schema: {type: string}}
                - {name: session, in: cookie, schema: {type: string, pattern: '^ok$'}}
              responses:
                '200': {description: ok, content: {application/json: {schema: {type: object}}}}
          /certificates:
            get:
              responses:
                '200': {description: ok, content: {application/json: {schema: {type: object}}}}
        """

    /// One exchange for the suite: spf serves the records contract below `/base`.
    actor Lab {
        static let shared = Lab()
        private var running: LocalExchange?

        func get() async throws -> LocalExchange {
            if let running { return running }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-integrity-\(UUID().uuidString)")
            let contracts = directory.appendingPathComponent("contracts")
            try FileManager.default.createDirectory(at: contracts, withIntermediateDirectories: true)
            try ForwardingIntegrityTests.contract.write(to: contracts.appendingPathComponent("records.yaml"), atomically: true, encoding: .utf8)
            var logger = Logger(label: "rabt.tests")
            logger.logLevel = .critical
            let answer: ProviderHandler = { _ in .json(200, ["ok": true]) }
            let exchange = try await LocalExchange.start(
                in: directory,
                providers: ["spf": [
                    ProviderRoute("GET", "/base/records/{id}/{part}", handler: answer),
                    ProviderRoute("GET", "/base/certificates", handler: answer),
                ]],
                logger: logger
            )
            try await exchange.register(endpoints: ["spf": (exchange.providers["spf"]?.baseURL ?? "") + "/base"], contracts: contracts)
            running = exchange
            return exchange
        }
    }

    static func provider(_ exchange: LocalExchange) throws -> ProviderServer {
        try #require(exchange.providers["spf"])
    }

    // MARK: refused targets

    static let refusedTargets: [String] = [
        "/records/records/../admin",
        "/records/records/../..",
        "/records/records/.",
        "/records/%2e%2E/x",
        "/records/.%2e/x",
        "/records/%2E/x",
        "/records/a%2Fb/x",
        "/records/a%2fb/x",
        "/records/a%5Cb/x",
        "/records//x",
        "/records/a%00b/x",
        "/records/a%0Ab/x",
        "/records/%C0%AE%C0%AE/x",
        "/records/%FF/x",
        "/records/a%zz/x",
        "/records/a/x?q=%00",
        "/records/a/x?q=a&&limit=1",
    ]

    @Test("non-canonical targets are target-invalid and reach no provider", arguments: refusedTargets)
    func refusedTarget(_ target: String) async throws {
        let exchange = try await Lab.shared.get()
        let spf = try Self.provider(exchange)
        spf.clearReceivedRequests()
        let answer = try await exchange.client("mol").send("GET", Self.prefix + target)
        #expect(answer.status == 400, "\(target): \(answer.text)")
        #expect(answer.header("exchange-error") == "target-invalid", "\(target)")
        #expect(answer.header("content-type")?.hasPrefix("application/problem+json") == true)
        #expect(spf.receivedRequests.isEmpty, "\(target) reached the provider")
        #expect(try await exchange.audit(of: answer.header("exchange-id")) == ["request.rejected"])
    }

    // MARK: forwarded as validated

    static let forwardedTargets: [(sent: String, forwarded: String, query: String?)] = [
        ("/records/alice/profile", "/base/records/alice/profile", nil),
        ("/records/%41lice/profile", "/base/records/Alice/profile", nil),
        ("/records/a%3Bb/x;y", "/base/records/a%3Bb/x%3By", nil),
        ("/records/caf%C3%A9/x:y@z", "/base/records/caf%C3%A9/x%3Ay%40z", nil),
        ("/records/a+b/x", "/base/records/a%2Bb/x", nil),
        ("/records/alice/profile?q=a+b&limit=5", "/base/records/alice/profile", "q=a%20b&limit=5"),
        ("/records/alice/profile?q=a%20b", "/base/records/alice/profile", "q=a%20b"),
        ("/records/alice/profile?q=1%2B1%3D2", "/base/records/alice/profile", "q=1%2B1%3D2"),
        ("/records/alice/profile?q", "/base/records/alice/profile", "q="),
        // The comma separates array items when Rabt validates, so it is forwarded as a comma.
        ("/records/a%2Cb/x,y?q=c%2Cd", "/base/records/a,b/x,y", "q=c,d"),
    ]

    @Test("accepted targets reach the provider as the template filled with the validated values", arguments: forwardedTargets)
    func forwardedTarget(_ example: (sent: String, forwarded: String, query: String?)) async throws {
        let exchange = try await Lab.shared.get()
        let spf = try Self.provider(exchange)
        spf.clearReceivedRequests()
        let answer = try await exchange.client("mol").send("GET", Self.prefix + example.sent)
        #expect(answer.status == 200, "\(example.sent): \(answer.text)")
        let received = try #require(spf.receivedRequests.first)
        #expect(spf.receivedRequests.count == 1)
        #expect(received.path == example.forwarded)
        #expect(received.query == example.query)
        // The audit entry names the target the provider received (below its base URL).
        let entries = try await exchange.auditEntries().filter { $0.event.exchangeId == answer.header("exchange-id") }
        let accepted = try #require(entries.first { $0.event.kind == .requestAccepted })
        #expect(accepted.event.target == String(example.forwarded.dropFirst("/base".count)) + (example.query.map { "?\($0)" } ?? ""))
        _ = try await answer.verifyReceipt(rabtKey: try Self.rabtKey(exchange))
    }

    @Test func encodedLiteralSegmentIsNoOperation() async throws {
        let exchange = try await Lab.shared.get()
        let spf = try Self.provider(exchange)
        spf.clearReceivedRequests()
        let answer = try await exchange.client("mol").send("GET", Self.prefix + "/certific%61tes")
        #expect(answer.status == 404)
        #expect(answer.header("exchange-error") == "operation-not-found")
        #expect(spf.receivedRequests.isEmpty)
        #expect(try await exchange.client("mol").send("GET", Self.prefix + "/certificates").status == 200)
    }

    @Test func undeclaredQueryParametersAreRefused() async throws {
        let exchange = try await Lab.shared.get()
        let spf = try Self.provider(exchange)
        spf.clearReceivedRequests()
        let answer = try await exchange.client("mol").send("GET", Self.prefix + "/records/alice/profile?admin=true&limit=5")
        #expect(answer.status == 422)
        #expect(answer.header("exchange-error") == "request-invalid")
        #expect(answer.text.contains("/query/admin"))
        #expect(spf.receivedRequests.isEmpty)
    }

    // MARK: headers

    @Test func onlyAllowListedHeadersReachTheProvider() async throws {
        let exchange = try await Lab.shared.get()
        let spf = try Self.provider(exchange)
        spf.clearReceivedRequests()
        let answer = try await exchange.client("mol").send(
            "GET", Self.prefix + "/records/alice/profile",
            headers: HTTPFields([
                ("Authorization", "Bearer stolen"), ("X-Forwarded-For", "10.0.0.1"),
                ("X-Request-Id", "r-1"), ("Accept", "application/json"),
                ("Exchange-Consumer", "moj"), ("Cookie", "tracking=1"),
                ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            ])
        )
        #expect(answer.status == 200, "\(answer.text)")
        let received = try #require(spf.receivedRequests.first)
        let names = Set(received.headers.map { $0.name.canonicalName })
        #expect(!names.contains("authorization"))
        #expect(!names.contains("x-forwarded-for"))
        #expect(!names.contains("cookie"))
        #expect(names.contains("x-request-id"))
        #expect(names.contains("accept"))
        #expect(names.contains("traceparent"))
        #expect(received.headers.filter { $0.name.canonicalName == "exchange-consumer" }.map(\.value) == ["mol"])
        let allowed: Set<String> = [
            "host", "accept", "x-request-id", "traceparent", "signature", "signature-input", "exchange-id", "exchange-consumer",
            "exchange-consumer-target", "content-length", "user-agent",
        ]
        #expect(names.subtracting(allowed).isEmpty, "unexpected: \(names.subtracting(allowed))")
    }

    @Test func cookiesAreReadOnceForValidationAndForwarding() async throws {
        let exchange = try await Lab.shared.get()
        let spf = try Self.provider(exchange)
        let path = Self.prefix + "/records/alice/profile"
        for (sent, forwarded) in [
            ("session=ok; =; other=1", "session=ok"), ("=", nil), ("other=1;;session=ok", "session=ok"),
        ] {
            spf.clearReceivedRequests()
            let answer = try await exchange.client("mol").send("GET", path, headers: HTTPFields([("Cookie", sent)]))
            #expect(answer.status == 200, "\(sent): \(answer.text)")
            let received = try #require(spf.receivedRequests.first)
            #expect(received.headers.first { $0.name.canonicalName == "cookie" }?.value == forwarded, "\(sent)")
        }
        let refused = try await exchange.client("mol").send("GET", path, headers: HTTPFields([("Cookie", "session=evil")]))
        #expect(refused.status == 422)
        // A non-breaking space is not white space to every cookie reader: header values are ASCII.
        let disguised = try await exchange.client("mol").send("GET", path, headers: HTTPFields([("Cookie", "\u{A0}session=evil")]))
        #expect(disguised.header("exchange-error") == "header-invalid")
    }

    @Test func singletonFieldsComeOnce() async throws {
        let exchange = try await Lab.shared.get()
        let answer = try await exchange.client("mol").send(
            "GET", Self.prefix + "/records/alice/profile",
            headers: HTTPFields([("Content-Type", "application/json"), ("Content-Type", "text/plain")])
        )
        #expect(answer.status == 400)
        #expect(answer.header("exchange-error") == "header-invalid")
    }

    // MARK: signature chain

    @Test func providerVerifiesRabtsCountersignatureAndThroughItTheConsumers() async throws {
        let exchange = try await Lab.shared.get()
        let spf = try Self.provider(exchange)
        spf.clearReceivedRequests()
        let answer = try await exchange.client("mol").send(
            "GET", Self.prefix + "/records/a%3Bb/x?q=a+b&limit=5",
            headers: HTTPFields([("X-Request-Id", "r-7"), ("Accept", "application/json")])
        )
        #expect(answer.status == 200)
        let received = try #require(spf.receivedRequests.first)
        let base = try #require(spf.baseURL)
        let fields = received.headers
        let target = base + received.path + (received.query.map { "?\($0)" } ?? "")
        let forwarded = try RequestComponents(method: received.method, targetURI: target, fields: fields)

        let rabtPolicy = VerificationPolicy(
            requiresContentDigestForBody: false, fieldsCoveredWhenPresent: [],
            requiredComponents: [
                .field("exchange-id"), .field("exchange-consumer"), .field("exchange-consumer-target"),
                .field("signature", key: "sig1"), .field("signature-input", key: "sig1"),
                // Every field the provider receives, the declared ones too.
                .field("x-request-id"), .field("accept"),
            ]
        )
        let rabtKey = try Self.rabtKey(exchange)
        _ = try await SignatureVerifier(policy: rabtPolicy).verify(.request(forwarded), body: nil, label: "rabt", now: Date()) { id in
            RegisteredKey(keyID: id, key: rabtKey)
        }
        // The consumer's own signature verifies over the target it signed, which Rabt vouches for.
        let consumerTarget = try #require(fields[.exchangeConsumerTarget])
        #expect(consumerTarget == exchange.brokerURL + Self.prefix + "/records/a%3Bb/x?q=a+b&limit=5")
        let consumerKey = try VerificationKey(pemRepresentation: String(contentsOf: exchange.pki.agencySigningPublicKey("mol"), encoding: .utf8))
        let signed = try RequestComponents(method: received.method, targetURI: consumerTarget, fields: fields)
        _ = try await SignatureVerifier().verify(.request(signed), body: nil, label: "sig1", now: Date()) { id in
            RegisteredKey(keyID: id, key: consumerKey)
        }
        // A target other than the one received does not verify: Rabt signed what it sent.
        let moved = try RequestComponents(method: received.method, targetURI: base + "/base/admin", fields: fields)
        await #expect(throws: (any Error).self) {
            _ = try await SignatureVerifier(policy: rabtPolicy).verify(.request(moved), body: nil, label: "rabt", now: Date()) { id in
                RegisteredKey(keyID: id, key: rabtKey)
            }
        }
        // An independent RFC 9421 implementation agrees.
        try await Self.verifyWithPython(received, baseURL: base, exchange: exchange)
    }

    @Test func consumerMayNotSignUnderRabtsLabel() async throws {
        let exchange = try await Lab.shared.get()
        let answer = try await exchange.client("mol").send(
            "GET", Self.prefix + "/records/alice/profile", signing: ExchangeClient.Signing(label: "rabt")
        )
        #expect(answer.status == 401)
        #expect(answer.header("exchange-error") == "signature-invalid")
        #expect(answer.text.contains("reserved"))
    }

    @Test func requestSignedForAnotherAuthorityIsRefused() async throws {
        let exchange = try await Lab.shared.get()
        let port = try #require(URL(string: exchange.brokerURL)?.port)
        let identity = try ExchangeClient.Identity.development(exchange.pki, agency: "mol")
        let staging = ExchangeClient(brokerURL: "https://rabt-staging.example:\(port)", identity: identity, transport: exchange.transport)
        var prepared = try staging.prepare("GET", Self.prefix + "/records/alice/profile")
        prepared.request.connectTo = "127.0.0.1:\(port)"
        prepared.request.tls.verifyPeer = false
        let answer = try await staging.send(prepared)
        #expect(answer.status == 401)
        #expect(answer.header("exchange-error") == "signature-invalid")
        #expect(answer.text.contains("rabt-staging.example:\(port)"))

        // The certificate's name is one of the node's names.
        let local = ExchangeClient(brokerURL: "https://localhost:\(port)", identity: identity, transport: exchange.transport)
        #expect(try await local.send("GET", Self.prefix + "/records/alice/profile").status == 200)
    }

    @Test func idempotencyKeyIsBoundToTheTarget() async throws {
        let exchange = try await Lab.shared.get()
        let key: HTTPFields = [.idempotencyKey: UUID().uuidString]
        let alice = try await exchange.client("mol").send("GET", Self.prefix + "/records/alice/profile", headers: key)
        #expect(alice.status == 200)
        // The same request: its answer is not kept (`audit: {body: digest}`), so it is refused as such, not as another request.
        let again = try await exchange.client("mol").send("GET", Self.prefix + "/records/alice/profile", headers: key)
        #expect(again.header("exchange-error") == "idempotency-outcome-not-kept")
        let bob = try await exchange.client("mol").send("GET", Self.prefix + "/records/bob/profile", headers: key)
        #expect(bob.status == 422)
        #expect(bob.header("exchange-error") == "idempotency-key-reused")
        let otherQuery = try await exchange.client("mol").send("GET", Self.prefix + "/records/alice/profile?limit=1", headers: key)
        #expect(otherQuery.header("exchange-error") == "idempotency-key-reused")
    }

    // MARK: the asynchronous path

    @Test func asynchronousDeliveryForwardsTheSameCanonicalRequest() async throws {
        let exchange = try await Lab.shared.get()
        let spf = try Self.provider(exchange)
        spf.clearReceivedRequests()
        let async: HTTPFields = [.prefer: "respond-async"]
        let refused = try await exchange.client("mol").send("GET", Self.prefix + "/records/records/../admin", headers: async)
        #expect(refused.status == 400)
        #expect(refused.header("exchange-error") == "target-invalid")

        let answer = try await exchange.client("mol").send(
            "GET", Self.prefix + "/records/a%3Bb/x?q=a+b", headers: async + HTTPFields([("Authorization", "Bearer x")])
        )
        #expect(answer.status == 202, "\(answer.text)")
        let received = await poll(within: .seconds(60)) { spf.receivedRequests.first }
        let delivered = try #require(received, "the message was not delivered within 60 s")
        #expect(delivered.path == "/base/records/a%3Bb/x")
        #expect(delivered.query == "q=a%20b")
        #expect(!delivered.headers.contains { $0.name.canonicalName == "authorization" })
        try await Self.verifyWithPython(delivered, baseURL: try #require(spf.baseURL), exchange: exchange)
    }

    @Test func messagesStoredBeforeCanonicalForwardingAreSentCanonicalOrDeadLettered() async throws {
        let exchange = try await Lab.shared.get()
        let spf = try Self.provider(exchange)
        spf.clearReceivedRequests()
        // As an older node stored them: the raw target and every header the consumer sent.
        let signed = try exchange.client("mol").prepare("GET", Self.prefix + "/records/a%3Bb/x?q=a+b")
        let raw = signed.request.headers + HTTPFields([("Authorization", "Bearer stolen")])
        let store = try await StoreLocation(exchange.databasePath).open()
        func stored(_ id: String, _ pathAndQuery: String) -> OutboxMessage {
            OutboxMessage(
                id: id, consumer: "mol", provider: "spf", service: "records", version: 1, operation: "GET /records/{id}/{part}",
                method: "GET", pathAndQuery: pathAndQuery, headers: [OutboxHeader](raw),
                body: [], idempotencyKey: nil, nextAttemptAt: Date(), expiresAt: Date().addingTimeInterval(600), createdAt: Date()
            )
        }
        let good = UUID().uuidString.lowercased()
        let bad = UUID().uuidString.lowercased()
        for (id, target) in [(good, "/records/a%3Bb/x?q=a+b"), (bad, "/records/../admin")] {
            _ = try await store.enqueue(
                stored(id, target), auditing: [AuditEvent(kind: .requestAccepted, exchangeId: id, consumer: "mol", status: 202)],
                idempotency: nil
            )
        }
        // A bounded wait for the worker.
        var states: [String: OutboxMessage.State] = [:]
        _ = try await eventually(within: .seconds(60)) {
            for id in [good, bad] { states[id] = try await store.outboxMessage(id: id)?.state }
            return states[good] == .delivered && states[bad] == .dead
        }
        try await store.close()
        #expect(states[good] == .delivered)
        #expect(states[bad] == .dead)
        let delivered = try #require(spf.receivedRequests.first { $0.header("exchange-id") == good })
        #expect(delivered.path == "/base/records/a%3Bb/x")
        #expect(delivered.query == "q=a%20b")
        #expect(!delivered.headers.contains { $0.name.canonicalName == "authorization" })
        #expect(!spf.receivedRequests.contains { $0.header("exchange-id") == bad })
    }

    // MARK: helpers

    static func rabtKey(_ exchange: LocalExchange) throws -> VerificationKey {
        try VerificationKey(pemRepresentation: String(contentsOf: exchange.pki.rabtSigningPublicKey, encoding: .utf8))
    }

    /// Runs scripts/interop/verify_forwarded.py: PyPI's http-message-signatures verifies Rabt's
    /// countersignature over the request as received, and the consumer's over the target it signed.
    static func verifyWithPython(_ received: ProviderRequest, baseURL: String, exchange: LocalExchange) async throws {
        let request: [String: Any] = [
            "method": received.method,
            "url": baseURL + received.path + (received.query.map { "?\($0)" } ?? ""),
            "headers": received.headers.map { [$0.name.rawName, $0.value] },
            "body": Data(received.body).base64EncodedString(),
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-forwarded-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: request).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output, errors) = try await PythonScript.run("verify_forwarded.py", [
            file.path, exchange.pki.rabtSigningPublicKey.path, exchange.pki.agencySigningPublicKey("mol").path,
        ])
        #expect(status == 0, "independent verification failed: \(output) \(errors)")
    }
}
