import Audit
import Foundation
import Store
import Testing

@Suite struct TreeHeadTests {
    @Test func headsAreStoredAndServedBySize() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let leaves = try await AuditTreeTests.fill(store, count: 30)
        #expect(try await store.latestTreeHead() == nil)
        let time = Date(timeIntervalSince1970: 1_795_000_000.123)
        var heads: [StoredTreeHead] = []
        for size in [0, 10, 20, 30] {
            let head = StoredTreeHead(size: size, rootHash: MerkleTree.rootHash(leaves: leaves[0..<size]),
                                      timestamp: time.addingTimeInterval(Double(size)), note: "rabt.example/log\n\(size)\n")
            #expect(try await store.saveTreeHead(head) == head)
            heads.append(head)
        }
        #expect(try await store.latestTreeHead() == heads[3])
        #expect(try await store.treeHead(size: 20) == heads[2])
        #expect(try await store.treeHead(size: 21) == nil)
        #expect(try await store.treeHead(covering: 11) == heads[2])
        #expect(try await store.treeHead(covering: 30) == heads[3])
        #expect(try await store.treeHead(covering: 31) == nil)
        #expect(try await store.treeHeads(sizes: 5...30) == Array(heads[1...]))
        #expect(try await store.treeHeads(sizes: 0...30, limit: 2) == Array(heads[0..<2]))
        try await store.close()

        let reopened = try await SQLiteStore.open(folder)
        #expect(try await reopened.latestTreeHead() == heads[3])
        try await reopened.close()
    }

    @Test func aPublishedHeadIsNeverReplaced() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let leaves = try await AuditTreeTests.fill(store, count: 5)
        let root = MerkleTree.rootHash(leaves: leaves)
        let first = StoredTreeHead(size: 5, rootHash: root, timestamp: Date(timeIntervalSince1970: 1_795_000_000), note: "first")
        try await store.saveTreeHead(first)
        let later = StoredTreeHead(size: 5, rootHash: root, timestamp: Date(timeIntervalSince1970: 1_795_000_060), note: "second")
        #expect(try await store.saveTreeHead(later) == first)
        #expect(try await store.treeHead(size: 5) == first)
        try await store.close()
    }

    @Test func headsThatDoNotDescribeTheLogAreRefused() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let leaves = try await AuditTreeTests.fill(store, count: 5)
        let wrongRoot = StoredTreeHead(size: 4, rootHash: MerkleTree.rootHash(leaves: leaves), timestamp: Date(), note: "n")
        #expect(await storeErrorCode { try await store.saveTreeHead(wrongRoot) } == .invalidArgument)
        let tooLarge = StoredTreeHead(size: 6, rootHash: MerkleTree.rootHash(leaves: leaves), timestamp: Date(), note: "n")
        #expect(await storeErrorCode { try await store.saveTreeHead(tooLarge) } == .invalidArgument)
        #expect(try await store.latestTreeHead() == nil)
        try await store.close()
    }
}

@Suite struct AuditBodyTests {
    static let request = Data("sealed-request".utf8)
    static let response = Data("sealed-response".utf8)

    @Test func bodiesAreStoredWithTheirEntries() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let bodies = [
            AuditBody(exchangeId: "ex-1", part: .response, sealed: Self.response),
            AuditBody(exchangeId: "ex-1", part: .request, sealed: Self.request),
        ]
        let entries = try await store.appendAudit([AuditLogTests.event(1)], bodies: bodies)
        #expect(entries.map(\.sequence) == [0])
        #expect(try await store.auditBodies(exchangeId: "ex-1") == bodies.reversed())
        #expect(try await store.auditBodies(exchangeId: "ex-2").isEmpty)
        try await store.saveAuditBody(exchangeId: "ex-2", part: .request, sealed: Self.request)
        #expect(try await store.auditBodies(exchangeId: "ex-2") == [AuditBody(exchangeId: "ex-2", part: .request, sealed: Self.request)])
        try await store.close()
    }

    @Test func aDuplicateBodyFailsItsWholeAppend() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.saveAuditBody(exchangeId: "ex-1", part: .request, sealed: Self.request)
        let code = await storeErrorCode {
            _ = try await store.appendAudit([AuditLogTests.event(1)], bodies: [AuditBody(exchangeId: "ex-1", part: .request, sealed: Self.response)])
        }
        #expect(code == .conflict)
        #expect(try await store.auditCount() == 0)
        #expect(try await store.auditBodies(exchangeId: "ex-1").map(\.sealed) == [Self.request])
        #expect(await storeErrorCode { try await store.saveAuditBody(exchangeId: "ex-1", part: .request, sealed: Self.request) } == .conflict)
        try await store.close()
    }

    @Test func writerCommitsBodiesAndBoundsTheirBytes() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let writer = AuditLogWriter(store: store, configuration: .init(bodyCapacity: 16))
        let body = AuditBody(exchangeId: "ex-3", part: .request, sealed: Self.request)
        #expect(try await writer.record([AuditLogTests.event(3)], bodies: [body]).count == 1)
        #expect(try await store.auditBodies(exchangeId: "ex-3") == [body])
        let large = AuditBody(exchangeId: "ex-4", part: .request, sealed: Data(count: 17))
        #expect(await storeErrorCode { _ = try await writer.record([AuditLogTests.event(4)], bodies: [large]) } == .auditUnavailable)
        #expect(try await store.auditCount() == 1)
        try await store.close()
    }
}
