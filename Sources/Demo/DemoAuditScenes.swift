import Audit
import Broker
import Foundation
import Signing

/// The auditor's part of the demo: search the log, prove an entry, export, verify, and see
/// tampering caught. Everything goes through the audit API with the auditor's certificate.
struct DemoAuditScenes {
    let exchange: LocalExchange
    let out: DemoPrinter

    func run() async throws {
        out.step("The auditor searches, proves, exports and verifies the log (audit API, auditor certificate)")
        let key = try AuditVerifyingKey(
            name: LocalExchange.auditOrigin, pem: String(contentsOf: exchange.pki.rabtAuditPublicKey, encoding: .utf8)
        )

        out.scene("I", "every exchange mol made with moj, newest first")
        var search = AuditSearch()
        search.consumer = "mol"
        search.provider = "moj"
        let page = try await exchange.auditor.search(search)
        out.auditTable(page.entries)
        out.expect(page.entries.contains { $0.event.kind == .responseDelivered }, "the delivered certificate request is found")

        out.scene("J", "one entry with its inclusion proof, checked against Rabt's signed tree head")
        let delivered = try requireEntryValue(page.entries.first { $0.event.kind == .responseDelivered })
        let proven = try await exchange.auditor.entry(delivered.sequence)
        let head = try proven.verify(keys: [key])
        out.line("    entry \(delivered.sequence) is leaf \(proven.inclusionProof.leafIndex) of \(head.head.size); \(proven.inclusionProof.path.count) proof hashes lead to root \(head.head.rootHash.base64)")
        out.line("    tree head (C2SP checkpoint) signed by \(head.origin), verified with rabt-audit.pub.pem")
        out.expect(true, "the entry is provably in the signed log")

        out.scene("K", "the whole log exported, handed over, and verified offline")
        let file = exchange.directory.appendingPathComponent("audit-export.jsonl")
        try await exchange.auditor.export(file: file.path)
        let result = try verify(file, key: key)
        out.line("    \(file.lastPathComponent): \(result.entriesChecked) entries, \(result.headsChecked) signed head\(result.headsChecked == 1 ? "" : "s"), root \(result.rootHash.base64)")
        out.expect(result.entriesChecked > 0, "every leaf and root recomputed, every head's signature checked")

        out.scene("L", "someone edits one entry of the export (status 201 becomes 200)")
        let tampered = exchange.directory.appendingPathComponent("audit-export-tampered.jsonl")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"status\":201", with: "\"status\":200").write(to: tampered, atomically: true, encoding: .utf8)
        do {
            _ = try verify(tampered, key: key)
            out.expect(false, "the edited export fails verification")
        } catch {
            out.line("    rabt audit verify: \(error)")
            out.expect(true, "the edited export fails verification, naming where")
        }
        out.line("")
        out.line("Try it yourself: rabt audit verify \(file.path) --public-key \(exchange.pki.rabtAuditPublicKey.path)")
    }

    private func verify(_ file: URL, key: AuditVerifyingKey) throws -> AuditVerificationResult {
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw DemoError("cannot open \(file.path)") }
        defer { try? handle.close() }
        return try AuditVerifier.verifyExport(fileHandle: handle, keys: [key])
    }
}

/// The value, or a demo failure naming what was missing.
private func requireEntryValue(_ entry: AuditEntry?) throws -> AuditEntry {
    guard let entry else { throw DemoError("the audit log lacks an expected entry") }
    return entry
}
