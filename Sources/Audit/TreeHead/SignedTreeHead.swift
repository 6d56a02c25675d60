import Foundation

/// A tree head signed by the log: a C2SP tlog-checkpoint in a C2SP signed note.
///
/// The note text is the origin, the tree size in decimal, the base64 root hash and one extension
/// line `timestamp <RFC 3339 UTC ms>`; the signature covers all of it. `note` keeps the exact text,
/// which is what is stored, published and exported.
public struct SignedTreeHead: Sendable, Hashable {
    /// Size, root and time.
    public let head: TreeHead
    /// The log identity on the first line.
    public let origin: String
    /// The exact checkpoint text, signature lines included.
    public let note: String
    /// The signature lines, in order.
    let signatures: [NoteSignature]
    /// Byte length of the signed text (the body up to and including its last newline).
    private let textLength: Int

    /// The extension line keyword that carries the head's time.
    public static let timestampKeyword = "timestamp"
    /// Notes longer than this are refused unread (a checkpoint is a few hundred bytes).
    public static let maximumNoteLength = 64 * 1024
    /// More signature lines than this are refused (the spec asks for at least 16).
    public static let maximumSignatures = 64

    /// Signs `head` as origin `origin` with `key`.
    public init(signing head: TreeHead, origin: String, key: AuditSigningKey) throws(AuditError) {
        guard head.size >= 0 else {
            throw AuditError(code: .malformedTreeHead, message: "tree size is negative")
        }
        guard !origin.isEmpty, origin.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw AuditError(code: .malformedTreeHead, message: "origin must be non-empty without control characters")
        }
        let text = origin + "\n" + String(head.size) + "\n" + head.rootHash.base64 + "\n"
            + Self.timestampKeyword + " " + Timestamp.format(milliseconds: head.timestampMilliseconds) + "\n"
        let textBytes = Array(text.utf8)
        let signature = try key.signature(for: textBytes)
        let keyID = key.verifyingKey.keyID
        let line = NoteSignature(name: key.name, keyID: keyID, signature: signature)
        self.head = head
        self.origin = origin
        self.note = text + "\n" + line.line
        self.signatures = [line]
        self.textLength = textBytes.count
    }

    /// Parses a checkpoint note; throws `malformedTreeHead` naming the first line that is wrong.
    ///
    /// Parsing does not check signatures: call `verify(with:)`.
    public init(note: String) throws(AuditError) {
        let bytes = Array(note.utf8)
        guard bytes.count <= Self.maximumNoteLength else {
            throw Self.malformed("note is longer than \(Self.maximumNoteLength) bytes")
        }
        if let control = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F }) {
            throw Self.malformed("control character at byte \(control)")
        }
        guard bytes.last == 0x0A else { throw Self.malformed("note does not end with a newline") }
        // The text ends at the last blank line; everything after it is signature lines.
        var separator: Int?
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == 0x0A, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                separator = index
                break
            }
            index -= 1
        }
        guard let separator else { throw Self.malformed("no blank line between text and signatures") }
        let textLength = separator + 1
        let textLines = bytes[..<separator].split(separator: 0x0A, omittingEmptySubsequences: false)
        let signatureLines = bytes[(separator + 2)...].dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)

        guard textLines.count >= 3 else { throw Self.malformed("checkpoint needs origin, size and root lines") }
        if let empty = textLines.firstIndex(where: \.isEmpty) {
            throw Self.malformed("line \(empty + 1) is empty")
        }
        let origin = String(decoding: textLines[0], as: UTF8.self)
        guard let size = Self.decimal(textLines[1]) else {
            throw Self.malformed("line 2 is not a tree size in decimal without leading zeros")
        }
        let rootText = String(decoding: textLines[2], as: UTF8.self)
        guard let root = MerkleHash(base64: rootText), root.base64 == rootText else {
            throw Self.malformed("line 3 is not the base64 of a 32-byte root hash")
        }
        var timestamp: Int64?
        let prefix = Array((Self.timestampKeyword + " ").utf8)
        for (offset, line) in textLines.dropFirst(3).enumerated() where line.starts(with: prefix) {
            guard timestamp == nil else { throw Self.malformed("line \(offset + 4) repeats the timestamp") }
            guard let milliseconds = Timestamp.parseMilliseconds(String(decoding: line.dropFirst(prefix.count), as: UTF8.self)) else {
                throw Self.malformed("line \(offset + 4) is not `timestamp <RFC 3339 UTC ms>`")
            }
            timestamp = milliseconds
        }
        guard let timestamp else { throw Self.malformed("no `timestamp` extension line") }

        guard !signatureLines.isEmpty, signatureLines.count <= Self.maximumSignatures else {
            throw Self.malformed("note needs 1 to \(Self.maximumSignatures) signature lines")
        }
        var signatures: [NoteSignature] = []
        for (offset, line) in signatureLines.enumerated() {
            guard let signature = NoteSignature(line: line) else {
                throw Self.malformed("line \(textLines.count + 2 + offset) is not `— <key name> <base64 signature>`")
            }
            signatures.append(signature)
        }
        self.head = TreeHead(size: size, rootHash: root, timestampMilliseconds: timestamp)
        self.origin = origin
        self.note = note
        self.signatures = signatures
        self.textLength = textLength
    }

    /// Checks that `key` signed the note; see `verify(withAnyOf:)`.
    public func verify(with key: AuditVerifyingKey) throws(AuditError) {
        try verify(withAnyOf: [key])
    }

    /// Checks the signatures of the known keys, as signed-note verifiers do: lines whose name and
    /// key ID match no known key are ignored (witness cosignatures, rotated keys); every line that
    /// matches a known key must verify, and at least one must.
    public func verify(withAnyOf keys: [AuditVerifyingKey]) throws(AuditError) {
        let text = note.utf8.prefix(textLength)
        var verified = false
        for signature in signatures {
            guard let key = keys.first(where: { $0.name == signature.name && $0.keyID == signature.keyID }) else { continue }
            guard key.isValidSignature(signature.signature, for: Array(text)) else {
                throw AuditError(code: .signatureInvalid, message: "signature by key \(key.name) does not verify")
            }
            verified = true
        }
        guard verified else {
            throw AuditError(code: .signatureInvalid, message: "no signature by a known key")
        }
    }

    private static func malformed(_ message: String) -> AuditError {
        AuditError(code: .malformedTreeHead, message: message)
    }

    /// ASCII decimal with no sign and no leading zeros, within `Int`.
    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 18, digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }
}

