/// The RFC 9421 signature algorithms Rabt accepts, named by their `alg` parameter value.
public enum SignatureAlgorithm: String, Sendable, Hashable, CaseIterable, Codable {
    /// EdDSA over Curve25519 (RFC 9421 §3.3.6).
    case ed25519 = "ed25519"
    /// ECDSA over P-256 with SHA-256, signature as raw `r‖s` (RFC 9421 §3.3.4).
    case ecdsaP256SHA256 = "ecdsa-p256-sha256"
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512 and a 64-byte salt (RFC 9421 §3.3.1).
    case rsaPSSSHA512 = "rsa-pss-sha512"

    /// The `alg` parameter value, e.g. `ecdsa-p256-sha256`.
    public var wireName: String { self.rawValue }

    /// Finds the algorithm for an `alg` parameter value; nil when Rabt does not support it.
    public init?(wireName: String) {
        self.init(rawValue: wireName)
    }
}
