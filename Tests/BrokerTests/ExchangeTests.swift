import Agencies
import FieldLines
import HTTPTypes
import Broker
import Delivery
import Demo
import Audit
import Foundation
import Signing
import Testing

/// The exchange path end to end: the real broker over TLS on loopback, called with real libcurl
/// and a signing client, delivering to real HTTPS providers.
@Suite(.serialized)
struct ExchangeTests {
    static let certificatePath = "/exchange/moj/criminal-record-certificate/certificates"

    static func certificateRequest(nationalId: String = "9861034521", purpose: String? = "work-permit") -> [UInt8] {
        var purposeMember = ""
        if let purpose { purposeMember = #","purpose":"\#(purpose)""# }
        return Array(#"{"applicant":{"nationalId":"\#(nationalId)","fullName":{"first":"Layla","family":"Haddad"},"dateOfBirth":"1986-04-17"},"caseReference":"MOL-2026-118204"\#(purposeMember)}"#.utf8)
    }

    /// Decodes a problem body.
    static func problem(_ answer: ExchangeClient.Answer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
    }

    @Test func acceptedExchangeCarriesAVerifiableReceiptAndIsAudited() async throws {
        let exchange = try await TestExchange.shared.get()
        let answer = try await exchange.client("mol").send("POST", Self.certificatePath, json: Self.certificateRequest())
        #expect(answer.status == 201)
        #expect(answer.header("exchange-error") == nil)
        let exchangeId = try #require(answer.header("exchange-id"))
        let receipt = try await answer.verifyReceipt(rabtKey: try PEMFiles.verificationKey(at: exchange.pki.rabtSigningPublicKey))
        #expect(receipt.label == "rabt")
        #expect(try await exchange.audit(of: exchangeId) == ["request.accepted", "response.delivered"])

        // What the provider received: the consumer's signature passed through, Rabt's
        // countersignature beside it, the exchange headers, the body unchanged. (Other suites
        // send to the same provider meanwhile: the request is found by its exchange id.)
        let received = try #require(exchange.providers["moj"]?.receivedRequests.last { $0.header("exchange-id") == exchangeId })
        #expect(received.path == "/certificates")
        #expect(received.header("exchange-id") == exchangeId)
        #expect(received.header("exchange-consumer") == "mol")
        #expect(received.body == Self.certificateRequest())
        let signatureInput = try #require(received.header("signature-input"))
        #expect(signatureInput.contains("sig1=") && signatureInput.contains("rabt="))
        #expect(received.header("connection") == nil)
    }

    @Test func countersignatureVerifiesWithRabtsKey() async throws {
        let exchange = try await TestExchange.shared.get()
        let answer = try await exchange.client("mol").send("POST", Self.certificatePath, json: Self.certificateRequest())
        #expect(answer.status == 201)
        let received = try #require(exchange.providers["moj"]?.receivedRequests.last { $0.header("exchange-id") == answer.header("exchange-id") })
        let fields = received.headers
        // The provider rebuilds the target from its own address: the countersignature covers it.
        let base = try #require(exchange.providers["moj"]?.baseURL)
        let message = SignableMessage.request(
            try RequestComponents(method: received.method, targetURI: base + received.path, fields: fields)
        )
        let rabtKey = try PEMFiles.verificationKey(at: exchange.pki.rabtSigningPublicKey)
        let policy = VerificationPolicy(
            fieldsCoveredWhenPresent: [],
            requiredComponents: [
                .method, .targetURI, .field("exchange-id"), .field("exchange-consumer"), .field("signature", key: "sig1"),
                .field("signature-input", key: "sig1"), .field("content-digest"),
            ]
        )
        let verified = try await SignatureVerifier(policy: policy).verify(message, body: Data(received.body), label: "rabt", now: Date()) {
            $0 == "rabt" ? RegisteredKey(keyID: "rabt", key: rabtKey) : nil
        }
        #expect(verified.keyID == "rabt")
    }

    @Test func payloadBreakingTheContractIsRefusedWithPointersAndKeywords() async throws {
        let exchange = try await TestExchange.shared.get()
        let answer = try await exchange.client("mol").send(
            "POST", Self.certificatePath, json: Self.certificateRequest(nationalId: "98610X4521", purpose: nil)
        )
        #expect(answer.status == 422)
        #expect(answer.header("exchange-error") == "request-invalid")
        #expect(answer.header("content-type") == "application/problem+json")
        let problem = try Self.problem(answer)
        #expect(problem["type"] as? String == "urn:rabt:problem:request-invalid")
        #expect(problem["exchangeId"] as? String == answer.header("exchange-id"))
        let errors = try #require(problem["errors"] as? [[String: Any]])
        let pairs = Set(errors.map { "\($0["pointer"] as? String ?? "") \($0["keyword"] as? String ?? "")" })
        #expect(pairs.contains("/body/applicant/nationalId pattern"))
        #expect(pairs.contains("/body required"))
        #expect(try await exchange.audit(of: answer.header("exchange-id")) == ["request.rejected"])
    }

    @Test func consumerWithoutGrantIsRefused() async throws {
        let exchange = try await TestExchange.shared.get()
        let answer = try await exchange.client("spf").send("POST", Self.certificatePath, json: Self.certificateRequest())
        #expect(answer.status == 403)
        #expect(answer.header("exchange-error") == "consumer-not-allowed")
        #expect(try await exchange.audit(of: answer.header("exchange-id")) == ["request.rejected"])
    }

    @Test func tamperedBodyIsRefused() async throws {
        let exchange = try await TestExchange.shared.get()
        let answer = try await exchange.client("mol").send(
            "POST", Self.certificatePath, json: Self.certificateRequest(),
            tampering: .replaceBody(Self.certificateRequest(nationalId: "1111111111"))
        )
        #expect(answer.status == 400)
        #expect(answer.header("exchange-error") == "digest-mismatch")
        #expect(try await exchange.audit(of: answer.header("exchange-id")) == ["request.rejected"])
    }

    @Test func signatureByAnotherKeyIsRefused() async throws {
        let exchange = try await TestExchange.shared.get()
        var identity = try ExchangeClient.Identity.development(exchange.pki, agency: "mol")
        identity.signingKey = try SigningKey.generate(.ed25519)
        let impostor = ExchangeClient(brokerURL: exchange.brokerURL, identity: identity, transport: exchange.transport)
        let answer = try await impostor.send("POST", Self.certificatePath, json: Self.certificateRequest())
        #expect(answer.status == 401)
        #expect(answer.header("exchange-error") == "signature-invalid")
        #expect(try await exchange.audit(of: answer.header("exchange-id")) == ["request.rejected"])
    }

    @Test func keyOfAnotherAgencyIsRefused() async throws {
        let exchange = try await TestExchange.shared.get()
        var identity = try ExchangeClient.Identity.development(exchange.pki, agency: "mol")
        identity.signingKey = try PEMFiles.signingKey(at: exchange.pki.agencySigningKey("spf"))
        identity.keyID = "spf-signing"
        let client = ExchangeClient(brokerURL: exchange.brokerURL, identity: identity, transport: exchange.transport)
        let answer = try await client.send("POST", Self.certificatePath, json: Self.certificateRequest())
        #expect(answer.status == 401)
        #expect(answer.header("exchange-error") == "unknown-key")
    }

    @Test func replayedRequestIsRefused() async throws {
        let exchange = try await TestExchange.shared.get()
        let client = try exchange.client("mol")
        // Issue a certificate first: the suites share the provider, so no number is known beforehand.
        let issued = try await client.send("POST", Self.certificatePath, json: Self.certificateRequest())
        let body = try JSONSerialization.jsonObject(with: Data(issued.body)) as? [String: Any]
        let number = try #require(body?["certificateNumber"] as? String)
        let prepared = try client.prepare("GET", "/exchange/moj/criminal-record-certificate/certificates/\(number)")
        let first = try await client.send(prepared)
        #expect(first.status == 200)
        let second = try await client.send(prepared)
        #expect(second.status == 401)
        #expect(second.header("exchange-error") == "replay")
        #expect(try await exchange.audit(of: second.header("exchange-id")) == ["request.rejected"])
    }

    @Test func signatureCoveringTooLittleNamesWhatIsMissing() async throws {
        let exchange = try await TestExchange.shared.get()
        let answer = try await exchange.client("mol").send(
            "POST", Self.certificatePath, json: Self.certificateRequest(),
            signing: .init(components: [.method, .targetURI])
        )
        #expect(answer.status == 401)
        #expect(answer.header("exchange-error") == "signature-incomplete")
        #expect((try Self.problem(answer)["detail"] as? String)?.contains("content-digest") == true)
    }

    @Test func staleSignatureIsRefused() async throws {
        let exchange = try await TestExchange.shared.get()
        let answer = try await exchange.client("mol").send(
            "POST", Self.certificatePath, json: Self.certificateRequest(),
            signing: .init(created: Date().addingTimeInterval(-3600))
        )
        #expect(answer.status == 401)
        #expect(answer.header("exchange-error") == "signature-expired")
    }

    @Test func unregisteredAgencyIsRefused() async throws {
        let exchange = try await TestExchange.shared.get()
        var identity = try ExchangeClient.Identity.development(exchange.pki, agency: "xyz")
        identity.keyID = "xyz-signing"
        let client = ExchangeClient(brokerURL: exchange.brokerURL, identity: identity, transport: exchange.transport)
        let answer = try await client.send("POST", Self.certificatePath, json: Self.certificateRequest())
        #expect(answer.status == 403)
        #expect(answer.header("exchange-error") == "unknown-agency")
        #expect(try await exchange.audit(of: answer.header("exchange-id")) == ["request.rejected"])
    }

    @Test func connectionWithoutClientCertificateIsRefusedDuringTheHandshake() async throws {
        let exchange = try await TestExchange.shared.get()
        let request = OutboundRequest(
            method: "GET", url: exchange.brokerURL + "/exchange/moj/criminal-record-certificate/certificates/CRC-2026-0004217",
            tls: TLSSettings(caFile: exchange.pki.caCertificate.path)
        )
        await #expect(throws: DeliveryError.self) { _ = try await exchange.transport.send(request) }
    }

    @Test func unknownOperationAndMethodAreRefused() async throws {
        let exchange = try await TestExchange.shared.get()
        let client = try exchange.client("mol")
        let missing = try await client.send("GET", "/exchange/moj/criminal-record-certificate/judgments")
        #expect(missing.status == 404)
        #expect(missing.header("exchange-error") == "operation-not-found")
        let wrongMethod = try await client.send("DELETE", "/exchange/moj/criminal-record-certificate/certificates")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("exchange-error") == "method-not-allowed")
        #expect(wrongMethod.header("allow") == "POST")
        let noContract = try await client.send("GET", "/exchange/moj/land-registry/parcels")
        #expect(noContract.status == 404)
        #expect(noContract.header("exchange-error") == "contract-not-found")
    }
}

/// Requests signed by an independent RFC 9421 implementation (PyPI's http-message-signatures,
/// installed by `make test`) must verify like Rabt's own.
@Suite struct InteropTests {
    /// Runs the Python client; returns its status, Exchange-Error and body lines. It verifies
    /// Rabt's receipt on every success with the same library before printing.
    static func pythonCall(_ exchange: LocalExchange, agency: String, algorithm: String, body: [UInt8]) async throws -> [String] {
        let pki = exchange.pki
        let (status, output, errors) = try await PythonScript.run("python_client.py", [
            exchange.brokerURL, ExchangeTests.certificatePath,
            pki.caCertificate.path, pki.agencyCertificate(agency).path, pki.agencyKey(agency).path,
            pki.agencySigningKey(agency).path, "\(agency)-signing", algorithm, String(decoding: body, as: UTF8.self),
            pki.rabtSigningPublicKey.path,
        ])
        #expect(status == 0, "the Python client failed (is http-message-signatures installed? make test does it): \(output) \(errors)")
        return output.split(separator: "\n", maxSplits: 2).map(String.init)
    }

    @Test(arguments: [("mol", "ed25519"), ("rop", "rsa-pss-sha512")])
    func requestSignedByAnotherLibraryIsAccepted(agency: String, algorithm: String) async throws {
        let exchange = try await TestExchange.shared.get()
        let lines = try await Self.pythonCall(exchange, agency: agency, algorithm: algorithm, body: ExchangeTests.certificateRequest())
        #expect(lines.first == "201", "answer: \(lines)")
        #expect(lines.dropFirst().first == "-")
    }

    @Test func contractViolationIsReportedToThatLibraryToo() async throws {
        let exchange = try await TestExchange.shared.get()
        let lines = try await Self.pythonCall(exchange, agency: "mol", algorithm: "ed25519", body: ExchangeTests.certificateRequest(nationalId: "123"))
        #expect(lines.first == "422")
        #expect(lines.dropFirst().first == "request-invalid")
    }
}