/// One signature line of a signed note: `— <key name> <base64(key ID ‖ signature)>`.
struct NoteSignature: Sendable, Hashable {
    var name: String
    var keyID: UInt32
    var signature: Data

    private static let dash = Array("\u{2014} ".utf8)

    init(name: String, keyID: UInt32, signature: Data) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    /// Parses a line (without its newline); nil if it has another shape.
    init?(line: ArraySlice<UInt8>) {
        guard line.starts(with: Self.dash) else { return nil }
        let rest = line.dropFirst(Self.dash.count)
        let fields = rest.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard fields.count == 2, !fields[0].isEmpty, !fields[0].contains(UInt8(ascii: "+")),
              let blob = Data(base64Encoded: Data(fields[1])), blob.count > 4
        else { return nil }
        let name = String(decoding: fields[0], as: UTF8.self)
        guard name.unicodeScalars.allSatisfy({ !$0.properties.isWhitespace }) else { return nil }
        self.name = name
        self.keyID = blob.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        self.signature = Data(blob.dropFirst(4))
    }

    /// The line with its newline.
    var line: String {
        var blob = Data()
        blob.append(contentsOf: [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)])
        blob.append(signature)
        return "\u{2014} " + name + " " + blob.base64EncodedString() + "\n"
    }
}
