@testable import Audit
import Crypto
import Foundation
import Testing

@Suite struct SignedTreeHeadTests {
    static let origin = "rabt.example/audit"
    static let seed = Data((0..<32).map { UInt8($0 &* 7 &+ 3) })
    static let key = try! AuditSigningKey(name: origin, rawRepresentation: seed)
    static let root = MerkleHash(hex: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")!
    static let head = TreeHead(size: 7, rootHash: root, timestampMilliseconds: 1_795_676_944_123)

    /// The key ID formula of the signed-note spec, computed here without the library.
    static func keyIDByHand(name: String, publicKey: Data) -> UInt32 {
        let digest = Array(SHA256.hash(data: Data(name.utf8) + Data([0x0A, 0x01]) + publicKey))
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    @Test func checkpointTextMatchesTheSpecLayout() throws {
        let signed = try SignedTreeHead(signing: Self.head, origin: Self.origin, key: Self.key)
        let text = "rabt.example/audit\n7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\ntimestamp 2026-11-26T07:09:04.123Z\n"
        #expect(signed.note.hasPrefix(text + "\n\u{2014} rabt.example/audit "))
        #expect(signed.note.hasSuffix("\n"))

        // Rebuild the signature line independently: key ID by hand, Ed25519 over the text.
        let privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: Self.seed)
        let id = Self.keyIDByHand(name: Self.origin, publicKey: privateKey.publicKey.rawRepresentation)
        let blobText = String(signed.note.dropFirst(text.count + 1 + 2 + Self.origin.count + 1).dropLast())
        let blob = try #require(Data(base64Encoded: blobText))
        #expect(blob.count == 68)
        #expect(Array(blob.prefix(4)) == [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)])
        #expect(privateKey.publicKey.isValidSignature(blob.dropFirst(4), for: Data(text.utf8)))
        #expect(Self.key.verifyingKey.keyID == id)
        #if os(Linux)
        // BoringSSL's Ed25519 is deterministic (RFC 8032), so the whole note is reproducible.
        let expected = try privateKey.signature(for: Data(text.utf8))
        #expect(blob.dropFirst(4) == expected)
        #endif
    }

    @Test func knownAnswerFromAnIndependentImplementation() throws {
        // Produced with Python's `cryptography` (Ed25519) and hashlib from the spec text, not with this library.
        let expected = "rabt.example/audit\n7\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\ntimestamp 2026-11-26T07:09:04.123Z\n"
            + "\n\u{2014} rabt.example/audit gnEqUsF2V5F7WwBPQdGVngZcodMPjWAgCsRdnN4mJkOkrq8lPaLxEKHhbjT+XkN8gjV5td259y0FPcdlf61luVLJaw4=\n"
        #expect(Self.key.verifyingKey.verifierKey == "rabt.example/audit+82712a52+AXVcTLklbKfNxKz9xs/u2oSQF+W5+VFOmRkb1n4LDUJ2")
        let parsed = try SignedTreeHead(note: expected)
        #expect(parsed.head == Self.head)
        try parsed.verify(with: AuditVerifyingKey(verifierKey: "rabt.example/audit+82712a52+AXVcTLklbKfNxKz9xs/u2oSQF+W5+VFOmRkb1n4LDUJ2"))
        #if os(Linux)
        // BoringSSL's Ed25519 is deterministic (RFC 8032): signing reproduces the note byte for byte.
        #expect(try SignedTreeHead(signing: Self.head, origin: Self.origin, key: Self.key).note == expected)
        #endif
    }

    @Test func goReferenceVectorKeyIDAndSignature() throws {
        // The example key and note of golang.org/x/mod/sumdb/note, an independent implementation.
        let verifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
        let signerSeed = Data(base64Encoded: "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")!.dropFirst()
        let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
        let signatureLine = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="

        let verifying = try AuditVerifyingKey(verifierKey: verifierKey)
        #expect(verifying.name == "PeterNeumann")
        #expect(verifying.keyID == 0xC74F_20A3)
        #expect(Self.keyIDByHand(name: "PeterNeumann", publicKey: verifying.rawRepresentation) == 0xC74F_20A3)

        let signing = try AuditSigningKey(name: "PeterNeumann", rawRepresentation: signerSeed)
        #expect(signing.verifyingKey.verifierKey == verifierKey)

        let parsed = try #require(NoteSignature(line: Array(signatureLine.utf8)[...]))
        #expect(parsed.name == "PeterNeumann")
        #expect(parsed.keyID == 0xC74F_20A3)
        #expect(verifying.isValidSignature(parsed.signature, for: Data(text.utf8)))
        #expect(!verifying.isValidSignature(parsed.signature, for: Data(text.replacingOccurrences(of: "cryptography", with: "cryptographY").utf8)))
        #if os(Linux)
        let ours = NoteSignature(name: "PeterNeumann", keyID: signing.verifyingKey.keyID, signature: try signing.signature(for: Array(text.utf8)))
        #expect(ours.line == signatureLine + "\n")
        #endif
    }

    @Test func signParseVerifyRoundTrip() throws {
        let signed = try SignedTreeHead(signing: Self.head, origin: Self.origin, key: Self.key)
        let parsed = try SignedTreeHead(note: signed.note)
        #expect(parsed == signed)
        #expect(parsed.head == Self.head)
        #expect(parsed.origin == Self.origin)
        try parsed.verify(with: Self.key.verifyingKey)
    }

    @Test func emptyTreeHeadRoundTrips() throws {
        let empty = TreeHead(size: 0, rootHash: .emptyTree, timestampMilliseconds: 0)
        let signed = try SignedTreeHead(signing: empty, origin: Self.origin, key: Self.key)
        #expect(signed.note.hasPrefix("rabt.example/audit\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ntimestamp 1970-01-01T00:00:00.000Z\n\n"))
        #expect(try SignedTreeHead(note: signed.note).head == empty)
    }

    @Test func timestampKeepsMillisecondsOnly() throws {
        let head = TreeHead(size: 1, rootHash: Self.root, timestamp: Date(timeIntervalSince1970: 1.2345678))
        #expect(head.timestampMilliseconds == 1235)
        let parsed = try SignedTreeHead(note: SignedTreeHead(signing: head, origin: Self.origin, key: Self.key).note)
        #expect(parsed.head == head)
    }

    @Test func treeHeadCodableShape() throws {
        let json = try JSONEncoder().encode(Self.head)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["size"] as? Int == 7)
        #expect(object["rootHash"] as? String == Self.root.base64)
        #expect(object["timestamp"] as? String == "2026-11-26T07:09:04.123Z")
        #expect(try JSONDecoder().decode(TreeHead.self, from: json) == Self.head)
    }

