import Crypto
import FieldLines
import HTTPTypes
import Foundation
import Signing
import Testing

/// Rabt's exchange-request policy: every rule accepts a correct request and rejects a short one.
@Suite("Signature verification policy")
struct VerificationPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let body = Data(#"{"nationalId": "9871234567"}"#.utf8)

    let key = SigningKey(Curve25519.Signing.PrivateKey())
    var signer: MessageSigner { MessageSigner(key: self.key, keyID: "mol-2026") }

    func lookup(notAfter: Date? = nil) -> @Sendable (String) async throws -> RegisteredKey? {
        let registered = RegisteredKey(keyID: "mol-2026", key: self.key.publicKey, notAfter: notAfter)
        return { keyID in keyID == registered.keyID ? registered : nil }
    }

    /// A consumer request with a body and a matching Content-Digest.
    func request(extraFields: [(String, String)] = []) throws -> RequestComponents {
        try RequestComponents(
            method: "POST", targetURI: "https://127.0.0.1:8443/exchange/moj/criminal-record/v1/certificates?lang=ar",
            fields: HTTPFields(
                [("Content-Type", "application/json"), ("Content-Digest", ContentDigest.fieldValue(for: Self.body))]
                    + extraFields))
    }

    static let fullCoverage: [ComponentIdentifier] = [.method, .targetURI, .field("content-digest")]

    func signed(
        _ request: RequestComponents,
        components: [ComponentIdentifier] = Self.fullCoverage,
        created: Date = Self.now,
        expires: Date? = nil,
        nonce: String? = "n-1"
    ) throws -> SignableMessage {
        var message = SignableMessage.request(request)
        try self.signer.sign(&message, label: "sig1", components: components, created: created, expires: expires, nonce: nonce)
        return message
    }

    func verify(_ message: SignableMessage, body: Data? = Self.body, policy: VerificationPolicy = .exchangeRequest)
        async throws -> VerifiedSignature
    {
        try await SignatureVerifier(policy: policy).verify(message, body: body, now: Self.now, keyLookup: self.lookup())
    }

    @Test("a complete request verifies and reports what the Broker needs")
    func accepts() async throws {
        let verified = try await self.verify(try self.signed(try self.request()))
        #expect(verified.label == "sig1")
        #expect(verified.keyID == "mol-2026")
        #expect(verified.algorithm == .ed25519)
        #expect(verified.nonce == "n-1")
        #expect(verified.created == Self.now)
        #expect(verified.rememberNonceUntil == Self.now.addingTimeInterval(300))
        #expect(verified.coveredComponents == Self.fullCoverage)
    }

    @Test("@authority @path @query may stand in for @target-uri")
    func acceptsParts() async throws {
        let components: [ComponentIdentifier] = [.method, .authority, .path, .query, .field("content-digest")]
        _ = try await self.verify(try self.signed(try self.request(), components: components))
    }

    @Test("missing signature fields or label: signature-missing")
    func missing() async throws {
        await expectSigningError(.signatureMissing) {
            _ = try await self.verify(.request(try self.request()))
        }
        let message = try self.signed(try self.request())
        await expectSigningError(.signatureMissing, containing: "other") {
            _ = try await SignatureVerifier().verify(
                message, body: Self.body, label: "other", now: Self.now, keyLookup: self.lookup())
        }
    }

    @Test("coverage shortfalls: signature-incomplete naming what is missing")
    func incomplete() async throws {
        await expectSigningError(.signatureIncomplete, containing: "does not cover content-digest") {
            _ = try await self.verify(try self.signed(try self.request(), components: [.method, .targetURI]))
        }
        await expectSigningError(.signatureIncomplete, containing: "does not cover @method") {
            _ = try await self.verify(try self.signed(try self.request(), components: [.targetURI, .field("content-digest")]))
        }
        await expectSigningError(.signatureIncomplete, containing: "@query") {
            _ = try await self.verify(
                try self.signed(try self.request(), components: [.method, .authority, .path, .field("content-digest")]))
        }
        let withKey = try self.request(extraFields: [("Idempotency-Key", "\"8e03978e\"")])
        await expectSigningError(.signatureIncomplete, containing: "does not cover idempotency-key") {
            _ = try await self.verify(try self.signed(withKey))
        }
        _ = try await self.verify(try self.signed(withKey, components: Self.fullCoverage + [.field("idempotency-key")]))
        await expectSigningError(.signatureIncomplete, containing: "lack nonce") {
            _ = try await self.verify(try self.signed(try self.request(), nonce: nil))
        }
    }

    @Test("a Content-Digest is checked even when the body is empty: a signed digest of a dropped body fails")
    func digestOfADroppedBody() async throws {
        let signed = try self.signed(try self.request())
        await expectSigningError(.digestMismatch) {
            _ = try await self.verify(signed, body: Data())
        }
    }

    @Test("a nonce longer than the policy allows is signature-invalid: it would be remembered")
    func nonceLength() async throws {
        _ = try await self.verify(try self.signed(try self.request(), nonce: String(repeating: "n", count: 256)))
        await expectSigningError(.signatureInvalid, containing: "nonce is longer than 256") {
            _ = try await self.verify(try self.signed(try self.request(), nonce: String(repeating: "n", count: 257)))
        }
    }

    @Test("missing created, alg or keyid: signature-incomplete")
    func incompleteParameters() async throws {
        var message = SignableMessage.request(try self.request())
        try self.signer.sign(
            &message, label: "sig1", components: Self.fullCoverage, parameters: SignatureParameters(nonce: "n-2"))
        await expectSigningError(.signatureIncomplete, containing: "created, keyid, alg") {
            _ = try await self.verify(message)
        }
    }

    @Test("a body without a covered digest is fine when there is no body")
    func noBody() async throws {
        let request = try RequestComponents(method: "GET", targetURI: "https://127.0.0.1:8443/exchange/moj/svc/v1/x")
        _ = try await self.verify(try self.signed(request, components: [.method, .targetURI]), body: nil)
        _ = try await self.verify(try self.signed(request, components: [.method, .targetURI]), body: Data())
    }

    @Test("created outside the skew or expires passed: signature-expired")
    func expired() async throws {
        await expectSigningError(.signatureExpired, containing: "older") {
            _ = try await self.verify(try self.signed(try self.request(), created: Self.now.addingTimeInterval(-301)))
        }
        await expectSigningError(.signatureExpired, containing: "future") {
            _ = try await self.verify(try self.signed(try self.request(), created: Self.now.addingTimeInterval(301)))
        }
        await expectSigningError(.signatureExpired, containing: "expired") {
            _ = try await self.verify(
                try self.signed(try self.request(), created: Self.now.addingTimeInterval(-10), expires: Self.now))
        }
        // Within the skew both ways is accepted; expires shortens how long the nonce must be kept.
        let early = try await self.verify(
            try self.signed(
                try self.request(), created: Self.now.addingTimeInterval(-299), expires: Self.now.addingTimeInterval(1)))
        #expect(early.rememberNonceUntil == Self.now.addingTimeInterval(1))
        _ = try await self.verify(try self.signed(try self.request(), created: Self.now.addingTimeInterval(299)))
    }

    @Test("unknown or expired keys: unknown-key")
    func unknownKey() async throws {
        let message = try self.signed(try self.request())
        await expectSigningError(.unknownKey) {
            _ = try await SignatureVerifier().verify(message, body: Self.body, now: Self.now) { _ in nil }
        }
        await expectSigningError(.unknownKey, containing: "not valid") {
            _ = try await SignatureVerifier().verify(
                message, body: Self.body, now: Self.now, keyLookup: self.lookup(notAfter: Self.now))
        }
    }

    @Test("alg that does not match the registered key: signature-invalid")
    func algorithmMismatch() async throws {
        let message = try self.signed(try self.request())
        let other = RegisteredKey(keyID: "mol-2026", key: SigningKey(P256.Signing.PrivateKey()).publicKey)
        await expectSigningError(.signatureInvalid, containing: "alg ed25519") {
            _ = try await SignatureVerifier().verify(message, body: Self.body, now: Self.now) { _ in other }
        }
    }

    @Test("tampering: a changed body is digest-mismatch, a changed method or signature is signature-invalid")
    func tampering() async throws {
        let message = try self.signed(try self.request())
        await expectSigningError(.digestMismatch) {
            _ = try await self.verify(message, body: Data(#"{"nationalId": "0000000000"}"#.utf8))
        }
        guard case .request(var request) = message else { return }
        request.method = "PUT"
        await expectSigningError(.signatureInvalid, containing: "does not verify") {
            _ = try await self.verify(.request(request))
        }
        guard case .request(var forged) = message else { return }
        forged.fields.set(name: "Signature", value: "sig1=:\(Data(repeating: 7, count: 64).base64EncodedString()):")
        await expectSigningError(.signatureInvalid, containing: "does not verify") {
            _ = try await self.verify(.request(forged))
        }
        guard case .request(var malformed) = message else { return }
        malformed.fields.set(name: "Signature-Input", value: "sig1=(\"@method\"")
        await expectSigningError(.signatureInvalid, containing: "structured dictionary") {
            _ = try await self.verify(.request(malformed))
        }
    }

    @Test("a covered digest is checked against the body even when the policy does not demand one")
    func coveredDigestChecked() async throws {
        var policy = VerificationPolicy.exchangeRequest
        policy.requiresContentDigestForBody = false
        let message = try self.signed(try self.request())
        _ = try await self.verify(message, policy: policy)
        await expectSigningError(.digestMismatch) {
            _ = try await self.verify(message, body: Data("other".utf8), policy: policy)
        }
    }

    @Test("an empty Signature-Input is signature-missing")
    func emptyInput() async throws {
        var request = try self.request()
        request.fields.append(name: "Signature-Input", value: "")
        request.fields.append(name: "Signature", value: "")
        await expectSigningError(.signatureMissing, containing: "empty") {
            _ = try await self.verify(.request(request))
        }
    }

    @Test("a digest with no supported algorithm: digest-missing")
    func digestMissing() async throws {
        var request = try self.request()
        request.fields.set(name: "Content-Digest", value: "md5=:AAAAAAAAAAAAAAAAAAAAAA==:")
        await expectSigningError(.digestMissing) {
            _ = try await self.verify(try self.signed(request))
        }
    }
}
