import Audit
import Foundation
import Testing

/// A 20-entry log with heads at 0, 5, 8, 13 and 20. Its full export, line by line:
/// 1 header · 2 head 0 · 3–7 entries 0–4 · 8 head 5 · 9–11 entries 5–7 · 12 head 8 ·
/// 13–17 entries 8–12 · 18 head 13 · 19–25 entries 13–19 · 26 head 20.
@Suite struct ExportVerificationTests {
    static let log = try! TestLog(count: 20, headSizes: [0, 5, 8, 13, 20])
    static let full = try! log.export()

    /// Line index (0-based) of the entry with `sequence` in the full export.
    static func index(ofEntry sequence: Int) -> Int {
        let headsBefore = log.heads.filter { $0.head.size <= sequence }.count
        return 1 + headsBefore + sequence
    }

    @Test func layoutIsHeaderEntriesAndHeadsInPlace() throws {
        let lines = exportLines(Self.full)
        #expect(lines.count == 26)
        #expect(lines[0].hasPrefix(#"{"format":"rabt-audit-export/1","frontier":[],"origin":"rabt.example/audit","range":{"from":0,"to":20},"verifierKey":"rabt.example/audit+"#))
        #expect(lines[1].hasPrefix(#"{"treeHead":"rabt.example/audit\n0\n"#))
        #expect(lines[2] == Self.log.texts[0])
        #expect(lines[7].hasPrefix(#"{"treeHead":"rabt.example/audit\n5\n"#))
        #expect(lines[Self.index(ofEntry: 8)] == Self.log.texts[8])
        #expect(lines[25].hasPrefix(#"{"treeHead":"rabt.example/audit\n20\n"#))
    }

    @Test func untouchedExportVerifies() throws {
        let result = try verifyExport(Self.full)
        #expect(result.entriesChecked == 20)
        #expect(result.headsChecked == 5)
        #expect(result.size == 20)
        #expect(result.rootHash == MerkleTree.rootHash(leaves: Self.log.leaves))
        #expect(result.lastHead == Self.log.heads.last)
    }

    @Test func changedFieldFailsAtTheHeadCoveringIt() throws {
        var lines = exportLines(Self.full)
        let index = Self.index(ofEntry: 9)
        lines[index] = lines[index].replacingOccurrences(of: #""status":200"#, with: #""status":500"#)
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .headRootMismatch)
        #expect(failure.treeSize == 13)
        #expect(failure.entries == 8..<13)
        #expect(failure.sequence == 8)
        #expect(failure.line == 18)
    }

