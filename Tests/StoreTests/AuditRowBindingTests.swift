import Audit
import Foundation
import GRDB
@testable import Store
import Testing

/// Audit rows are bound through SQLite's C API; these check what lands in the columns.
@Suite struct AuditRowBindingTests {
    /// Varied events: empty and multi-byte strings, controls, absent fields, large integers.
    static func event(_ index: Int) -> AuditEvent {
        let texts = ["", "mol", "é\u{1F600}日本", "a\u{0}b\"\\\n", String(repeating: "x", count: 3000)]
        func text(_ salt: Int) -> String? { (index + salt) % 6 == 5 ? nil : texts[(index + salt) % texts.count] }
        return AuditEvent(
            kind: AuditEvent.Kind(index % 7 == 0 ? "" : "request.accepted"),
            exchangeId: text(0), consumer: text(1), provider: text(2), service: text(3),
            serviceVersion: index % 4 == 0 ? nil : CanonicalJSON.maxSafeInteger - index,
            operation: text(4), status: index % 5 == 0 ? nil : -index,
            attempts: index % 3 == 0 ? nil : [.init(url: text(5) ?? "u", status: index, durationMs: index)],
            latencyMs: index, requestDigest: text(6), problemType: text(7), detail: text(8)
        )
    }

    /// What GRDB stores for a `String` (it binds C strings): the text before any U+0000.
    static func upToNul(_ text: String) -> String {
        String(text.prefix { $0 != "\u{0}" })
    }

    @Test func columnsHoldTheEventsValuesWithTheirTypes() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        // 300 events: above the parallel threshold, so several encoded shares are inserted.
        let events = (0..<300).map(Self.event)
        let entries = try await store.appendAudit(events)
        #expect(try await store.auditCanonicalTexts(0..<300) == (try entries.map { try $0.canonicalText() }))
        #expect(try await store.auditLeafHashes(0..<300) == (try entries.map { try $0.leafHash() }))
        let rows = try await store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT sequence, time_ms, kind, exchange_id, consumer, provider, service, service_version,
                    operation, status, problem_type, typeof(entry) AS entry_type, typeof(leaf_hash) AS hash_type
                FROM audit_entry ORDER BY sequence
                """)
        }
        #expect(rows.count == 300)
        for (row, entry) in zip(rows, entries) {
            let event = entry.event
            #expect(row["sequence"] as Int == entry.sequence)
            #expect(row["time_ms"] as Int64 == entry.timeMilliseconds)
            #expect(row["kind"] as String == Self.upToNul(event.kind.rawValue))
            #expect(row["exchange_id"] as String? == event.exchangeId.map(Self.upToNul))
            #expect(row["consumer"] as String? == event.consumer.map(Self.upToNul))
            #expect(row["provider"] as String? == event.provider.map(Self.upToNul))
            #expect(row["service"] as String? == event.service.map(Self.upToNul))
            #expect(row["service_version"] as Int? == event.serviceVersion)
            #expect(row["operation"] as String? == event.operation.map(Self.upToNul))
            #expect(row["status"] as Int? == event.status)
            #expect(row["problem_type"] as String? == event.problemType.map(Self.upToNul))
            #expect(row["entry_type"] as String == "text")
            #expect(row["hash_type"] as String == "blob")
        }
        #expect(try await store.verifyAuditTree().isIntact)
        try await store.close()
    }

    @Test func searchFindsAValueHoldingNulAsGRDBBindsIt() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        _ = try await store.appendAudit([AuditEvent(kind: "k", consumer: "a\u{0}b"), AuditEvent(kind: "k", consumer: "b")])
        #expect(try await store.searchAudit(AuditQuery(consumer: "a\u{0}b")).entries.map(\.sequence) == [0])
        #expect(try await store.auditEntry(sequence: 0)?.event.consumer == "a\u{0}b")
        try await store.close()
    }

    @Test func anEmptyStringIsStoredAsTextNotNull() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        _ = try await store.appendAudit([
            AuditEvent(kind: "k", consumer: ""),
            AuditEvent(kind: "k"),
        ])
        let page = try await store.searchAudit(AuditQuery(consumer: ""))
        #expect(page.entries.map(\.sequence) == [0])
        let nulls = try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry WHERE consumer IS NULL")
        }
        #expect(nulls == 1)
        try await store.close()
    }
}