    @Test func anotherKeysSignatureIsRejected() throws {
        let other = try AuditSigningKey.generate(name: Self.origin)
        let forged = try SignedTreeHead(signing: Self.head, origin: Self.origin, key: other)
        #expect(throws: AuditError.self) { try forged.verify(with: Self.key.verifyingKey) }
        do {
            try forged.verify(with: Self.key.verifyingKey)
        } catch {
            #expect(error.code == .signatureInvalid)
        }
    }

    @Test func changedRootOrSizeBreaksTheSignature() throws {
        let signed = try SignedTreeHead(signing: Self.head, origin: Self.origin, key: Self.key)
        let otherRoot = MerkleHash.leaf([1, 2, 3]).base64
        for tampered in [
            signed.note.replacingOccurrences(of: Self.root.base64, with: otherRoot),
            signed.note.replacingOccurrences(of: "\n7\n", with: "\n8\n"),
            signed.note.replacingOccurrences(of: "04.123Z", with: "04.124Z"),
        ] {
            let parsed = try SignedTreeHead(note: tampered)
            #expect(throws: AuditError.self) { try parsed.verify(with: Self.key.verifyingKey) }
        }
    }

    @Test func unknownCosignaturesAreIgnoredButABadKnownOneFails() throws {
        let signed = try SignedTreeHead(signing: Self.head, origin: Self.origin, key: Self.key)
        let witness = try AuditSigningKey.generate(name: "witness.example/w1")
        let witnessLine = NoteSignature(name: witness.name, keyID: witness.verifyingKey.keyID, signature: Data(repeating: 7, count: 64)).line
        let cosigned = try SignedTreeHead(note: signed.note + witnessLine)
        try cosigned.verify(with: Self.key.verifyingKey)
        // The witness line claims the witness key: with that key trusted too, its bad signature fails the note.
        #expect(throws: AuditError.self) { try cosigned.verify(withAnyOf: [Self.key.verifyingKey, witness.verifyingKey]) }
        // Only unknown signatures: rejected.
        let stranger = try AuditSigningKey.generate(name: "stranger.example").verifyingKey
        #expect(throws: AuditError.self) { try cosigned.verify(with: stranger) }
    }

