import Foundation

/// A signature key registered to an agency, as the Broker's registry returns it for a `keyid`.
public struct RegisteredKey: Sendable, Hashable {
    /// The key id the signer puts in `keyid`.
    public var keyID: String
    /// The public key; its algorithm is the only one accepted for this key.
    public var key: VerificationKey
    /// Start of validity; nil means no lower bound.
    public var notBefore: Date?
    /// End of validity (expiry or revocation); nil means no upper bound.
    public var notAfter: Date?

    /// Creates a registered key.
    public init(keyID: String, key: VerificationKey, notBefore: Date? = nil, notAfter: Date? = nil) {
        self.keyID = keyID
        self.key = key
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Whether the key may verify signatures at `date`.
    public func isValid(at date: Date) -> Bool {
        if let notBefore, date < notBefore { return false }
        if let notAfter, date >= notAfter { return false }
        return true
    }
}
