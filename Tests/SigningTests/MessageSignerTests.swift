import Crypto
import FieldLines
import HTTPTypes
import Foundation
import Signing
import Testing
import _CryptoExtras

@Suite("Signing messages")
struct MessageSignerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let body = Data(#"{"nationalId": "9871234567"}"#.utf8)

    static func request() throws -> RequestComponents {
        try RequestComponents(
            method: "POST", targetURI: "https://127.0.0.1:8443/exchange/moj/criminal-record/v1/certificates",
            fields: HTTPFields([("Content-Digest", ContentDigest.fieldValue(for: Self.body))]))
    }

    static func lookup(_ keys: [String: VerificationKey]) -> @Sendable (String) async throws -> RegisteredKey? {
        { keyID in keys[keyID].map { RegisteredKey(keyID: keyID, key: $0) } }
    }

    static let coverage: [ComponentIdentifier] = [.method, .targetURI, .field("content-digest")]

    @Test(
        "every algorithm signs and verifies under the exchange policy",
        arguments: [SignatureAlgorithm.ed25519, .ecdsaP256SHA256]
    )
    func roundTrip(algorithm: SignatureAlgorithm) async throws {
        let key = try SigningKey.generate(algorithm)
        var message = SignableMessage.request(try Self.request())
        try MessageSigner(key: key, keyID: "k1").sign(
            &message, label: "sig1", components: Self.coverage, created: Self.now, nonce: "abc")
        let input = try #require(message.fields.values(named: "Signature-Input").first)
        #expect(input.hasSuffix(";created=1800000000;keyid=\"k1\";alg=\"\(algorithm.wireName)\";nonce=\"abc\""))
        let verified = try await SignatureVerifier().verify(
            message, body: Self.body, now: Self.now, keyLookup: Self.lookup(["k1": key.publicKey]))
        #expect(verified.algorithm == algorithm)
    }

    @Test("ecdsa-p256-sha256 signatures are raw r‖s (64 bytes); DER is rejected")
    func ecdsaRaw() throws {
        let privateKey = P256.Signing.PrivateKey()
        let key = SigningKey(privateKey)
        let data = Data("base".utf8)
        let signature = try key.signature(for: data)
        #expect(signature.count == 64)
        #expect(key.publicKey.isValidSignature(signature, for: data))
        let der = try P256.Signing.ECDSASignature(rawRepresentation: signature).derRepresentation
        #expect(!key.publicKey.isValidSignature(der, for: data))
        #expect(!key.publicKey.isValidSignature(signature, for: Data("other".utf8)))
    }

    @Test("rsa-pss-sha512 signatures are randomised and verify; PEM keys round-trip")
    func rsaPSS() async throws {
        let key = try SigningKey.generate(.rsaPSSSHA512)
        #expect(key.algorithm == .rsaPSSSHA512)
        let reloaded = try SigningKey(pemRepresentation: key.pemRepresentation)
        #expect(reloaded.algorithm == .rsaPSSSHA512)
        let publicKey = try VerificationKey(pemRepresentation: key.publicKey.pemRepresentation)
        let data = Data("base".utf8)
        let first = try reloaded.signature(for: data)
        let second = try reloaded.signature(for: data)
        #expect(first != second)
        #expect(publicKey.isValidSignature(first, for: data) && publicKey.isValidSignature(second, for: data))
        #expect(!publicKey.isValidSignature(first, for: Data("other".utf8)))

        var message = SignableMessage.request(try Self.request())
        try MessageSigner(key: key, keyID: "rsa").sign(
            &message, label: "sig1", components: Self.coverage, created: Self.now, nonce: "n")
        _ = try await SignatureVerifier().verify(
            message, body: Self.body, now: Self.now, keyLookup: Self.lookup(["rsa": publicKey]))
    }

    @Test("Rabt's countersignature joins the consumer's, and both still verify")
    func merging() async throws {
        let consumer = SigningKey(Curve25519.Signing.PrivateKey())
        let rabt = SigningKey(P256.Signing.PrivateKey())
        var message = SignableMessage.request(try Self.request())
        try MessageSigner(key: consumer, keyID: "mol-1").sign(
            &message, label: "sig1", components: Self.coverage, created: Self.now, nonce: "c")
        try MessageSigner(key: rabt, keyID: "rabt-1").sign(
            &message, label: "rabt", components: [.field("signature", key: "sig1"), .method, .targetURI],
            created: Self.now, nonce: "r")

        let inputs = message.fields.values(named: "Signature-Input")
        #expect(inputs.count == 1)
        #expect(try #require(inputs.first).hasPrefix("sig1=("))
        #expect(try #require(inputs.first).contains(", rabt=(\"signature\";key=\"sig1\" \"@method\" \"@target-uri\")"))
        let lookup = Self.lookup(["mol-1": consumer.publicKey, "rabt-1": rabt.publicKey])
        let first = try await SignatureVerifier().verify(
            message, body: Self.body, label: "sig1", now: Self.now, keyLookup: lookup)
        #expect(first.keyID == "mol-1")
        var rabtPolicy = VerificationPolicy()
        rabtPolicy.requiresContentDigestForBody = false
        rabtPolicy.requiredComponents = [.field("signature", key: "sig1")]
        let second = try await SignatureVerifier(policy: rabtPolicy).verify(
            message, body: Self.body, label: "rabt", now: Self.now, keyLookup: lookup)
        #expect(second.keyID == "rabt-1")
        await expectSigningError(.signatureInvalid, containing: "several signatures") {
            _ = try await SignatureVerifier().verify(message, body: Self.body, now: Self.now, keyLookup: lookup)
        }

        // Changing the consumer's signature breaks Rabt's countersignature.
        var tampered = message
        var sig1Fields = tampered.fields
        let signatures = try #require(sig1Fields.values(named: "Signature").first)
        let forged = signatures.replacingOccurrences(of: "sig1=:", with: "sig1=:AAAA")
        sig1Fields.set(name: "Signature", value: forged)
        tampered.fields = sig1Fields
        await expectSigningError(.signatureInvalid, containing: "does not verify") {
            _ = try await SignatureVerifier(policy: rabtPolicy).verify(
                tampered, body: Self.body, label: "rabt", now: Self.now, keyLookup: lookup)
        }
    }

    @Test("signing the same label again replaces it")
    func replacesLabel() throws {
        let signer = MessageSigner(key: SigningKey(Curve25519.Signing.PrivateKey()), keyID: "k")
        var message = SignableMessage.request(try Self.request())
        try signer.sign(&message, label: "sig1", components: [.method], created: Self.now)
        try signer.sign(&message, label: "sig1", components: [.path], created: Self.now)
        #expect(message.fields.values(named: "Signature-Input") == ["sig1=(\"@path\");created=1800000000;keyid=\"k\";alg=\"ed25519\""])
    }

    @Test("signer refuses an alg that is not its key's, and labels that are not dictionary keys")
    func refuses() async throws {
        let signer = MessageSigner(key: SigningKey(Curve25519.Signing.PrivateKey()), keyID: "k")
        var message = SignableMessage.request(try Self.request())
        await expectSigningError(.keyInvalid) {
            try signer.sign(
                &message, label: "sig1", components: [.method],
                parameters: SignatureParameters(algorithm: .rsaPSSSHA512))
        }
        await expectSigningError(.signatureInvalid, containing: "label") {
            try signer.sign(&message, label: "Sig 1", components: [.method], created: Self.now)
        }
    }

    @Test("receipt: covers status, digest, exchange id and the request, verifiable by any RFC 9421 verifier")
    func receipt() async throws {
        let rabt = SigningKey(P256.Signing.PrivateKey())
        let signer = MessageSigner(key: rabt, keyID: "rabt-receipts")
        let request = try Self.request()
        let responseBody = Data(#"{"certificate": "clean"}"#.utf8)
        var response = ResponseComponents(
            status: 200, fields: HTTPFields([("Content-Type", "application/json"), ("Exchange-Id", "01J9X")]))
        let base = try signer.signReceipt(&response, request: request, body: responseBody, created: Self.now, nonce: "rn")
        #expect(response.fields.values(named: "Content-Digest") == [ContentDigest.fieldValue(for: responseBody)])
        #expect(
            base.hasSuffix(
                #""@signature-params": ("@status" "content-digest" "exchange-id" "@method";req "@path";req "@query";req "content-digest";req);created=1800000000;keyid="rabt-receipts";alg="ecdsa-p256-sha256";nonce="rn""#
            ))
        #expect(base.hasPrefix("\"@status\": 200\n"))

        let policy = VerificationPolicy(
            requiresTargetCoverage: false,
            fieldsCoveredWhenPresent: [],
            requiredComponents: [.status, .field("exchange-id"), ComponentIdentifier.method.fromRequest])
        let verified = try await SignatureVerifier(policy: policy).verify(
            .response(response, request: request), body: responseBody, label: "rabt", now: Self.now,
            keyLookup: Self.lookup(["rabt-receipts": rabt.publicKey]))
        #expect(verified.label == "rabt")

        // A provider's wrong digest is refused; an unusable one is replaced.
        var wrong = ResponseComponents(
            status: 200, fields: HTTPFields([("Exchange-Id", "01J9Z"), ("Content-Digest", ContentDigest.fieldValue(for: Data("x".utf8)))]))
        await expectSigningError(.digestMismatch) {
            try signer.signReceipt(&wrong, request: request, body: responseBody, created: Self.now)
        }
        var unusable = ResponseComponents(
            status: 200, fields: HTTPFields([("Exchange-Id", "01J9Z"), ("Content-Digest", "md5=:AAAAAAAAAAAAAAAAAAAAAA==:")]))
        try signer.signReceipt(&unusable, request: request, body: responseBody, created: Self.now)
        #expect(unusable.fields.values(named: "Content-Digest") == [ContentDigest.fieldValue(for: responseBody)])

        // A request without a body has no Content-Digest, so the receipt leaves "content-digest";req out.
        let get = try RequestComponents(method: "GET", targetURI: "https://127.0.0.1:8443/exchange/moj/svc/v1/x")
        var plain = ResponseComponents(status: 404, fields: HTTPFields([("Exchange-Id", "01J9Y")]))
        let plainBase = try signer.signReceipt(&plain, request: get, body: Data(), created: Self.now, nonce: nil)
        #expect(plainBase.contains(#"("@status" "content-digest" "exchange-id" "@method";req "@path";req "@query";req);"#))
        #expect(plainBase.contains("\"@query\";req: ?\n"))

        // With the consumer's label, the receipt binds the consumer's signature and its nonce.
        var signed = SignableMessage.request(try RequestComponents(method: "GET", targetURI: "https://127.0.0.1:8443/exchange/moj/svc/x?a=1"))
        try MessageSigner(key: SigningKey(Curve25519.Signing.PrivateKey()), keyID: "mol-1").sign(
            &signed, label: "sig1", components: [.method, .targetURI], created: Self.now, nonce: "consumer-nonce")
        guard case .request(let signedRequest) = signed else { return }
        var bound = ResponseComponents(status: 200, fields: HTTPFields([("Exchange-Id", "01J9W")]))
        let boundBase = try signer.signReceipt(&bound, request: signedRequest, consumerLabel: "sig1", body: Data(), created: Self.now)
        #expect(boundBase.contains("\"@query\";req: ?a=1\n"))
        #expect(boundBase.contains(#""signature-input";key="sig1";req: ("@method" "@target-uri");created=1800000000;keyid="mol-1";alg="ed25519";nonce="consumer-nonce""#))
        #expect(boundBase.contains(#""signature";key="sig1";req: :"#))
        let changed = signedRequest.fields.values(named: "Signature")[0].replacingOccurrences(of: "sig1=:", with: "sig1=:AAAA")
        var forged = signedRequest
        forged.fields.set(name: "Signature", value: changed)
        await expectSigningError(.signatureInvalid, containing: "does not verify") {
            _ = try await SignatureVerifier(policy: policy).verify(
                .response(bound, request: forged), body: Data(), label: "rabt", now: Self.now,
                keyLookup: Self.lookup(["rabt-receipts": rabt.publicKey]))
        }
    }

    @Test("keys load from PEM with the right algorithm and refuse the wrong one")
    func pemKeys() async throws {
        let ed = SigningKey(Curve25519.Signing.PrivateKey())
        #expect(try SigningKey(pemRepresentation: ed.pemRepresentation).algorithm == .ed25519)
        let p256 = SigningKey(P256.Signing.PrivateKey())
        #expect(try SigningKey(pemRepresentation: p256.pemRepresentation).algorithm == .ecdsaP256SHA256)
        await expectSigningError(.keyInvalid) {
            _ = try SigningKey(pemRepresentation: p256.pemRepresentation, algorithm: .ed25519)
        }
        await expectSigningError(.keyInvalid) {
            _ = try VerificationKey(pemRepresentation: "not pem")
        }
        #expect(try VerificationKey(pemRepresentation: RFC9421Fixtures.rsaPSSPublicKey).algorithm == .rsaPSSSHA512)
    }
}
