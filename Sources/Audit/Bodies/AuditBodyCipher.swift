import Crypto
import Foundation

/// Encrypts request and response bodies kept for contracts with `audit: {body: full}`.
///
/// AES-256-GCM with a random 96-bit nonce. A sealed body is
/// `0x01 ‖ key ID (4 bytes) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`; the authenticated data binds the
/// version, the key ID, the exchange id and the part, so a body cannot be moved to another exchange
/// or swapped between request and response. The key ID is derived from the key, so several keys can
/// be configured at once: new bodies use the first, older ones open with whichever key they name.
public struct AuditBodyCipher: Sendable {
    /// Which body of the exchange.
    public enum Part: String, Sendable, Hashable, CaseIterable {
        /// The consumer's request body.
        case request
        /// The provider's response body.
        case response
    }

    /// One configured 256-bit key and its derived ID.
    public struct Key: Sendable {
        /// The first 4 bytes of SHA-256("rabt-audit-body-key" ‖ 0x0A ‖ key), big-endian.
        public let id: UInt32
        fileprivate let key: SymmetricKey

        /// Wraps 32 raw bytes.
        public init(rawRepresentation bytes: some DataProtocol) throws(AuditError) {
            guard bytes.count == 32 else {
                throw AuditError(code: .bodyKeyInvalid, message: "a body key must be 32 bytes")
            }
            self.init(validated: Data(bytes))
        }

        private init(validated bytes: Data) {
            self.key = SymmetricKey(data: bytes)
            var hasher = SHA256()
            hasher.update(data: Array("rabt-audit-body-key\n".utf8))
            hasher.update(data: bytes)
            self.id = hasher.finalize().prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        }

        /// Reads standard base64 of 32 bytes, as configuration files hold it.
        public init(base64: String) throws(AuditError) {
            guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw AuditError(code: .bodyKeyInvalid, message: "a body key must be base64 of 32 bytes")
            }
            try self.init(rawRepresentation: data)
        }

        /// A fresh random key.
        public static func generate() -> Key {
            Key(validated: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
        }
    }

    /// The format version byte.
    public static let version: UInt8 = 0x01
    static let headerLength = 1 + 4 + 12
    static let tagLength = 16

    /// The keys, the first one sealing.
    public let keys: [Key]

    /// Creates a cipher; `current` seals, `previous` keys only open.
    public init(current: Key, previous: [Key] = []) {
        self.keys = [current] + previous
    }

    /// The ID of the key new bodies are sealed with.
    public var currentKeyID: UInt32 { keys[0].id }

    /// Encrypts `body` for `part` of exchange `exchangeId`.
    public func seal(body: some DataProtocol, exchangeId: String, part: Part) throws(AuditError) -> Data {
        let key = keys[0]
        let header = Self.header(keyID: key.id)
        do {
            let box = try AES.GCM.seal(body, using: key.key, nonce: AES.GCM.Nonce(), authenticating: Self.authenticatedData(header: header, exchangeId: exchangeId, part: part))
            return header + box.nonce.withUnsafeBytes { Data($0) } + box.ciphertext + box.tag
        } catch {
            throw AuditError(code: .bodyUnreadable, message: "sealing the body failed", cause: error)
        }
    }

    /// Decrypts a sealed body; throws `bodyKeyUnknown` for a key not configured and `bodyUnreadable`
    /// if the bytes were changed or belong to another exchange or part.
    public func open(_ sealed: some DataProtocol, exchangeId: String, part: Part) throws(AuditError) -> Data {
        let bytes = Data(sealed)
        guard bytes.count >= Self.headerLength + Self.tagLength, bytes.first == Self.version else {
            throw AuditError(code: .bodyUnreadable, message: "not a sealed body of version \(Self.version)")
        }
        let keyID = bytes.dropFirst().prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard let key = keys.first(where: { $0.id == keyID }) else {
            throw AuditError(code: .bodyKeyUnknown, message: "body sealed with a key that is not configured")
        }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: bytes.dropFirst(5).prefix(12)),
                ciphertext: bytes.dropFirst(Self.headerLength).dropLast(Self.tagLength),
                tag: bytes.suffix(Self.tagLength)
            )
            let header = bytes.prefix(5)
            return try AES.GCM.open(box, using: key.key, authenticating: Self.authenticatedData(header: Data(header), exchangeId: exchangeId, part: part))
        } catch {
            throw AuditError(code: .bodyUnreadable, message: "body does not authenticate for this exchange and part", cause: error)
        }
    }

    private static func header(keyID: UInt32) -> Data {
        Data([version, UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)])
    }

    /// `"rabt-audit-body" ‖ header ‖ len(exchangeId) (4 bytes) ‖ exchangeId ‖ part`: length-prefixed so
    /// no exchange id can run into the part name.
    private static func authenticatedData(header: Data, exchangeId: String, part: Part) -> Data {
        var data = Data("rabt-audit-body".utf8)
        data.append(header)
        let id = Data(exchangeId.utf8)
        let length = UInt32(truncatingIfNeeded: id.count)
        data.append(contentsOf: [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
        data.append(id)
        data.append(Data(part.rawValue.utf8))
        return data
    }
}
