import Foundation
import HTTPTypes
import RawStructuredFieldValues

/// Signs HTTP messages (RFC 9421 §3.1) with one key and adds the result under a label, keeping the
/// signatures other parties already put in `Signature-Input`/`Signature`.
public struct MessageSigner: Sendable {
    /// The private key.
    public let key: SigningKey
    /// The `keyid` written into signatures made by ``sign(_:label:components:created:expires:nonce:tag:)``.
    public let keyID: String

    /// Creates a signer for `key`, registered under `keyID`.
    public init(key: SigningKey, keyID: String) {
        self.key = key
        self.keyID = keyID
    }

    /// Signs with `created`, `keyid`, `alg` and the given optional parameters; returns the signature base.
    @discardableResult
    public func sign(
        _ message: inout SignableMessage,
        label: String,
        components: [ComponentIdentifier],
        created: Date,
        expires: Date? = nil,
        nonce: String? = nil,
        tag: String? = nil
    ) throws -> String {
        let parameters = SignatureParameters(
            created: created, expires: expires, nonce: nonce, algorithm: self.key.algorithm, keyID: self.keyID, tag: tag)
        return try self.sign(&message, label: label, components: components, parameters: parameters)
    }

    /// Signs with exactly `parameters` (nothing added); returns the signature base.
    @discardableResult
    public func sign(
        _ message: inout SignableMessage,
        label: String,
        components: [ComponentIdentifier],
        parameters: SignatureParameters
    ) throws -> String {
        if let algorithm = parameters.algorithm, algorithm != self.key.algorithm {
            throw SigningError(.keyInvalid, "alg \(algorithm.wireName) does not match the \(self.key.algorithm.wireName) key")
        }
        guard Self.isValidLabel(label) else {
            throw SigningError(.signatureInvalid, "'\(label)' is not a valid signature label")
        }
        var signatureFields = try SignatureFields(message.fields)
        let signatureParams = SignatureBase.signatureParams(components, parameters)
        let base = try SignatureBase.make(for: message, signatureParams: signatureParams)
        let signature = try self.key.signature(for: Data(base.utf8))
        signatureFields.inputs[label] = .innerList(signatureParams)
        signatureFields.signatures[label] = .item(
            Item(bareItem: RFC9651BareItem.undecodedByteSequence(signature.base64EncodedString()), parameters: [:]))
        try signatureFields.write(to: &message.fields)
        return base
    }

    /// Signs Rabt's receipt on a response (label `rabt`): `"@status" "content-digest" "exchange-id"`
    /// and, from the request, `"@method";req "@path";req "@query";req`, `"content-digest";req` when
    /// the request has one, and with `consumerLabel` the consumer's own signature and its
    /// parameters (`"signature";key=…;req "signature-input";key=…;req`, which hold its nonce):
    /// the receipt names exactly which signed request it answers.
    ///
    /// Sets the response's `Content-Digest` (sha-256) from `body` first. A provider's existing digest is
    /// kept when it matches `body` (`digest-mismatch` is thrown when it does not, since Rabt would
    /// otherwise attest to a wrong digest) and replaced when it has no sha-256/sha-512 member.
    @discardableResult
    public func signReceipt(
        _ response: inout ResponseComponents,
        request: RequestComponents,
        consumerLabel: String? = nil,
        body: some DataProtocol,
        created: Date,
        nonce: String? = SignatureParameters.randomNonce(),
        label: String = "rabt"
    ) throws -> String {
        do {
            try ContentDigest.verify(response.fields, body: body)
        } catch let error as SigningError where error.code == .digestMissing {
            response.fields[.contentDigest] = ContentDigest.fieldValue(for: body)
        }
        var components: [ComponentIdentifier] = [
            .status, .field("content-digest"), .field("exchange-id"), ComponentIdentifier.method.fromRequest,
            ComponentIdentifier.path.fromRequest, ComponentIdentifier.query.fromRequest,
        ]
        if request.fields.contains(.contentDigest) {
            components.append(.field("content-digest", req: true))
        }
        if let consumerLabel {
            components.append(.field("signature", key: consumerLabel, req: true))
            components.append(.field("signature-input", key: consumerLabel, req: true))
        }
        var message = SignableMessage.response(response, request: request)
        let base = try self.sign(&message, label: label, components: components, created: created, nonce: nonce)
        response.fields = message.fields
        return base
    }

    /// Labels are dictionary keys: a lowercase letter or `*`, then `a-z 0-9 _ - . *`.
    static func isValidLabel(_ label: String) -> Bool {
        guard let first = label.unicodeScalars.first, first == "*" || ("a"..."z").contains(first) else { return false }
        return label.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_-.*".unicodeScalars.contains($0) }
    }
}
