import Crypto
import FieldLines
import HTTPTypes
import Foundation
import Signing
import Testing

/// RFC 9421 Appendix B (and §2.4): signature bases byte for byte, published signatures verified,
/// and Ed25519 signatures reproduced exactly.
@Suite("RFC 9421 test vectors")
struct RFC9421VectorTests {
    typealias F = RFC9421Fixtures
    let verifier = SignatureVerifier(policy: F.vectorPolicy)

    private func components(_ names: [String]) -> [ComponentIdentifier] {
        names.map { ComponentIdentifier($0) }
    }

    @Test("B.2.1 minimal signature: base and rsa-pss-sha512 verification")
    func minimal() async throws {
        let parameters = SignatureParameters(created: F.created, nonce: "b3k2pp5k7z-50gnwp.yemd", keyID: "test-key-rsa-pss")
        let base = try SignatureBase.make(for: .request(F.request), components: [], parameters: parameters)
        #expect(base == #""@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#)

        let message = F.signed(
            .request(F.request), label: "sig-b21",
            input: #"();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
            signature: F.signatureB21)
        let verified = try await self.verifier.verify(
            message, body: nil, now: F.created, keyLookup: F.lookup("test-key-rsa-pss", pem: F.rsaPSSPublicKey))
        #expect(verified.label == "sig-b21")
        #expect(verified.algorithm == .rsaPSSSHA512)
        #expect(verified.nonce == "b3k2pp5k7z-50gnwp.yemd")
        #expect(verified.coveredComponents.isEmpty)
    }

    @Test("B.2.2 selective components with @query-param and tag")
    func selective() async throws {
        let covered = [ComponentIdentifier.authority, .field("content-digest"), .queryParameter("Pet")]
        let parameters = SignatureParameters(created: F.created, keyID: "test-key-rsa-pss", tag: "header-example")
        let base = try SignatureBase.make(for: .request(F.request), components: covered, parameters: parameters)
        #expect(
            base == """
                "@authority": example.com
                "content-digest": \(F.requestDigest)
                "@query-param";name="Pet": dog
                "@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"
                """)

