import Audit
@testable import Store
import Testing

@Suite struct AuditTextScannerTests {
    @Test func findsTheTopLevelSequenceOfAStoredEntry() throws {
        var event = AuditLogTests.event(3)
        event.attempts = [AuditEvent.Attempt(url: "https://moj.example/a", status: 200, durationMs: 31)]
        event.detail = #"not "sequence":7 {"sequence":8}"#
        let text = try AuditEntry(sequence: 123_456, timeMilliseconds: 0, event: event).canonicalText()
        #expect(AuditTextScanner.sequence(of: Array(text.utf8)) == 123_456)
    }

    @Test func answersNilForTextsWithoutATopLevelSequence() {
        for text in [#"{"a":{"sequence":1}}"#, #"{"sequence":"1"}"#, #"{"sequence":-1}"#, #"["sequence",1]"#, #"{"sequence""#, "", #"{"x":"\"}"#] {
            #expect(AuditTextScanner.sequence(of: Array(text.utf8)) == nil, "\(text)")
        }
        #expect(AuditTextScanner.sequence(of: Array(#"{"a":[{"sequence":1}],"sequence":2}"#.utf8)) == 2)
    }
}
