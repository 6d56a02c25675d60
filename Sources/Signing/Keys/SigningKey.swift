import Crypto
import Foundation
import _CryptoExtras

/// A private key that signs HTTP messages with one ``SignatureAlgorithm``.
public struct SigningKey: Sendable {
    private enum Backing: Sendable {
        case ed25519(Curve25519.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    private let backing: Backing

    /// The algorithm this key signs with.
    public var algorithm: SignatureAlgorithm {
        switch self.backing {
        case .ed25519: .ed25519
        case .p256: .ecdsaP256SHA256
        case .rsa: .rsaPSSSHA512
        }
    }

    private init(_ backing: Backing) {
        self.backing = backing
    }

    /// Wraps an Ed25519 key.
    public init(_ key: Curve25519.Signing.PrivateKey) { self.init(.ed25519(key)) }
    /// Wraps a P-256 key for `ecdsa-p256-sha256`.
    public init(_ key: P256.Signing.PrivateKey) { self.init(.p256(key)) }
    /// Wraps an RSA key (at least 2048 bits) for `rsa-pss-sha512`.
    public init(_ key: _RSA.Signing.PrivateKey) { self.init(.rsa(key)) }

    /// Generates a fresh key; RSA keys are 3072 bits.
    public static func generate(_ algorithm: SignatureAlgorithm) throws -> SigningKey {
        switch algorithm {
        case .ed25519:
            return SigningKey(Curve25519.Signing.PrivateKey())
        case .ecdsaP256SHA256:
            return SigningKey(P256.Signing.PrivateKey())
        case .rsaPSSSHA512:
            do {
                return SigningKey(try _RSA.Signing.PrivateKey(keySize: .bits3072))
            } catch {
                throw SigningError(.keyInvalid, "could not generate an RSA key", cause: error)
            }
        }
    }

    /// Reads a PEM private key (PKCS#8, SEC1 or PKCS#1). With `algorithm` nil the key type decides.
    public init(pemRepresentation pem: String, algorithm: SignatureAlgorithm? = nil) throws {
        let candidates = algorithm.map { [$0] } ?? SignatureAlgorithm.allCases
        for candidate in candidates {
            if let backing = Self.parse(pem, as: candidate) {
                self.init(backing)
                return
            }
        }
        if let algorithm {
            throw SigningError(.keyInvalid, "PEM private key is not a \(algorithm.wireName) key")
        }
        throw SigningError(.keyInvalid, "PEM private key is not an Ed25519, P-256 or RSA key")
    }

    private static func parse(_ pem: String, as algorithm: SignatureAlgorithm) -> Backing? {
        switch algorithm {
        case .ed25519:
            return (try? Curve25519.Signing.PrivateKey(pemRepresentation: pem)).map(Backing.ed25519)
        case .ecdsaP256SHA256:
            return (try? P256.Signing.PrivateKey(pemRepresentation: pem)).map(Backing.p256)
        case .rsaPSSSHA512:
            return (try? _RSA.Signing.PrivateKey(pemRepresentation: pem)).map(Backing.rsa)
        }
    }

    /// The key as PKCS#8 PEM (`BEGIN PRIVATE KEY`).
    public var pemRepresentation: String {
        switch self.backing {
        case .ed25519(let key): key.pemRepresentation
        case .p256(let key): key.pemRepresentation
        case .rsa(let key): key.pkcs8PEMRepresentation
        }
    }

    /// The matching public key.
    public var publicKey: VerificationKey {
        switch self.backing {
        case .ed25519(let key): VerificationKey(key.publicKey)
        case .p256(let key): VerificationKey(key.publicKey)
        case .rsa(let key): VerificationKey(key.publicKey)
        }
    }

    /// Signs `data` (the signature base) and returns the raw signature bytes RFC 9421 puts on the wire.
    public func signature(for data: some DataProtocol) throws -> Data {
        do {
            switch self.backing {
            case .ed25519(let key):
                return try key.signature(for: data)
            case .p256(let key):
                return try key.signature(for: SHA256.hash(data: data)).rawRepresentation
            case .rsa(let key):
                // swift-crypto's PSS uses a salt as long as the digest: 64 bytes for SHA-512, as §3.3.1 requires.
                return try key.signature(for: SHA512.hash(data: data), padding: .PSS).rawRepresentation
            }
        } catch {
            throw SigningError(.keyInvalid, "signing with \(self.algorithm.wireName) failed", cause: error)
        }
    }
}