    @Test func deletedEntryFailsAtItsSequence() throws {
        var lines = exportLines(Self.full)
        lines.remove(at: Self.index(ofEntry: 6))
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .sequenceMismatch)
        #expect(failure.sequence == 6)
        #expect(failure.foundSequence == 7)
        #expect(failure.line == Self.index(ofEntry: 6) + 1)
    }

    @Test func reorderedEntriesFailAtTheFirst() throws {
        var lines = exportLines(Self.full)
        lines.swapAt(Self.index(ofEntry: 10), Self.index(ofEntry: 11))
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .sequenceMismatch)
        #expect(failure.sequence == 10)
        #expect(failure.foundSequence == 11)
    }

    @Test func duplicatedEntryFailsAtTheCopy() throws {
        var lines = exportLines(Self.full)
        let index = Self.index(ofEntry: 3)
        lines.insert(lines[index], at: index + 1)
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .sequenceMismatch)
        #expect(failure.sequence == 4)
        #expect(failure.foundSequence == 3)
        #expect(failure.line == index + 2)
    }

    @Test func truncatedTailFailsAtTheFirstMissingEntry() throws {
        let lines = exportLines(Self.full)
        let failure = try #require(verificationFailure(joined(Array(lines.dropLast(4)))))
        #expect(failure.kind == .entriesMissing)
        #expect(failure.sequence == 17)
        #expect(failure.entries == 17..<20)
    }

    @Test func truncatedTailWithRewrittenHeaderLeavesEntriesUnsigned() throws {
        var lines = Array(exportLines(Self.full).dropLast(4))
        lines[0] = lines[0].replacingOccurrences(of: #""to":20"#, with: #""to":17"#)
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .entriesUnsigned)
        #expect(failure.sequence == 13)
        #expect(failure.entries == 13..<17)
    }

    @Test func exportCutAtAHeadVerifiesOnlyUpToThatHead() throws {
        // A shorter but intact prefix is a valid export: the auditor sees which head it ends at and
        // compares it with the latest checkpoint obtained elsewhere.
        var lines = Array(exportLines(Self.full).prefix(18))
        lines[0] = lines[0].replacingOccurrences(of: #""to":20"#, with: #""to":13"#)
        let result = try verifyExport(joined(lines))
        #expect(result.lastHead?.head.size == 13)
        #expect(result.lastHead != Self.log.heads.last)
    }

    @Test func checkpointFromElsewhereCatchesAShortenedExport() throws {
        var lines = Array(exportLines(Self.full).prefix(18))
        lines[0] = lines[0].replacingOccurrences(of: #""to":20"#, with: #""to":13"#)
        let latest = try #require(Self.log.heads.last)
        do {
            _ = try verify(joined(lines), checkpoints: [latest])
            Issue.record("shortened export verified against a later checkpoint")
        } catch {
            #expect(error.kind == .headBeyondEntries)
            #expect(error.treeSize == 20)
            #expect(error.line == nil)
        }
    }

    @Test func checkpointsAreCheckedAtTheirSizeInAnyTimeOrder() throws {
        // The same size signed again later: fine whichever comes first.
        let later = try TestLog.head(size: 13, leaves: Self.log.leaves, time: TestLog.baseTime + 13_900)
        #expect(try verify(Self.full, checkpoints: [later]).headsChecked == 6)
        // A checkpoint that disagrees with the export at its size is a fork.
        let forked = try TestLog.head(size: 13, leaves: Self.log.leaves, root: MerkleHash.leaf([7]))
        #expect(throws: AuditVerificationFailure.self) { try verify(Self.full, checkpoints: [forked]) }
        do {
            _ = try verify(Self.full, checkpoints: [forked])
        } catch {
            #expect(error.kind == .headRootMismatch)
            #expect(error.treeSize == 13)
        }
    }

    func verify(_ text: String, checkpoints: [SignedTreeHead]) throws(AuditVerificationFailure) -> AuditVerificationResult {
        var data: Data? = Data(text.utf8)
        return try AuditVerifier.verifyExport(keys: [TestLog.key.verifyingKey], checkpoints: checkpoints) {
            defer { data = nil }
            return data
        }
    }

    @Test func removedLastHeadLeavesEntriesUnsigned() throws {
        let failure = try #require(verificationFailure(joined(Array(exportLines(Self.full).dropLast()))))
        #expect(failure.kind == .entriesUnsigned)
        #expect(failure.sequence == 13)
    }

    @Test func headSignedByAnotherKeyIsRejected() throws {
        // The attacker changes entry 9 and re-signs every later head with a key of the same name.
        let forger = try AuditSigningKey.generate(name: TestLog.origin)
        var tampered = Self.log
        tampered.texts[9] = tampered.texts[9].replacingOccurrences(of: #""status":200"#, with: #""status":500"#)
        tampered.leaves[9] = MerkleHash.leaf(Array(tampered.texts[9].utf8))
        tampered.heads[3] = try TestLog.head(size: 13, leaves: tampered.leaves, key: forger)
        tampered.heads[4] = try TestLog.head(size: 20, leaves: tampered.leaves, key: forger)
        let failure = try #require(verificationFailure(try tampered.export()))
        #expect(failure.kind == .headSignatureInvalid)
        #expect(failure.treeSize == 13)
        #expect(failure.line == 18)
        #expect(failure.entries == nil)
    }

    @Test func headWithEditedRootIsRejected() throws {
        var lines = exportLines(Self.full)
        let original = Self.log.heads[2].head.rootHash.base64
        lines[11] = lines[11].replacingOccurrences(of: original, with: MerkleHash.leaf([9]).base64)
        #expect(lines[11] != exportLines(Self.full)[11])
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .headSignatureInvalid)
        #expect(failure.treeSize == 8)
        #expect(failure.line == 12)
    }

    @Test func signedHeadWithAWrongRootIsReported() throws {
        var log = Self.log
        log.heads[2] = try TestLog.head(size: 8, leaves: log.leaves, root: MerkleHash.leaf([9]))
        let failure = try #require(verificationFailure(try log.export()))
        #expect(failure.kind == .headRootMismatch)
        #expect(failure.treeSize == 8)
        #expect(failure.entries == 5..<8)
    }

    @Test func headTimeGoingBackwardsIsReported() throws {
        var log = Self.log
        log.heads[3] = try TestLog.head(size: 13, leaves: log.leaves, time: TestLog.baseTime)
        let failure = try #require(verificationFailure(try log.export()))
        #expect(failure.kind == .headTimeDecreasing)
        #expect(failure.treeSize == 13)
    }

    @Test func headForAnotherOriginIsReported() throws {
        var lines = exportLines(Self.full)
        let other = try TestLog.head(size: 8, leaves: Self.log.leaves, origin: "other.example/log")
        lines[11] = try AuditExportWriter.line(for: other)
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .headOriginMismatch)
    }

    @Test func headMovedAfterLaterEntriesIsOutOfPlace() throws {
        var lines = exportLines(Self.full)
        let head = lines.remove(at: 7)
        lines.insert(head, at: 9)
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .headOutOfPlace)
        #expect(failure.treeSize == 5)
        #expect(failure.line == 10)
    }

    @Test func headPlacedBeforeItsEntriesWaitsForThem() throws {
        var lines = exportLines(Self.full)
        let head = lines.remove(at: 11)
        lines.insert(head, at: 2)
        #expect(try verifyExport(joined(lines)).headsChecked == 5)
    }

    @Test func headBeyondTheEntriesIsReported() throws {
        let extra = try TestLog.head(size: 25, leaves: Self.log.leaves)
        let failure = try #require(verificationFailure(Self.full + AuditExportWriter.line(for: extra) + "\n"))
        #expect(failure.kind == .headBeyondEntries)
        #expect(failure.treeSize == 25)
    }

    @Test func entryBeyondTheRangeIsReported() throws {
        let failure = try #require(verificationFailure(Self.full + TestLog.entry(20).canonicalText() + "\n"))
        #expect(failure.kind == .entriesExtra)
        #expect(failure.sequence == 20)
    }

    @Test func garbledEntryIsMalformed() throws {
        var lines = exportLines(Self.full)
        lines[Self.index(ofEntry: 2)] = String(lines[Self.index(ofEntry: 2)].dropLast())
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .entryMalformed)
        #expect(failure.sequence == 2)
    }

    @Test func wrongTrustedKeyFailsAtTheFirstHead() throws {
        let stranger = try AuditSigningKey.generate(name: TestLog.origin).verifyingKey
        let failure = try #require(verificationFailure(Self.full, keys: [stranger]))
        #expect(failure.kind == .headSignatureInvalid)
        #expect(failure.treeSize == 0)
        #expect(failure.line == 2)
    }

    @Test func rotatedKeysAreAcceptedWhenBothAreTrusted() throws {
        let newKey = try AuditSigningKey.generate(name: TestLog.origin)
        var log = Self.log
        log.heads[3] = try TestLog.head(size: 13, leaves: log.leaves, key: newKey)
        log.heads[4] = try TestLog.head(size: 20, leaves: log.leaves, key: newKey)
        let export = try log.export()
        #expect(try verifyExport(export, keys: [TestLog.key.verifyingKey, newKey.verifyingKey]).headsChecked == 5)
        #expect(verificationFailure(export)?.kind == .headSignatureInvalid)
    }

    @Test(arguments: [1, 6, 8, 13])
    func partialExportVerifiesFromItsFrontier(from: Int) throws {
        let export = try Self.log.export(from: from, to: 20)
        let result = try verifyExport(export)
        #expect(result.entriesChecked == 20 - from)
        #expect(result.rootHash == MerkleTree.rootHash(leaves: Self.log.leaves))
        #expect(result.headsChecked == Self.log.heads.filter { $0.head.size >= from }.count)
    }

    @Test func partialExportWithAForgedFrontierFails() throws {
        var lines = exportLines(try Self.log.export(from: 6, to: 20))
        let node = try #require(Self.frontier(6).nodes.first)
        lines[0] = lines[0].replacingOccurrences(of: node.base64, with: MerkleHash.leaf([1]).base64)
        let failure = try #require(verificationFailure(joined(lines)))
        #expect(failure.kind == .headRootMismatch)
        #expect(failure.sequence == 6)
        #expect(failure.treeSize == 8)
        #expect(failure.message.contains("frontier"))
    }

    @Test func partialExportWithoutAnyHeadIsUnsigned() throws {
        let failure = try #require(verificationFailure(try Self.log.export(from: 14, to: 19)))
        #expect(failure.kind == .entriesUnsigned)
        #expect(failure.sequence == 14)
    }

    @Test func unsignedTailCanBeAllowed() throws {
        let export = try Self.log.export(from: 0, to: 17)
        var data: Data? = Data(export.utf8)
        let result = try AuditVerifier.verifyExport(keys: [TestLog.key.verifyingKey], options: .init(requireSignedEnd: false)) {
            defer { data = nil }
            return data
        }
        #expect(result.size == 17)
        #expect(result.lastHead?.head.size == 13)
    }

    @Test(arguments: [
        #"{"format":"rabt-audit-export/2","frontier":[],"origin":"o","range":{"from":0,"to":0}}"#,
        #"{"format":"rabt-audit-export/1","frontier":[],"origin":"o","range":{"from":3,"to":4}}"#,
        #"{"format":"rabt-audit-export/1","frontier":[],"origin":"o","range":{"from":2,"to":1}}"#,
        #"{"format":"rabt-audit-export/1","frontier":["AAAA"],"origin":"o","range":{"from":1,"to":1}}"#,
        "not json",
        "",
    ])
    func malformedHeadersAreRefused(_ header: String) {
        #expect(verificationFailure(header + "\n")?.kind == .headerMalformed)
    }

    @Test func overLongLineIsUnreadable() throws {
        var data: Data? = Data((Self.full + String(repeating: "x", count: 5000) + "\n").utf8)
        do {
            _ = try AuditVerifier.verifyExport(keys: [TestLog.key.verifyingKey], maximumLineLength: 4096) {
                defer { data = nil }
                return data
            }
            Issue.record("verified")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.line == 27)
        }
    }

    @Test func readerFramesLinesAcrossSmallChunks() throws {
        var remaining = Data(Self.full.utf8)[...]
        let reader = try AuditExportReader {
            defer { remaining = remaining.dropFirst(7) }
            return remaining.isEmpty ? nil : Data(remaining.prefix(7))
        }
        #expect(reader.header.to == 20)
        var entries = 0
        var heads: [Int] = []
        while let record = try reader.next() {
            switch record {
            case .entry(_, let text):
                #expect(String(decoding: text, as: UTF8.self) == Self.log.texts[entries])
                entries += 1
            case .treeHead(_, let note):
                heads.append(try SignedTreeHead(note: note).head.size)
            }
        }
        #expect(entries == 20)
        #expect(heads == [0, 5, 8, 13, 20])
    }

    @Test func writerRefusesABadLayout() throws {
        let header = AuditExportHeader(origin: TestLog.origin, from: 0, to: 2, frontier: [])
        var writer = try AuditExportWriter(header: header) { _ in }
        #expect(throws: AuditError.self) { try writer.append(Self.log.heads[1]) }
        #expect(throws: AuditError.self) { try writer.append(entryText: "{\n}") }
        try writer.append(entryText: Self.log.texts[0])
        #expect(throws: AuditError.self) { try writer.finish() }
        try writer.append(entryText: Self.log.texts[1])
        #expect(throws: AuditError.self) { try writer.append(entryText: Self.log.texts[2]) }
        try writer.finish()
        #expect(throws: AuditError.self) {
            try AuditExportWriter(header: AuditExportHeader(origin: "o", from: 3, to: 4, frontier: [])) { _ in }
        }
    }

    @Test func verifierWorksOnALogWithoutAnExport() throws {
        // The shape `rabt audit verify` uses against the database: entries and heads from 0.
        var verifier = AuditVerifier(keys: [TestLog.key.verifyingKey], origin: TestLog.origin)
        var heads = Self.log.heads[...]
        for (sequence, text) in Self.log.texts.enumerated() {
            if let head = heads.first, head.head.size == sequence {
                try verifier.append(treeHead: head)
                heads = heads.dropFirst()
            }
            try verifier.append(entryText: text)
        }
        try verifier.append(treeHead: try #require(heads.first))
        let result = try verifier.finish()
        #expect(result.headsChecked == 5)
        // After a failure the verifier keeps reporting it.
        var broken = AuditVerifier(keys: [TestLog.key.verifyingKey], origin: TestLog.origin)
        #expect(throws: AuditVerificationFailure.self) { try broken.append(entryText: Self.log.texts[1]) }
        #expect(throws: AuditVerificationFailure.self) { try broken.append(entryText: Self.log.texts[0]) }
        #expect(throws: AuditVerificationFailure.self) { _ = try broken.finish() }
    }

    static func frontier(_ size: Int) -> MerkleFrontier {
        var frontier = MerkleFrontier()
        for leaf in log.leaves.prefix(size) { frontier.append(leaf) }
        return frontier
    }
}
