import Crypto
import Foundation
import _CryptoExtras

/// The log's Ed25519 key for signing tree heads, with its signed-note key name (e.g. `rabt.example/audit`).
public struct AuditSigningKey: Sendable {
    /// The key name written in signature lines; by convention the log's origin.
    public let name: String
    private let privateKey: Curve25519.Signing.PrivateKey

    /// Wraps a swift-crypto key.
    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws(AuditError) {
        try AuditVerifyingKey.validate(name: name)
        self.name = name
        self.privateKey = privateKey
    }

    /// Reads the 32-byte Ed25519 seed.
    public init(name: String, rawRepresentation: some ContiguousBytes) throws(AuditError) {
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
        } catch {
            throw AuditError(code: .malformedKey, message: "not a 32-byte Ed25519 private key", cause: error)
        }
        try self.init(name: name, privateKey: key)
    }

    /// Reads a PKCS#8 `PRIVATE KEY` PEM document, as swift-crypto's `pemRepresentation` or
    /// `openssl genpkey -algorithm ed25519` write it.
    public init(name: String, pemRepresentation: String) throws(AuditError) {
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(pemRepresentation: pemRepresentation)
        } catch {
            throw AuditError(code: .malformedKey, message: "not a PKCS#8 Ed25519 private key PEM", cause: error)
        }
        try self.init(name: name, privateKey: key)
    }

    /// A fresh random key.
    public static func generate(name: String) throws(AuditError) -> AuditSigningKey {
        try AuditSigningKey(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The 32-byte seed; secret.
    public var rawRepresentation: Data { privateKey.rawRepresentation }

    /// PKCS#8 PEM; secret.
    public var pemRepresentation: String { privateKey.pemRepresentation }

    /// The matching public key under the same name.
    public var verifyingKey: AuditVerifyingKey {
        AuditVerifyingKey(validatedName: name, publicKey: privateKey.publicKey)
    }

    /// An Ed25519 signature over `message`.
    func signature(for message: some DataProtocol) throws(AuditError) -> Data {
        do {
            return try privateKey.signature(for: message)
        } catch {
            throw AuditError(code: .signatureInvalid, message: "signing failed", cause: error)
        }
    }
}

/// The public half of an audit signing key, which auditors hold to check tree heads.
public struct AuditVerifyingKey: Sendable, Hashable {
    /// The key name signature lines carry.
    public let name: String
    /// The 32-byte Ed25519 public key.
    public let rawRepresentation: Data
    private let publicKey: Curve25519.Signing.PublicKey

    /// The signed-note signature type byte of Ed25519.
    static let ed25519Type: UInt8 = 0x01

    fileprivate init(validatedName: String, publicKey: Curve25519.Signing.PublicKey) {
        self.name = validatedName
        self.publicKey = publicKey
        self.rawRepresentation = publicKey.rawRepresentation
    }

    /// Reads a 32-byte Ed25519 public key.
    public init(name: String, rawRepresentation: some ContiguousBytes) throws(AuditError) {
        try Self.validate(name: name)
        do {
            self.init(validatedName: name, publicKey: try Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation))
        } catch {
            throw AuditError(code: .malformedKey, message: "not a 32-byte Ed25519 public key", cause: error)
        }
    }

    /// Reads a SubjectPublicKeyInfo `PUBLIC KEY` PEM document.
    public init(name: String, pem: String) throws(AuditError) {
        try Self.validate(name: name)
        do {
            self.init(validatedName: name, publicKey: try Curve25519.Signing.PublicKey(pemRepresentation: pem))
        } catch {
            throw AuditError(code: .malformedKey, message: "not an Ed25519 public key PEM", cause: error)
        }
    }

    /// Reads the signed-note verifier key form `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`;
    /// the key ID must match the one computed from the name and key.
    public init(verifierKey text: String) throws(AuditError) {
        // The base64 key may itself hold `+`: only the first two split.
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw AuditError(code: .malformedKey, message: "verifier key is not name+id+key")
        }
        guard let data = Data(base64Encoded: String(parts[2])), data.count == 33, data.first == Self.ed25519Type else {
            throw AuditError(code: .malformedKey, message: "verifier key is not an Ed25519 (type 0x01) key")
        }
        try self.init(name: String(parts[0]), rawRepresentation: data.dropFirst())
        guard parts[1].utf8.count == 8, let id = UInt32(parts[1], radix: 16), id == keyID else {
            throw AuditError(code: .malformedKey, message: "verifier key ID does not match its name and key")
        }
    }

    /// SubjectPublicKeyInfo PEM.
    public var pemRepresentation: String { publicKey.pemRepresentation }

    /// The signed-note key ID: the first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
    public var keyID: UInt32 {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8))
        hasher.update(data: [0x0A, Self.ed25519Type])
        hasher.update(data: rawRepresentation)
        return hasher.finalize().prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The signed-note verifier key text, `<name>+<8 hex digits>+<base64(0x01 ‖ public key)>`.
    public var verifierKey: String {
        let id = String(keyID, radix: 16)
        let padded = String(repeating: "0", count: 8 - id.count) + id
        return name + "+" + padded + "+" + (Data([Self.ed25519Type]) + rawRepresentation).base64EncodedString()
    }

    /// Whether `signature` is this key's Ed25519 signature over `message`.
    func isValidSignature(_ signature: some DataProtocol, for message: some DataProtocol) -> Bool {
        publicKey.isValidSignature(signature, for: message)
    }

    /// Equal when name and key bytes are equal.
    public static func == (lhs: AuditVerifyingKey, rhs: AuditVerifyingKey) -> Bool {
        lhs.name == rhs.name && lhs.rawRepresentation == rhs.rawRepresentation
    }

    /// Hashes name and key bytes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(rawRepresentation)
    }

    /// Signed-note key names are non-empty and hold no spaces, `+` or control characters.
    static func validate(name: String) throws(AuditError) {
        guard !name.isEmpty,
              name.unicodeScalars.allSatisfy({ !$0.properties.isWhitespace && $0 != "+" && $0.value >= 0x20 && $0.value != 0x7F })
        else {
            throw AuditError(code: .malformedKey, message: "key name must be non-empty without spaces, '+' or control characters")
        }
    }
}
