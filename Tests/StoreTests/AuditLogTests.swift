import Audit
import Foundation
import Store
import Testing

@Suite struct AuditLogTests {
    static func event(_ index: Int) -> AuditEvent {
        AuditEvent(kind: .requestAccepted, exchangeId: "ex-\(index)", consumer: "mol", provider: "moj",
                   service: "crc", serviceVersion: 1, operation: "POST /certificates", status: 200)
    }

    @Test func numberingContinuesAfterReopening() async throws {
        let folder = try TemporaryFolder()
        let first = try await SQLiteStore.open(folder)
        _ = try await first.appendAudit([Self.event(0), Self.event(1)])
        try await first.close()
        let second = try await SQLiteStore.open(folder)
        #expect(try await second.appendAudit([Self.event(2)]).map(\.sequence) == [2])
        try await second.close()
    }

    @Test func writerRefusesAnEventThatCannotBeCanonical() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        var bad = Self.event(0)
        bad.latencyMs = Int.max
        let writer = AuditLogWriter(store: store)
        #expect(await storeErrorCode { _ = try await writer.record(bad) } == .invalidArgument)
        #expect(try await store.auditCount() == 0)
        try await store.close()
    }

    @Test func readOnlyStoreFailsAppendsWithAuditUnavailable() async throws {
        let folder = try TemporaryFolder()
        let writable = try await SQLiteStore.open(folder)
        _ = try await writable.appendAudit([Self.event(0)])
        try await writable.close()

        let store = try await SQLiteStore.open(folder, readOnly: true)
        #expect(await storeErrorCode { _ = try await store.appendAudit([Self.event(1)]) } == .auditUnavailable)
        let writer = AuditLogWriter(store: store)
        #expect(await storeErrorCode { _ = try await writer.record(Self.event(1)) } == .auditUnavailable)
        // The writer recovers its state after a failure: the next caller fails the same way, no hang.
        #expect(await storeErrorCode { _ = try await writer.record(Self.event(2)) } == .auditUnavailable)
        #expect(try await store.auditCount() == 1)
        try await store.close()
    }
}

@Suite struct AuditLogWriterTests {
    @Test func twoHundredConcurrentCallersGetConsecutiveSequences() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let writer = AuditLogWriter(store: store, configuration: .init(capacity: 1_000, maxBatch: 64))
        let entries = try await withThrowingTaskGroup(of: AuditEntry.self) { group in
            for index in 0..<200 {
                group.addTask { try await writer.record(AuditLogTests.event(index)) }
            }
            return try await group.reduce(into: [AuditEntry]()) { $0.append($1) }
        }
        #expect(entries.map(\.sequence).sorted() == Array(0..<200))
        // Each caller got back its own event, and the log holds exactly what callers were told.
        #expect(Set(entries.map(\.event.exchangeId)) == Set((0..<200).map { "ex-\($0)" }))
        let stored = try await store.auditEntries(after: nil, limit: 500)
        #expect(stored == entries.sorted { $0.sequence < $1.sequence })
        #expect(await writer.backlog == 0)
        // Group commit: callers arriving while a batch commits share the next transaction.
        let batches = await writer.batchCount
        #expect(batches >= 200 / 64 && batches < 200)
        try await store.close()
    }

    @Test func multiEventRecordsStayConsecutive() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let writer = AuditLogWriter(store: store, configuration: .init(maxBatch: 4))
        let groups = try await withThrowingTaskGroup(of: [AuditEntry].self) { group in
            for index in 0..<30 {
                group.addTask { try await writer.record([AuditLogTests.event(index * 3), AuditLogTests.event(index * 3 + 1), AuditLogTests.event(index * 3 + 2)]) }
            }
            return try await group.reduce(into: [[AuditEntry]]()) { $0.append($1) }
        }
        for entries in groups {
            let base = entries[0].sequence
            #expect(entries.map(\.sequence) == [base, base + 1, base + 2])
        }
        #expect(try await store.auditCount() == 90)
        try await store.close()
    }

    @Test func concurrentCallersOnAnUnwritableStoreAllFailWithoutHanging() async throws {
        let folder = try TemporaryFolder()
        try await SQLiteStore.open(folder).close()
        let store = try await SQLiteStore.open(folder, readOnly: true)
        let writer = AuditLogWriter(store: store, configuration: .init(maxBatch: 8))
        let codes = await withTaskGroup(of: StoreError.Code?.self) { group in
            for index in 0..<50 {
                group.addTask { await storeErrorCode { _ = try await writer.record(AuditLogTests.event(index)) } }
            }
            return await group.reduce(into: [StoreError.Code?]()) { $0.append($1) }
        }
        #expect(codes.count == 50)
        #expect(codes.allSatisfy { $0 == .auditUnavailable })
        #expect(await writer.backlog == 0)
        try await store.close()
    }

    @Test func writerCommitsBodiesAndBoundsTheirBytes() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let writer = AuditLogWriter(store: store, configuration: .init(bodyCapacity: 16))
        let body = AuditBody(exchangeId: "ex-3", part: .request, sealed: AuditBodyConformanceTests.request)
        #expect(try await writer.record([AuditLogTests.event(3)], bodies: [body]).count == 1)
        #expect(try await store.auditBodies(exchangeId: "ex-3") == [body])
        let large = AuditBody(exchangeId: "ex-4", part: .request, sealed: Data(count: 17))
        #expect(await storeErrorCode { _ = try await writer.record([AuditLogTests.event(4)], bodies: [large]) } == .auditUnavailable)
        #expect(try await store.auditCount() == 1)
        try await store.close()
    }

    @Test func moreEventsThanCapacityAreRefusedAtOnce() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let writer = AuditLogWriter(store: store, configuration: .init(capacity: 3))
        #expect(await storeErrorCode { _ = try await writer.record((0..<4).map(AuditLogTests.event)) } == .auditUnavailable)
        #expect(try await writer.record((0..<3).map(AuditLogTests.event)).count == 3)
        try await store.close()
    }
}

