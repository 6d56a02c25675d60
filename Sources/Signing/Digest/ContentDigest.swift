import Crypto
import Foundation
import HTTPTypes
import RawStructuredFieldValues

/// RFC 9530 `Content-Digest`: making the field value for a body and checking one against a body.
public enum ContentDigest {
    /// The digest algorithms Rabt computes and checks.
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        /// `sha-256`.
        case sha256 = "sha-256"
        /// `sha-512`.
        case sha512 = "sha-512"

        func digest(_ body: some DataProtocol) -> Data {
            switch self {
            case .sha256: Data(SHA256.hash(data: body))
            case .sha512: Data(SHA512.hash(data: body))
            }
        }
    }

    /// The field value for `body`, e.g. `sha-256=:…:`, with one member per algorithm in the order given.
    public static func fieldValue(for body: some DataProtocol, algorithms: [Algorithm] = [.sha256]) -> String {
        algorithms.map { "\($0.rawValue)=:\($0.digest(body).base64EncodedString()):" }.joined(separator: ", ")
    }

    /// Checks a `Content-Digest` value (nil when the field is absent) against `body`.
    ///
    /// At least one supported algorithm must be present and every supported one must match; members
    /// with other algorithms are ignored. Throws `digest-missing` or `digest-mismatch`.
    public static func verify(_ fieldValue: String?, body: some DataProtocol) throws {
        guard let fieldValue else {
            throw SigningError(.digestMissing, "the body has no Content-Digest")
        }
        let dictionary: StructuredFields.Dictionary
        do {
            dictionary = try StructuredFields.parseDictionary(fieldValue)
        } catch {
            throw SigningError(.digestMismatch, "Content-Digest is not a structured dictionary", cause: error)
        }
        var checked = 0
        for algorithm in Algorithm.allCases {
            guard let member = dictionary[algorithm.rawValue] else { continue }
            guard case .item(let item) = member, case .undecodedByteSequence(let encoded) = item.rfc9651BareItem,
                let expected = Data(base64Encoded: encoded)
            else {
                throw SigningError(.digestMismatch, "Content-Digest \(algorithm.rawValue) is not a byte sequence")
            }
            guard expected == algorithm.digest(body) else {
                throw SigningError(.digestMismatch, "Content-Digest \(algorithm.rawValue) does not match the body")
            }
            checked += 1
        }
        guard checked > 0 else {
            throw SigningError(.digestMissing, "Content-Digest has no sha-256 or sha-512 member")
        }
    }

    /// Checks the `Content-Digest` of `fields` against `body`.
    public static func verify(_ fields: HTTPFields, body: some DataProtocol) throws {
        try self.verify(fields.combinedValue(.contentDigest), body: body)
    }
}
