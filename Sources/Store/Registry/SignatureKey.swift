import Foundation

/// A public key an agency signs requests with (RFC 9421 `keyid`).
public struct SignatureKey: Codable, Sendable, Hashable {
    /// Signature algorithms agencies may register.
    public enum Algorithm: String, Codable, Sendable, Hashable, CaseIterable {
        /// Ed25519 (RFC 9421 `ed25519`).
        case ed25519
        /// ECDSA over P-256 with SHA-256 (RFC 9421 `ecdsa-p256-sha256`).
        case ecdsaP256SHA256 = "ecdsa-p256-sha256"
        /// RSASSA-PSS with SHA-512 (RFC 9421 `rsa-pss-sha512`).
        case rsaPSSSHA512 = "rsa-pss-sha512"
    }

    /// Globally unique key id.
    public var keyId: String
    /// The agency the key belongs to.
    public var agencyId: String
    /// The algorithm the key is used with.
    public var algorithm: Algorithm
    /// The public key, PEM (SubjectPublicKeyInfo).
    public var publicKeyPEM: String
    /// Signatures made before this instant are refused.
    public var notBefore: Date?
    /// Signatures made after this instant are refused; rotation keeps old keys until then.
    public var notAfter: Date?
    /// Set when revoked; revocation is immediate.
    public var revokedAt: Date?
    /// When the key was registered.
    public var createdAt: Date

    /// Creates a key record.
    public init(
        keyId: String,
        agencyId: String,
        algorithm: Algorithm,
        publicKeyPEM: String,
        notBefore: Date? = nil,
        notAfter: Date? = nil,
        revokedAt: Date? = nil,
        createdAt: Date = Date()
    ) {
        self.keyId = keyId
        self.agencyId = agencyId
        self.algorithm = algorithm
        self.publicKeyPEM = publicKeyPEM
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.revokedAt = revokedAt
        self.createdAt = createdAt
    }

    /// When the key stops verifying: the earlier of its expiry and its revocation, nil if neither is set.
    public var validUntil: Date? { [notAfter, revokedAt].compactMap { $0 }.min() }

    /// Whether the key may verify a signature made at `date`: within validity and not revoked by then.
    public func isValid(at date: Date) -> Bool {
        if let notBefore, date < notBefore { return false }
        if let notAfter, date > notAfter { return false }
        if let revokedAt, date >= revokedAt { return false }
        return true
    }
}
