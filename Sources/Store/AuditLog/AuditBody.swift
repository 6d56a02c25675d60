import Foundation

/// A payload of an exchange kept in the audit store, sealed (encrypted) by the Broker.
///
/// The store never sees plaintext: `sealed` is opaque bytes, kept next to the log so a contract
/// with `audit: {body: full}` can show an auditor what was exchanged. One body per exchange and part.
public struct AuditBody: Sendable, Hashable {
    /// Which payload of the exchange, e.g. `request` or `response`; an open set.
    public struct Part: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The name as stored.
        public var rawValue: String

        /// Wraps a name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Wraps a name literal.
        public init(stringLiteral value: String) { self.rawValue = value }

        /// The name.
        public var description: String { rawValue }

        /// The consumer's request body.
        public static let request: Part = "request"
        /// The provider's response body.
        public static let response: Part = "response"
    }

    /// The exchange the body belongs to.
    public var exchangeId: String
    /// Which payload it is.
    public var part: Part
    /// The sealed bytes (nonce, ciphertext and tag as the Broker's cipher lays them out).
    public var sealed: Data

    /// Creates a body record.
    public init(exchangeId: String, part: Part, sealed: Data) {
        self.exchangeId = exchangeId
        self.part = part
        self.sealed = sealed
    }
}
