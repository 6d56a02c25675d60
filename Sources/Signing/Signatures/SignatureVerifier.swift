import Foundation
import HTTPTypes
import RawStructuredFieldValues

/// Verifies an RFC 9421 signature on a message and enforces a ``VerificationPolicy``.
///
/// Checks run cheapest first: presence and structure, required parameters, coverage, time, key,
/// `Content-Digest` against the body, and finally the cryptographic signature. Replay detection is
/// the caller's job: ``VerifiedSignature/nonce`` and ``VerifiedSignature/rememberNonceUntil``.
public struct SignatureVerifier: Sendable {
    /// The rules a signature must meet.
    public var policy: VerificationPolicy

    /// Creates a verifier; by default with Rabt's exchange-request policy.
    public init(policy: VerificationPolicy = .exchangeRequest) {
        self.policy = policy
    }

    /// Verifies the signature labelled `label` (or the only one present) on `message`.
    ///
    /// - Parameters:
    ///   - body: the message body; empty means no body (then no digest is required, but a
    ///     `Content-Digest` the message carries must be that of the empty body); nil when the body
    ///     is not at hand, so no digest is checked (RFC 9421's examples).
    ///   - now: the current time, for `created`, `expires` and key validity.
    ///   - keyLookup: returns the key registered to the sender under a `keyid`, or nil. Its errors
    ///     are passed through unchanged.
    /// - Throws: ``SigningError`` with codes `signature-missing`, `signature-invalid`,
    ///   `signature-incomplete`, `signature-expired`, `unknown-key`, `digest-missing`, `digest-mismatch`.
    public func verify(
        _ message: SignableMessage,
        body: Data?,
        label: String? = nil,
        now: Date,
        keyLookup: (String) async throws -> RegisteredKey?
    ) async throws -> VerifiedSignature {
        let fields = message.fields
        guard fields.contains(.signatureInput), fields.contains(.signature) else {
            throw SigningError(.signatureMissing, "the message has no Signature-Input and Signature")
        }
        let signatureFields = try SignatureFields(fields)
        let chosenLabel = try self.chooseLabel(label, in: signatureFields)
        guard !self.policy.reservedLabels.contains(chosenLabel) else {
            throw SigningError(.signatureInvalid, "the label \(chosenLabel) is reserved for the exchange's own signatures; sign under another label")
        }
        guard case .innerList(let signatureParams)? = signatureFields.inputs[chosenLabel] else {
            throw SigningError(.signatureInvalid, "Signature-Input \(chosenLabel) is not an inner list")
        }
        guard case .item(let signatureItem)? = signatureFields.signatures[chosenLabel],
            case .undecodedByteSequence(let encoded) = signatureItem.rfc9651BareItem,
            let signature = Data(base64Encoded: encoded)
        else {
            throw SigningError(.signatureInvalid, "Signature \(chosenLabel) is not a byte sequence")
        }

        let parameters = try ParsedParameters(signatureParams.rfc9651Parameters)
        let covered = try signatureParams.bareInnerList.map(ComponentIdentifier.init(item:))
        try self.checkRequiredParameters(parameters)
        let hasBody = !(body?.isEmpty ?? true)
        if let shortfall = self.policy.missingCoverage(covered, message: message, hasBody: hasBody) {
            throw SigningError(.signatureIncomplete, shortfall)
        }
        try self.checkTime(parameters, now: now)

        guard let keyID = parameters.keyID, let registered = try await keyLookup(keyID) else {
            throw SigningError(.unknownKey, "keyid is not a key registered to the sender")
        }
        guard registered.isValid(at: now) else {
            throw SigningError(.unknownKey, "key \(keyID) is not valid at this time")
        }
        let algorithm = registered.key.algorithm
        if let stated = parameters.algorithm, stated != algorithm.wireName {
            throw SigningError(.signatureInvalid, "alg \(stated) does not match key \(keyID) (\(algorithm.wireName))")
        }

        // A digest is only worth something if it matches the body: a body the policy wants digested
        // is checked, and so is any Content-Digest the message carries, even over an empty body
        // (a signed digest of a body that was then dropped must not pass).
        let coversDigest = covered.contains { $0.name == "content-digest" && !$0.isFromRequest }
        if let body, hasBody && (self.policy.requiresContentDigestForBody || coversDigest) || fields.contains(.contentDigest) {
            try ContentDigest.verify(fields, body: body)
        }
        let base = try SignatureBase.make(for: message, signatureParams: signatureParams)
        guard registered.key.isValidSignature(signature, for: Data(base.utf8)) else {
            throw SigningError(.signatureInvalid, "signature \(chosenLabel) does not verify with key \(keyID)")
        }

        let skew = TimeInterval(self.policy.clockSkew.components.seconds)
        var rememberUntil = parameters.created.map { $0.addingTimeInterval(skew) } ?? now.addingTimeInterval(skew)
        if let expires = parameters.expires, expires < rememberUntil {
            rememberUntil = expires
        }
        return VerifiedSignature(
            label: chosenLabel, keyID: keyID, algorithm: algorithm, created: parameters.created,
            expires: parameters.expires, nonce: parameters.nonce, tag: parameters.tag, coveredComponents: covered,
            rememberNonceUntil: rememberUntil)
    }

