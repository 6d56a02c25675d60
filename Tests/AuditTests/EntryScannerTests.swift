import Audit
import Foundation
import Testing

/// The verifier's fast entry check agrees with `AuditEntry(canonicalText:)` on what an entry is.
@Suite struct EntryScannerTests {
    static let time = "2026-11-26T07:09:04.123Z"

    /// The failure checking `text` as entry 0, or nil when it passes.
    static func check(_ text: String) -> AuditVerificationFailure? {
        var verifier = AuditVerifier(keys: [], origin: nil, options: .init(requireSignedEnd: false))
        do {
            try verifier.append(entryText: text)
            return nil
        } catch {
            return error
        }
    }

    static func check(bytes: [UInt8]) -> AuditVerificationFailure? {
        var verifier = AuditVerifier(keys: [], origin: nil, options: .init(requireSignedEnd: false))
        do {
            try verifier.append(entryBytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func canonicalEntriesPassAndDecode() throws {
        var verifier = AuditVerifier(keys: [], origin: nil, options: .init(requireSignedEnd: false))
        for sequence in 0..<30 {
            let text = try TestLog.entry(sequence).canonicalText()
            try verifier.append(entryText: text)
            #expect(try AuditEntry(canonicalText: text).sequence == sequence)
        }
        #expect(try verifier.finish().entriesChecked == 30)
    }

    @Test func unknownMembersAndWhitespaceAreAccepted() {
        #expect(Self.check(#"{"kind":"x","sequence":0,"time":"\#(Self.time)","zz":[1,{"a":null,"b":true}]}"#) == nil)
        #expect(Self.check(#" { "kind" : "x" , "sequence" : 0 , "time" : "\#(Self.time)" } "#) == nil)
        #expect(Self.check(#"{"detail":"tab\tquote\"\u00e9","kind":"x","sequence":0,"time":"\#(Self.time)"}"#) == nil)
    }

    @Test(arguments: [
        ("empty", ""),
        ("empty object", "{}"),
        ("no time", #"{"kind":"x","sequence":0}"#),
        ("no kind", #"{"sequence":0,"time":"TIME"}"#),
        ("no sequence", #"{"kind":"x","time":"TIME"}"#),
        ("numeric kind", #"{"kind":1,"sequence":0,"time":"TIME"}"#),
        ("members out of order", #"{"sequence":0,"kind":"x","time":"TIME"}"#),
        ("duplicate member", #"{"kind":"x","kind":"x","sequence":0,"time":"TIME"}"#),
        ("escaped member name", #"{"kind":"x","sequ\u0065nce":0,"time":"TIME"}"#),
        ("fractional sequence", #"{"kind":"x","sequence":0.0,"time":"TIME"}"#),
        ("string sequence", #"{"kind":"x","sequence":"0","time":"TIME"}"#),
        ("negative sequence", #"{"kind":"x","sequence":-1,"time":"TIME"}"#),
        ("leading zero", #"{"kind":"x","sequence":00,"time":"TIME"}"#),
        ("huge integer", #"{"kind":"x","latencyMs":9007199254740992,"sequence":0,"time":"TIME"}"#),
        ("time without milliseconds", #"{"kind":"x","sequence":0,"time":"2026-11-26T07:09:04Z"}"#),
        ("string status", #"{"kind":"x","sequence":0,"status":"200","time":"TIME"}"#),
        ("integer detail", #"{"detail":5,"kind":"x","sequence":0,"time":"TIME"}"#),
        ("attempts not an array", #"{"attempts":{},"kind":"x","sequence":0,"time":"TIME"}"#),
        ("trailing text", #"{"kind":"x","sequence":0,"time":"TIME"}x"#),
        ("trailing comma", #"{"kind":"x","sequence":0,"time":"TIME",}"#),
        ("unterminated string", #"{"kind":"x,"sequence":0,"time":"TIME"}"#),
        ("bad escape", #"{"detail":"\q","kind":"x","sequence":0,"time":"TIME"}"#),
        ("raw control character", "{\"detail\":\"a\u{01}b\",\"kind\":\"x\",\"sequence\":0,\"time\":\"TIME\"}"),
        ("too deep", #"{"kind":"x","sequence":0,"time":"TIME","z":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]}"#),
        ("bad literal", #"{"kind":"x","sequence":0,"time":"TIME","z":nul}"#),
    ])
    func malformedEntriesAreRefused(_ label: String, _ template: String) {
        let text = template.replacingOccurrences(of: "TIME", with: Self.time)
        #expect(Self.check(text)?.kind == .entryMalformed, "\(label)")
        #expect((try? AuditEntry(canonicalText: text)) == nil || label.contains("order") || label.contains("escaped")
            || label.contains("duplicate") || label.contains("huge") || label.contains("leading") || label.contains("negative")
            || label.contains("fractional") || label.contains("deep") || label.contains("control") || label.contains("trailing comma"),
            "\(label): the scanner is stricter than the decoder only on canonical-form rules")
    }

    @Test func invalidUTF8IsRefused() {
        let prefix = Array(#"{"detail":""#.utf8)
        let suffix = Array(#"","kind":"x","sequence":0,"time":"\#(Self.time)"}"#.utf8)
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            #expect(Self.check(bytes: prefix + bad + suffix)?.kind == .entryMalformed)
        }
        #expect(Self.check(bytes: prefix + [0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80] + suffix) == nil)
    }
}
