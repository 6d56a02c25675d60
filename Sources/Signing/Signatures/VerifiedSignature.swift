import Foundation

/// A signature that passed ``SignatureVerifier``: only the verifier can make one.
public struct VerifiedSignature: Sendable, Hashable {
    /// The label in `Signature-Input`/`Signature`, e.g. `sig1`.
    public let label: String
    /// The registered key that verified it.
    public let keyID: String
    /// The algorithm used.
    public let algorithm: SignatureAlgorithm
    /// `created`, if the signature stated it.
    public let created: Date?
    /// `expires`, if the signature stated it.
    public let expires: Date?
    /// `nonce`, if the signature stated it; the caller checks it against replay.
    public let nonce: String?
    /// `tag`, if the signature stated it.
    public let tag: String?
    /// The covered components in signed order.
    public let coveredComponents: [ComponentIdentifier]
    /// Until when the nonce must be remembered: after this a replay fails the time checks anyway.
    public let rememberNonceUntil: Date

    init(
        label: String, keyID: String, algorithm: SignatureAlgorithm, created: Date?, expires: Date?, nonce: String?,
        tag: String?, coveredComponents: [ComponentIdentifier], rememberNonceUntil: Date
    ) {
        self.label = label
        self.keyID = keyID
        self.algorithm = algorithm
        self.created = created
        self.expires = expires
        self.nonce = nonce
        self.tag = tag
        self.coveredComponents = coveredComponents
        self.rememberNonceUntil = rememberNonceUntil
    }
}