    private func chooseLabel(_ label: String?, in fields: SignatureFields) throws -> String {
        if let label {
            guard fields.inputs[label] != nil, fields.signatures[label] != nil else {
                throw SigningError(.signatureMissing, "the message has no signature labelled \(label)")
            }
            return label
        }
        let labels = fields.inputs.map(\.0)
        guard !labels.isEmpty else {
            throw SigningError(.signatureMissing, "Signature-Input is empty")
        }
        guard labels.count == 1, let only = labels.first else {
            throw SigningError(.signatureInvalid, "several signatures present; a label must be chosen")
        }
        guard fields.signatures[only] != nil else {
            throw SigningError(.signatureMissing, "Signature has no member \(only)")
        }
        return only
    }

    private func checkRequiredParameters(_ parameters: ParsedParameters) throws {
        var missing: [String] = []
        if self.policy.requiresCreated && parameters.created == nil { missing.append("created") }
        if parameters.keyID == nil { missing.append("keyid") }
        if self.policy.requiresAlgorithm && parameters.algorithm == nil { missing.append("alg") }
        if self.policy.requiresNonce && parameters.nonce == nil { missing.append("nonce") }
        if !missing.isEmpty {
            throw SigningError(.signatureIncomplete, "signature parameters lack \(missing.joined(separator: ", "))")
        }
        for (name, value) in [("nonce", parameters.nonce), ("keyid", parameters.keyID), ("tag", parameters.tag)] {
            if let value, value.utf8.count > self.policy.maxParameterLength {
                throw SigningError(.signatureInvalid, "\(name) is longer than \(self.policy.maxParameterLength) characters")
            }
        }
    }

    private func checkTime(_ parameters: ParsedParameters, now: Date) throws {
        let skew = TimeInterval(self.policy.clockSkew.components.seconds)
        if let created = parameters.created {
            if created > now.addingTimeInterval(skew) {
                throw SigningError(.signatureExpired, "created lies in the future beyond the allowed skew")
            }
            if created < now.addingTimeInterval(-skew) {
                throw SigningError(.signatureExpired, "created is older than the allowed skew")
            }
        }
        if let expires = parameters.expires, expires <= now {
            throw SigningError(.signatureExpired, "the signature expired")
        }
    }
}

/// The signature parameters read from a `Signature-Input` member; unknown ones are ignored.
private struct ParsedParameters {
    var created: Date?
    var expires: Date?
    var nonce: String?
    var algorithm: String?
    var keyID: String?
    var tag: String?

    init(_ parameters: OrderedMap<String, RFC9651BareItem>) throws {
        for (name, value) in parameters {
            switch (name, value) {
            case ("created", .integer(let seconds)): self.created = Date(timeIntervalSince1970: TimeInterval(seconds))
            case ("expires", .integer(let seconds)): self.expires = Date(timeIntervalSince1970: TimeInterval(seconds))
            case ("nonce", .string(let text)): self.nonce = text
            case ("alg", .string(let text)): self.algorithm = text
            case ("keyid", .string(let text)): self.keyID = text
            case ("tag", .string(let text)): self.tag = text
            case ("created", _), ("expires", _), ("nonce", _), ("alg", _), ("keyid", _), ("tag", _):
                throw SigningError(.signatureInvalid, "signature parameter \(name) has the wrong type")
            default:
                continue
            }
        }
    }
}
