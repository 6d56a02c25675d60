import Audit
import Crypto
import Foundation
import Testing

@Suite struct AuditEntryTests {
    static let delivered = AuditEntry(
        sequence: 42,
        timeMilliseconds: 1_795_676_944_123,
        event: AuditEvent(
            kind: .responseDelivered,
            exchangeId: "01JD6Q7W3X",
            consumer: "mol",
            provider: "moj",
            service: "criminal-record-certificate",
            serviceVersion: 1,
            operation: "POST /certificates",
            status: 200,
            attempts: [
                .init(url: "https://moj.example/a", error: "timeout", durationMs: 5000),
                .init(url: "https://moj.example/b", status: 200, durationMs: 31),
            ],
            latencyMs: 5040,
            requestDigest: "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
            responseDigest: "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:"
        )
    )

    @Test func canonicalTextOfAFullEntry() throws {
        let expected = #"{"attempts":[{"durationMs":5000,"error":"timeout","url":"https://moj.example/a"},"#
            + #"{"durationMs":31,"status":200,"url":"https://moj.example/b"}],"consumer":"mol","#
            + #""exchangeId":"01JD6Q7W3X","kind":"response.delivered","latencyMs":5040,"#
            + #""operation":"POST /certificates","provider":"moj","#
            + #""requestDigest":"sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:","#
            + #""responseDigest":"sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:","#
            + #""sequence":42,"service":"criminal-record-certificate","serviceVersion":1,"status":200,"#
            + #""time":"2026-11-26T07:09:04.123Z"}"#
        #expect(try Self.delivered.canonicalText() == expected)
    }

    @Test func absentFieldsAreOmitted() throws {
        let entry = AuditEntry(
            sequence: 0, timeMilliseconds: 0,
            event: AuditEvent(kind: .agencyAdded, actor: "operator-1", target: "moj", detail: "Ministry of \"Justice\"")
        )
        #expect(try entry.canonicalText()
            == #"{"actor":"operator-1","detail":"Ministry of \"Justice\"","kind":"admin.agency.added","sequence":0,"target":"moj","time":"1970-01-01T00:00:00.000Z"}"#)
    }

    @Test func leafHashIsSHA256OfZeroByteAndCanonicalBytes() throws {
        let bytes = try Self.delivered.canonicalBytes()
        let expected = Array(SHA256.hash(data: [0x00] + bytes))
        #expect(try Self.delivered.leafHash().bytes == expected)
        #expect(try Self.delivered.leafHash() != MerkleHash.leaf(bytes.dropLast()))
    }

    @Test func decodingCanonicalTextGivesTheSameEntryAndBytes() throws {
        let text = try Self.delivered.canonicalText()
        let decoded = try AuditEntry(canonicalText: text)
        #expect(decoded == Self.delivered)
        #expect(try decoded.canonicalText() == text)
    }

    @Test func decodingIgnoresUnknownMembersButRejectsBadTime() throws {
        let entry = try AuditEntry(canonicalText: #"{"future":1,"kind":"x.y","sequence":3,"time":"2026-01-01T00:00:00.000Z"}"#)
        #expect(entry.sequence == 3)
        #expect(entry.event.kind.rawValue == "x.y")
        #expect(throws: AuditError.self) {
            try AuditEntry(canonicalText: #"{"kind":"x.y","sequence":3,"time":"yesterday"}"#)
        }
        #expect(throws: AuditError.self) { try AuditEntry(canonicalText: #"{"kind":"x.y"}"#) }
    }

    @Test func timeIsRoundedToTheMillisecond() {
        let entry = AuditEntry(sequence: 1, time: Date(timeIntervalSince1970: 1.2345678), event: AuditEvent(kind: "x"))
        #expect(entry.timeMilliseconds == 1235)
        #expect(entry.time == Date(timeIntervalSince1970: 1.235))
    }

    @Test func digestHelperUsesContentDigestForm() {
        // SHA-256 of "hello": 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
        #expect(AuditEvent.digest(of: Array("hello".utf8)) == "sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:")
    }
}