@Suite struct AuditRecoveryTests {
    @Test func writerFailsClosedWhileStorageIsLockedAndRecoversWhenItReturns() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder, busyTimeout: .milliseconds(50))
        let writer = AuditLogWriter(store: store, configuration: .init(maxBatch: 4))
        _ = try await writer.record(AuditLogTests.event(0))

        // Another process takes the write lock: storage is gone as far as the log can tell.
        let other = try LockHolder(path: folder.databasePath)
        try other.lock()
        let codes = await withTaskGroup(of: StoreError.Code?.self) { group in
            for index in 1...10 {
                group.addTask { await storeErrorCode { _ = try await writer.record(AuditLogTests.event(index)) } }
            }
            return await group.reduce(into: [StoreError.Code?]()) { $0.append($1) }
        }
        #expect(codes == Array(repeating: .auditUnavailable, count: 10))
        #expect(await writer.backlog == 0)

        // Storage returns: the same writer commits again, with no gap in the numbering or the tree.
        try other.release()
        let entries = try await withThrowingTaskGroup(of: AuditEntry.self) { group in
            for index in 11...20 {
                group.addTask { try await writer.record(AuditLogTests.event(index)) }
            }
            return try await group.reduce(into: [AuditEntry]()) { $0.append($1) }
        }
        #expect(entries.map(\.sequence).sorted() == Array(1...10))
        #expect(try await store.auditCount() == 11)
        #expect(try await store.verifyAuditTree().isIntact)
        try await store.close()
    }
}

@Suite struct AuditLogWriterIsolationTests {
    @Test func aBadEventFailsOnlyItsOwnCaller() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let writer = AuditLogWriter(store: store, configuration: .init(maxBatch: 64))
        var bad = AuditLogTests.event(0)
        bad.latencyMs = Int.max
        let outcomes = await withTaskGroup(of: (Int, StoreError.Code?).self) { group in
            for index in 0..<60 {
                let event = index % 20 == 7 ? bad : AuditLogTests.event(index)
                group.addTask { (index, await storeErrorCode { _ = try await writer.record(event) }) }
            }
            return await group.reduce(into: [Int: StoreError.Code?]()) { $0[$1.0] = $1.1 }
        }
        for index in 0..<60 {
            #expect(outcomes[index] == (index % 20 == 7 ? StoreError.Code.invalidArgument : nil), "caller \(index)")
        }
        #expect(try await store.auditCount() == 57)
        #expect(try await store.verifyAuditTree().isIntact)
        #expect(await writer.backlog == 0)
        try await store.close()
    }
}
