import Foundation
import RawStructuredFieldValues

/// The signature parameters of RFC 9421 §2.3 that a signer sets (`created expires nonce alg keyid tag`).
public struct SignatureParameters: Sendable, Hashable {
    /// `created`: when the signature was made (whole seconds are used).
    public var created: Date?
    /// `expires`: when the signature stops being valid (whole seconds are used).
    public var expires: Date?
    /// `nonce`: a unique value the verifier can use against replay.
    public var nonce: String?
    /// `alg`: the algorithm, stated explicitly.
    public var algorithm: SignatureAlgorithm?
    /// `keyid`: which key made the signature.
    public var keyID: String?
    /// `tag`: an application-specific tag.
    public var tag: String?

    /// Creates signature parameters; leave out what should not be sent.
    public init(
        created: Date? = nil,
        expires: Date? = nil,
        nonce: String? = nil,
        algorithm: SignatureAlgorithm? = nil,
        keyID: String? = nil,
        tag: String? = nil
    ) {
        self.created = created
        self.expires = expires
        self.nonce = nonce
        self.algorithm = algorithm
        self.keyID = keyID
        self.tag = tag
    }

    /// A random 128-bit nonce, base64url without padding.
    public static func randomNonce<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        var bytes = [UInt8]()
        for _ in 0..<16 { bytes.append(UInt8.random(in: .min ... .max, using: &generator)) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A random 128-bit nonce from the system generator.
    public static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return self.randomNonce(using: &generator)
    }

    /// The parameters in the order Rabt writes them: created, expires, keyid, alg, nonce, tag.
    var structuredParameters: OrderedMap<String, RFC9651BareItem> {
        var map = OrderedMap<String, RFC9651BareItem>()
        if let created { map["created"] = .integer(Self.seconds(created)) }
        if let expires { map["expires"] = .integer(Self.seconds(expires)) }
        if let keyID { map["keyid"] = .string(keyID) }
        if let algorithm { map["alg"] = .string(algorithm.wireName) }
        if let nonce { map["nonce"] = .string(nonce) }
        if let tag { map["tag"] = .string(tag) }
        return map
    }

    static func seconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
