import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// A public key that verifies HTTP message signatures made with one ``SignatureAlgorithm``.
public struct VerificationKey: Sendable, Hashable {
    private let backing: Certificate.PublicKey

    /// The algorithm this key verifies; RSA keys verify `rsa-pss-sha512`.
    public let algorithm: SignatureAlgorithm

    /// Wraps an Ed25519 public key.
    public init(_ key: Curve25519.Signing.PublicKey) {
        self.backing = Certificate.PublicKey(key)
        self.algorithm = .ed25519
    }

    /// Wraps a P-256 public key for `ecdsa-p256-sha256`.
    public init(_ key: P256.Signing.PublicKey) {
        self.backing = Certificate.PublicKey(key)
        self.algorithm = .ecdsaP256SHA256
    }

    /// Wraps an RSA public key for `rsa-pss-sha512`.
    public init(_ key: _RSA.Signing.PublicKey) {
        self.backing = Certificate.PublicKey(key)
        self.algorithm = .rsaPSSSHA512
    }

    /// Takes the subject public key of a certificate.
    public init(_ key: Certificate.PublicKey) throws {
        if let ed = Curve25519.Signing.PublicKey(key) {
            self.init(ed)
        } else if let p256 = P256.Signing.PublicKey(key) {
            self.init(p256)
        } else if let rsa = _RSA.Signing.PublicKey(key) {
            guard rsa.keySizeInBits >= 2048 else {
                throw SigningError(.keyInvalid, "RSA keys must have at least 2048 bits")
            }
            self.init(rsa)
        } else {
            throw SigningError(.keyInvalid, "public key is not an Ed25519, P-256 or RSA key")
        }
    }

    /// Reads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) or a PEM `CERTIFICATE` (its subject key).
    public init(pemRepresentation pem: String) throws {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: pem)
        } catch {
            throw SigningError(.keyInvalid, "not a PEM document", cause: error)
        }
        guard let document = documents.first else {
            throw SigningError(.keyInvalid, "no PEM document found")
        }
        do {
            switch document.discriminator {
            case "CERTIFICATE":
                try self.init(Certificate(pemDocument: document).publicKey)
            case "PUBLIC KEY":
                try self.init(Certificate.PublicKey(pemDocument: document))
            default:
                throw SigningError(.keyInvalid, "PEM type \(document.discriminator) holds no public key")
            }
        } catch let error as SigningError {
            throw error
        } catch {
            throw SigningError(.keyInvalid, "PEM public key could not be read", cause: error)
        }
    }

    /// The key as PEM SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`).
    public var pemRepresentation: String {
        // Serialising a key that was parsed or built from a valid swift-crypto key cannot fail.
        (try? self.backing.serializeAsPEM().pemString) ?? ""
    }

    /// The key as it appears in a certificate.
    public var certificatePublicKey: Certificate.PublicKey { self.backing }

    /// Whether `signature` (raw RFC 9421 bytes) is valid for `data` (the signature base).
    public func isValidSignature(_ signature: some DataProtocol, for data: some DataProtocol) -> Bool {
        switch self.algorithm {
        case .ed25519:
            guard let key = Curve25519.Signing.PublicKey(self.backing) else { return false }
            return key.isValidSignature(signature, for: data)
        case .ecdsaP256SHA256:
            guard let key = P256.Signing.PublicKey(self.backing),
                let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(ecdsa, for: SHA256.hash(data: data))
        case .rsaPSSSHA512:
            guard let key = _RSA.Signing.PublicKey(self.backing) else { return false }
            let rsa = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return key.isValidSignature(rsa, for: SHA512.hash(data: data), padding: .PSS)
        }
    }
}