    @Test(arguments: [
        ("no trailing newline", "rabt.example/audit\n7\nROOT\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt.example/audit SIG"),
        ("no blank line", "rabt.example/audit\n7\nROOT\ntimestamp 2026-11-26T07:09:04.123Z\n\u{2014} rabt.example/audit SIG\n"),
        ("two body lines", "rabt.example/audit\n7\n\n\u{2014} rabt.example/audit SIG\n"),
        ("leading zero size", "rabt.example/audit\n07\nROOT\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt.example/audit SIG\n"),
        ("negative size", "rabt.example/audit\n-7\nROOT\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt.example/audit SIG\n"),
        ("hex root", "rabt.example/audit\n7\n5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt.example/audit SIG\n"),
        ("short root", "rabt.example/audit\n7\nAAAA\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt.example/audit SIG\n"),
        ("no timestamp", "rabt.example/audit\n7\nROOT\n\n\u{2014} rabt.example/audit SIG\n"),
        ("bad timestamp", "rabt.example/audit\n7\nROOT\ntimestamp 2026-11-26T07:09:04Z\n\n\u{2014} rabt.example/audit SIG\n"),
        ("two timestamps", "rabt.example/audit\n7\nROOT\ntimestamp 2026-11-26T07:09:04.123Z\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt.example/audit SIG\n"),
        ("empty extension line", "rabt.example/audit\n7\nROOT\n\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt.example/audit SIG\n"),
        ("hyphen not em dash", "rabt.example/audit\n7\nROOT\ntimestamp 2026-11-26T07:09:04.123Z\n\n- rabt.example/audit SIG\n"),
        ("signature not base64", "rabt.example/audit\n7\nROOT\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt.example/audit !!!\n"),
        ("plus in key name", "rabt.example/audit\n7\nROOT\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt+audit SIG\n"),
        ("control character", "rabt.example/audit\t\n7\nROOT\ntimestamp 2026-11-26T07:09:04.123Z\n\n\u{2014} rabt.example/audit SIG\n"),
    ])
    func malformedNotesAreRefused(_ label: String, _ template: String) throws {
        let signed = try SignedTreeHead(signing: Self.head, origin: Self.origin, key: Self.key)
        let signatureBlob = String(signed.note.split(separator: " ").last!.dropLast())
        let note = template.replacingOccurrences(of: "ROOT", with: Self.root.base64).replacingOccurrences(of: "SIG", with: signatureBlob)
        do {
            _ = try SignedTreeHead(note: note)
            Issue.record("\(label): parsed")
        } catch {
            #expect(error.code == .malformedTreeHead, "\(label)")
        }
    }

    @Test func pemKeysRoundTrip() throws {
        let key = try AuditSigningKey.generate(name: Self.origin)
        #expect(key.pemRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let reread = try AuditSigningKey(name: Self.origin, pemRepresentation: key.pemRepresentation)
        #expect(reread.verifyingKey == key.verifyingKey)
        let publicPEM = key.verifyingKey.pemRepresentation
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try AuditVerifyingKey(name: Self.origin, pem: publicPEM) == key.verifyingKey)
        #expect(try AuditVerifyingKey(verifierKey: key.verifyingKey.verifierKey) == key.verifyingKey)
        #expect(throws: AuditError.self) { try AuditSigningKey(name: Self.origin, pemRepresentation: publicPEM) }
    }

    @Test func opensslPKCS8PrivateKeyIsRead() throws {
        // `openssl genpkey -algorithm ed25519` output: PKCS#8 v1 around the seed (RFC 8410 §10.3 example).
        let pem = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
            -----END PRIVATE KEY-----
            """
        let key = try AuditSigningKey(name: Self.origin, pemRepresentation: pem)
        #expect(key.rawRepresentation == Data(MerkleHash(hex: "d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842")!.bytes))
    }

    @Test(arguments: [
        "", "rabt example", "rabt+audit", "tab\there",
    ])
    func badKeyNamesAreRefused(_ name: String) {
        #expect(throws: AuditError.self) { try AuditSigningKey(name: name, rawRepresentation: Self.seed) }
    }

    @Test func verifierKeyWithWrongIDIsRefused() throws {
        let text = Self.key.verifyingKey.verifierKey
        let parts = text.split(separator: "+")
        let wrongID = String(format: "%08x", (Self.key.verifyingKey.keyID ^ 1))
        #expect(throws: AuditError.self) { try AuditVerifyingKey(verifierKey: "\(parts[0])+\(wrongID)+\(parts[2])") }
        #expect(throws: AuditError.self) { try AuditVerifyingKey(verifierKey: "other.example+\(parts[1])+\(parts[2])") }
        #expect(throws: AuditError.self) { try AuditVerifyingKey(verifierKey: String(text.dropLast(4))) }
    }
}