        let message = F.signed(
            .request(F.request), label: "sig-b22",
            input: #"("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example""#,
            signature: F.signatureB22)
        // With a body, the digest must be covered and must match: both hold for the RFC's request.
        var policy = F.vectorPolicy
        policy.requiresContentDigestForBody = true
        let verified = try await SignatureVerifier(policy: policy).verify(
            message, body: F.requestBody, now: F.created, keyLookup: F.lookup("test-key-rsa-pss", pem: F.rsaPSSPublicKey))
        #expect(verified.tag == "header-example")
    }

    @Test("B.2.3 full coverage passes Rabt's target coverage rule")
    func fullCoverage() async throws {
        let covered = self.components([
            "date", "@method", "@path", "@query", "@authority", "content-type", "content-digest", "content-length",
        ])
        let parameters = SignatureParameters(created: F.created, keyID: "test-key-rsa-pss")
        let base = try SignatureBase.make(for: .request(F.request), components: covered, parameters: parameters)
        #expect(
            base == """
                "date": Tue, 20 Apr 2021 02:07:55 GMT
                "@method": POST
                "@path": /foo
                "@query": ?param=Value&Pet=dog
                "@authority": example.com
                "content-type": application/json
                "content-digest": \(F.requestDigest)
                "content-length": 18
                "@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"
                """)

        let message = F.signed(
            .request(F.request), label: "sig-b23",
            input: #"("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#,
            signature: F.signatureB23)
        let policy = VerificationPolicy(requiresAlgorithm: false, requiresNonce: false)
        let verified = try await SignatureVerifier(policy: policy).verify(
            message, body: F.requestBody, now: F.created, keyLookup: F.lookup("test-key-rsa-pss", pem: F.rsaPSSPublicKey))
        #expect(verified.coveredComponents == covered)
    }

    @Test("B.2.4 response signed with ecdsa-p256-sha256")
    func response() async throws {
        let covered = self.components(["@status", "content-type", "content-digest", "content-length"])
        let parameters = SignatureParameters(created: F.created, keyID: "test-key-ecc-p256")
        let message = SignableMessage.response(F.response, request: nil)
        let base = try SignatureBase.make(for: message, components: covered, parameters: parameters)
        #expect(
            base == """
                "@status": 200
                "content-type": application/json
                "content-digest": \(F.responseDigest)
                "content-length": 23
                "@signature-params": ("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256"
                """)

        let signed = F.signed(
            message, label: "sig-b24",
            input: #"("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256""#,
            signature: F.signatureB24)
        let verified = try await self.verifier.verify(
            signed, body: F.responseBody, now: F.created, keyLookup: F.lookup("test-key-ecc-p256", pem: F.p256PublicKey))
        #expect(verified.algorithm == .ecdsaP256SHA256)
    }

    @Test("B.2.5 base reproduces the published HMAC-SHA256 signature")
    func hmac() throws {
        let covered = self.components(["date", "@authority", "content-type"])
        let parameters = SignatureParameters(created: F.created, keyID: "test-shared-secret")
        let base = try SignatureBase.make(for: .request(F.request), components: covered, parameters: parameters)
        #expect(
            base == """
                "date": Tue, 20 Apr 2021 02:07:55 GMT
                "@authority": example.com
                "content-type": application/json
                "@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"
                """)
        // Rabt does not accept hmac-sha256; the MAC only proves the base is byte-exact.
        let key = SymmetricKey(data: try #require(Data(base64Encoded: F.sharedSecret)))
        let mac = Data(HMAC<SHA256>.authenticationCode(for: Data(base.utf8), using: key))
        #expect(mac.base64EncodedString() == F.signatureB25)
    }

    @Test("B.2.6 ed25519 signature reproduced exactly and verified")
    func ed25519() async throws {
        let covered = self.components(["date", "@method", "@path", "@authority", "content-type", "content-length"])
        let parameters = SignatureParameters(created: F.created, keyID: "test-key-ed25519")
        let signer = MessageSigner(key: try SigningKey(pemRepresentation: F.ed25519PrivateKey), keyID: "test-key-ed25519")
        var message = SignableMessage.request(F.request)
        let base = try signer.sign(&message, label: "sig-b26", components: covered, parameters: parameters)
        #expect(
            base == """
                "date": Tue, 20 Apr 2021 02:07:55 GMT
                "@method": POST
                "@path": /foo
                "@authority": example.com
                "content-type": application/json
                "content-length": 18
                "@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"
                """)
        #expect(
            message.fields.values(named: "Signature-Input") == [
                #"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#
            ])
        #expect(message.fields.values(named: "Signature") == ["sig-b26=:\(F.signatureB26):"])

        let verified = try await self.verifier.verify(
            message, body: nil, now: F.created, keyLookup: F.lookup("test-key-ed25519", pem: F.ed25519PublicKey))
        #expect(verified.algorithm == .ed25519)
    }

    @Test("§2.4 response bound to its request with ;req")
    func requestResponse() async throws {
        let request = F.request
        let response = ResponseComponents(
            status: 503,
            fields: HTTPFields([
                ("Date", "Tue, 20 Apr 2021 02:07:56 GMT"),
                ("Content-Type", "application/json"),
                ("Content-Length", "62"),
                ("Content-Digest", "sha-512=:0Y6iCBzGg5rZtoXS95Ijz03mslf6KAMCloESHObfwnHJDbkkWWQz6PhhU9kxsTbARtY2PTBOzq24uJFpHsMuAg==:"),
            ]))
        let covered: [ComponentIdentifier] = [
            .status, .field("content-digest"), .field("content-type"), ComponentIdentifier.authority.fromRequest,
            ComponentIdentifier.method.fromRequest, ComponentIdentifier.path.fromRequest,
            .field("content-digest", req: true),
        ]
        let parameters = SignatureParameters(created: Date(timeIntervalSince1970: 1_618_884_479), keyID: "test-key-ecc-p256")
        let message = SignableMessage.response(response, request: request)
        let base = try SignatureBase.make(for: message, components: covered, parameters: parameters)
        #expect(
            base == """
                "@status": 503
                "content-digest": sha-512=:0Y6iCBzGg5rZtoXS95Ijz03mslf6KAMCloESHObfwnHJDbkkWWQz6PhhU9kxsTbARtY2PTBOzq24uJFpHsMuAg==:
                "content-type": application/json
                "@authority";req: example.com
                "@method";req: POST
                "@path";req: /foo
                "content-digest";req: \(F.requestDigest)
                "@signature-params": ("@status" "content-digest" "content-type" "@authority";req "@method";req "@path";req "content-digest";req);created=1618884479;keyid="test-key-ecc-p256"
                """)

        let input = #"("@status" "content-digest" "content-type" "@authority";req "@method";req "@path";req "content-digest";req);created=1618884479;keyid="test-key-ecc-p256""#
        let signed = F.signed(message, label: "reqres", input: input, signature: F.signatureReqRes)
        let lookup = F.lookup("test-key-ecc-p256", pem: F.p256PublicKey)
        let now = Date(timeIntervalSince1970: 1_618_884_479)
        _ = try await self.verifier.verify(signed, body: nil, now: now, keyLookup: lookup)

        // The same response paired with another request must not verify.
        var otherRequest = request
        otherRequest.path = "/bar"
        let mismatched = F.signed(
            .response(response, request: otherRequest), label: "reqres", input: input, signature: F.signatureReqRes)
        await #expect(throws: SigningError.self) {
            try await self.verifier.verify(mismatched, body: nil, now: now, keyLookup: lookup)
        }
    }

    @Test("B.3 TLS-terminating proxy signature over a client-cert field")
    func proxy() async throws {
        let request = RequestComponents(
            method: "POST", scheme: "https", authority: "service.internal.example", path: "/foo",
            query: "param=Value&Pet=dog",
            fields: HTTPFields([
                ("Host", "service.internal.example"),
                ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
                ("Content-Type", "application/json"),
                ("Content-Length", "18"),
                ("Client-Cert", F.clientCertificateField),
            ]))
        let covered = self.components(["@path", "@query", "@method", "@authority", "client-cert"])
        let parameters = SignatureParameters(created: F.created, keyID: "test-key-ecc-p256")
        let base = try SignatureBase.make(for: .request(request), components: covered, parameters: parameters)
        #expect(
            base == """
                "@path": /foo
                "@query": ?param=Value&Pet=dog
                "@method": POST
                "@authority": service.internal.example
                "client-cert": \(F.clientCertificateField)
                "@signature-params": ("@path" "@query" "@method" "@authority" "client-cert");created=1618884473;keyid="test-key-ecc-p256"
                """)
        let signed = F.signed(
            .request(request), label: "ttrp",
            input: #"("@path" "@query" "@method" "@authority" "client-cert");created=1618884473;keyid="test-key-ecc-p256""#,
            signature: F.signatureB3)
        _ = try await self.verifier.verify(
            signed, body: nil, now: F.created, keyLookup: F.lookup("test-key-ecc-p256", pem: F.p256PublicKey))
    }

    @Test("B.4 ed25519 signature survives uncovered changes, reproduced exactly")
    func transformations() async throws {
        let covered = self.components(["@method", "@path", "@authority", "accept"])
        let parameters = SignatureParameters(created: F.created, keyID: "test-key-ed25519")
        let original = try RequestComponents(
            method: "GET", targetURI: "https://example.org/demo?name1=Value1&Name2=value2",
            fields: HTTPFields([("Host", "example.org"), ("Date", "Fri, 15 Jul 2022 14:24:55 GMT"),
                ("Accept", "application/json"), ("Accept", "*/*")]))
        var message = SignableMessage.request(original)
        let signer = MessageSigner(key: try SigningKey(pemRepresentation: F.ed25519PrivateKey), keyID: "test-key-ed25519")
        let base = try signer.sign(&message, label: "transform", components: covered, parameters: parameters)
        #expect(
            base == """
                "@method": GET
                "@path": /demo
                "@authority": example.org
                "accept": application/json, */*
                "@signature-params": ("@method" "@path" "@authority" "accept");created=1618884473;keyid="test-key-ed25519"
                """)
        #expect(message.fields.values(named: "Signature") == ["transform=:\(F.signatureB4):"])

        // An intermediary adds a query parameter and a header, and joins Accept into one line.
        let transformed = try RequestComponents(
            method: "GET", targetURI: "https://example.org/demo?name1=Value1&Name2=value2&param=added",
            fields: HTTPFields([("Host", "example.org"), ("Accept", "application/json, */*"),
                ("Accept-Language", "en-US,en;q=0.5")]))
        let relayed = F.signed(
            .request(transformed), label: "transform",
            input: #"("@method" "@path" "@authority" "accept");created=1618884473;keyid="test-key-ed25519""#,
            signature: F.signatureB4)
        let lookup = F.lookup("test-key-ed25519", pem: F.ed25519PublicKey)
        _ = try await self.verifier.verify(relayed, body: nil, now: F.created, keyLookup: lookup)

        // Reordering the covered Accept values breaks it.
        var reordered = transformed
        reordered.fields.set(name: "Accept", value: "*/*, application/json")
        let broken = F.signed(
            .request(reordered), label: "transform",
            input: #"("@method" "@path" "@authority" "accept");created=1618884473;keyid="test-key-ed25519""#,
            signature: F.signatureB4)
        await #expect(throws: SigningError.self) {
            try await self.verifier.verify(broken, body: nil, now: F.created, keyLookup: lookup)
        }
    }
}
