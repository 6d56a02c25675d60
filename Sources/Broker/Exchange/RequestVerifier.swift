import Foundation
import Signing
import Store
import Synchronization

/// A request whose caller and signature Rabt has proved. Only ``RequestVerifier`` makes one.
struct VerifiedRequest: Sendable {
    /// The request as received.
    let request: ExchangeRequest
    /// The calling agency (client certificate and signing key agree on it).
    let consumer: String
    /// The verified signature of the consumer.
    let signature: VerifiedSignature

    fileprivate init(request: ExchangeRequest, consumer: String, signature: VerifiedSignature) {
        self.request = request
        self.consumer = consumer
        self.signature = signature
    }
}

/// Proves who sent an exchange request: a registered, active agency whose registered key
/// signed the request (RFC 9421), whose body matches its `Content-Digest`, and whose nonce
/// was not seen before.
struct RequestVerifier: Sendable {
    let store: any ExchangeStore
    let verifier: SignatureVerifier
    /// The names this node answers as; a request signed for another is refused.
    let publicNames: PublicNames
    /// Public keys already read from their PEM text, so no exchange parses a key twice.
    let parsedKeys = ParsedKeys()

    /// Checks that the certificate's agency is registered and active.
    func requireActiveAgency(_ id: String) async throws(Problem) {
        let agency: Agency?
        do { agency = try await store.agency(id: id) } catch { throw Problem(error) }
        guard let agency else {
            throw Problem(.unknownAgency, "No agency '\(id)' is registered for this client certificate.")
        }
        guard agency.status == .active else {
            throw Problem(.agencySuspended, "Agency '\(id)' is suspended and may not call the exchange.")
        }
    }

    /// Verifies the consumer's signature, the body against its `Content-Digest`, and the nonce.
    func verify(_ request: ExchangeRequest, consumer: String, now: Date = Date()) async throws(Problem) -> VerifiedRequest {
        guard publicNames.contains(request.authority) else {
            if request.absoluteForm {
                throw Problem(
                    .targetInvalid,
                    "The absolute-form target names '\(request.authority.prefix(100))'; this exchange answers as \(publicNames.all.joined(separator: ", "))."
                )
            }
            throw Problem(
                .signatureInvalid,
                "The request is addressed to, and signed for, '\(request.authority.prefix(100))'; this exchange answers as \(publicNames.all.joined(separator: ", ")). Sign for one of those names."
            )
        }
        let signature: VerifiedSignature
        do {
            signature = try await verifier.verify(.request(request.components), body: Data(request.body), now: now) { keyId in
                try await registeredKey(keyId, agency: consumer, now: now)
            }
        } catch {
            throw Problem(signingError: error)
        }
        try await checkReplay(signature, now: now)
        return VerifiedRequest(request: request, consumer: consumer, signature: signature)
    }

    /// The registered key `keyId` of `agency`; nil makes the verifier answer `unknown-key`.
    /// A revoked key ends its validity at the revocation time.
    private func registeredKey(_ keyId: String, agency: String, now: Date) async throws -> RegisteredKey? {
        guard let key = try await store.key(id: keyId), key.agencyId == agency else { return nil }
        let ends = key.validUntil
        return RegisteredKey(
            keyID: key.keyId, key: try parsedKeys.key(pem: key.publicKeyPEM),
            notBefore: key.notBefore, notAfter: ends
        )
    }

    /// Remembers the nonce for as long as the signature could otherwise be accepted again.
    private func checkReplay(_ signature: VerifiedSignature, now: Date) async throws(Problem) {
        guard let nonce = signature.nonce else { return }  // the policy requires one; kept total
        let fresh: Bool
        do {
            fresh = try await store.registerNonce(nonce, keyId: signature.keyID, expiresAt: signature.rememberNonceUntil)
        } catch {
            throw Problem(error)
        }
        guard fresh else {
            throw Problem(.replay, "The nonce of this signature was already used; sign every request with a fresh nonce.")
        }
    }
}

extension Problem {
    /// The problem a signature or digest failure becomes; the message says what to fix.
    init(signingError error: any Error) {
        guard let error = error as? SigningError else {
            self.init(.signatureInvalid, "The signature could not be verified.", underlying: error)
            return
        }
        let type: ProblemType =
            switch error.code {
            case .signatureMissing: .signatureMissing
            case .signatureIncomplete: .signatureIncomplete
            case .signatureExpired: .signatureExpired
            case .unknownKey: .unknownKey
            case .digestMismatch: .digestMismatch
            case .digestMissing: .digestMissing
            default: .signatureInvalid
            }
        self.init(type, error.message.prefix(1).uppercased() + error.message.dropFirst() + ".", underlying: error)
    }
}

/// Verification keys by their PEM text. The registry row is still read on every exchange (so a
/// revocation applies at once); only the parsing of the same text is done once.
final class ParsedKeys: Sendable {
    private let keys = Mutex<[String: VerificationKey]>([:])
    private static let limit = 4096

    func key(pem: String) throws -> VerificationKey {
        if let known = keys.withLock({ $0[pem] }) { return known }
        let key = try VerificationKey(pemRepresentation: pem)
        keys.withLock { keys in
            if keys.count >= Self.limit { keys.removeAll(keepingCapacity: true) }
            keys[pem] = key
        }
        return key
    }
}
