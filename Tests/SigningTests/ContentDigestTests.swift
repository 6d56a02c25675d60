import Foundation
import FieldLines
import HTTPTypes
import Signing
import Testing

@Suite("RFC 9530 Content-Digest")
struct ContentDigestTests {
    static let body = Data(#"{"hello": "world"}"#.utf8)
    static let sha256 = "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
    static let sha512 = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"

    @Test("field values match the RFC 9530 examples for sha-256 and sha-512")
    func values() {
        #expect(ContentDigest.fieldValue(for: Self.body) == Self.sha256)
        #expect(ContentDigest.fieldValue(for: Self.body, algorithms: [.sha512]) == Self.sha512)
        #expect(ContentDigest.fieldValue(for: Self.body, algorithms: [.sha256, .sha512]) == "\(Self.sha256), \(Self.sha512)")
    }

    @Test("each supported algorithm verifies; unknown members are ignored")
    func verifies() throws {
        try ContentDigest.verify(Self.sha256, body: Self.body)
        try ContentDigest.verify(Self.sha512, body: Self.body)
        try ContentDigest.verify("md5=:AAAA:, \(Self.sha256)", body: Self.body)
        try ContentDigest.verify(HTTPFields([("content-digest", Self.sha256), ("Content-Digest", Self.sha512)]), body: Self.body)
    }

    @Test("a wrong digest in any supported member is digest-mismatch")
    func mismatch() async {
        let other = Data(#"{"hello": "there"}"#.utf8)
        await expectSigningError(.digestMismatch, containing: "sha-256") {
            try ContentDigest.verify(Self.sha256, body: other)
        }
        await expectSigningError(.digestMismatch, containing: "sha-512") {
            try ContentDigest.verify(Self.sha512, body: other)
        }
        let wrong512 = ContentDigest.fieldValue(for: other, algorithms: [.sha512])
        await expectSigningError(.digestMismatch, containing: "sha-512") {
            try ContentDigest.verify("\(Self.sha256), \(wrong512)", body: Self.body)
        }
        await expectSigningError(.digestMismatch, containing: "byte sequence") {
            try ContentDigest.verify("sha-256=\"abc\"", body: Self.body)
        }
        await expectSigningError(.digestMismatch, containing: "structured") {
            try ContentDigest.verify("sha-256=:abc", body: Self.body)
        }
    }

    @Test("no field, or no supported algorithm, is digest-missing")
    func missing() async {
        await expectSigningError(.digestMissing) {
            try ContentDigest.verify(nil as String?, body: Self.body)
        }
        await expectSigningError(.digestMissing) {
            try ContentDigest.verify("md5=:AAAAAAAAAAAAAAAAAAAAAA==:", body: Self.body)
        }
        await expectSigningError(.digestMissing) {
            try ContentDigest.verify(HTTPFields(), body: Self.body)
        }
    }
}
