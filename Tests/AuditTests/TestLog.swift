import Audit
import Foundation

/// A small signed log built in memory for export and verification tests.
struct TestLog {
    static let origin = "rabt.example/audit"
    static let key = try! AuditSigningKey(name: origin, rawRepresentation: Data(repeating: 0x42, count: 32))
    static let baseTime: Int64 = 1_795_676_944_000

    var texts: [String]
    var leaves: [MerkleHash]
    var heads: [SignedTreeHead]

    /// `count` entries with a head signed at each of `headSizes` (times increasing with size).
    init(count: Int, headSizes: [Int], key: AuditSigningKey = TestLog.key) throws {
        let texts = try (0..<count).map { try Self.entry($0).canonicalText() }
        let leaves = texts.map { MerkleHash.leaf(Array($0.utf8)) }
        self.texts = texts
        self.leaves = leaves
        self.heads = try headSizes.map { size in
            try Self.head(size: size, leaves: leaves, key: key)
        }
    }

    static func entry(_ sequence: Int) -> AuditEntry {
        AuditEntry(
            sequence: sequence,
            timeMilliseconds: baseTime + Int64(sequence) * 1000,
            event: AuditEvent(
                kind: sequence % 3 == 0 ? .requestAccepted : .responseDelivered,
                exchangeId: "ex-\(sequence)",
                consumer: "mol",
                provider: "moj",
                service: "criminal-record-certificate",
                serviceVersion: 1,
                operation: "POST /certificates",
                status: 200,
                attempts: sequence % 3 == 0 ? nil : [.init(url: "https://moj.example/a", status: 200, durationMs: 12)],
                latencyMs: 20 + sequence,
                requestDigest: AuditEvent.digest(of: Array("request \(sequence)".utf8)),
                detail: "entry \(sequence) \u{e9}\u{1F600}"
            )
        )
    }

    static func head(size: Int, leaves: [MerkleHash], key: AuditSigningKey = TestLog.key, time: Int64? = nil, root: MerkleHash? = nil, origin: String = TestLog.origin) throws -> SignedTreeHead {
        let head = TreeHead(
            size: size,
            rootHash: root ?? MerkleTree.rootHash(leaves: leaves.prefix(size)),
            timestampMilliseconds: time ?? baseTime + Int64(size) * 1000 + 500
        )
        return try SignedTreeHead(signing: head, origin: origin, key: key)
    }

    /// The export of entries `from..<to` with the heads whose size lies in `from...to`.
    func export(from: Int = 0, to: Int? = nil) throws -> String {
        let to = to ?? texts.count
        var frontier = MerkleFrontier()
        for leaf in leaves.prefix(from) { frontier.append(leaf) }
        let header = AuditExportHeader(origin: Self.origin, verifierKey: Self.key.verifyingKey.verifierKey, frontier: frontier, to: to)
        var output: [UInt8] = []
        var writer = try AuditExportWriter(header: header, bufferSize: 100) { output.append(contentsOf: $0) }
        let inRange = heads.filter { (from...to).contains($0.head.size) }
        for head in inRange where head.head.size == from { try writer.append(head) }
        for sequence in from..<to {
            try writer.append(entryText: texts[sequence])
            for head in inRange where head.head.size == sequence + 1 { try writer.append(head) }
        }
        try writer.finish()
        return String(decoding: output, as: UTF8.self)
    }
}

/// Runs the verifier over export text with the log's key.
func verifyExport(_ text: String, keys: [AuditVerifyingKey] = [TestLog.key.verifyingKey], options: AuditVerifier.Options = .init()) throws(AuditVerificationFailure) -> AuditVerificationResult {
    var data: Data? = Data(text.utf8)
    return try AuditVerifier.verifyExport(keys: keys, options: options) {
        defer { data = nil }
        return data
    }
}

/// The failure verifying `text` raises, or nil if it verifies.
func verificationFailure(_ text: String, keys: [AuditVerifyingKey] = [TestLog.key.verifyingKey]) -> AuditVerificationFailure? {
    do {
        _ = try verifyExport(text, keys: keys)
        return nil
    } catch {
        return error
    }
}

/// Export lines (without the final empty string after the last newline).
func exportLines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

func joined(_ lines: [String]) -> String {
    lines.joined(separator: "\n") + "\n"
}
