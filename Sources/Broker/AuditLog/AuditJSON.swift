import Audit
import Hummingbird

/// JSON answers of the audit API, assembled around stored canonical entry texts so auditors
/// receive the exact bytes that were hashed, not a re-encoding.
enum AuditJSON {
    /// A JSON string literal.
    static func string(_ value: String) -> String {
        (try? CanonicalJSON.string(value).canonicalString()) ?? "\"\""
    }

    /// An object from members whose values are already JSON text, in the given order.
    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// An array of base64 hashes.
    static func hashes(_ hashes: [MerkleHash]) -> String {
        "[" + hashes.map { string($0.base64) }.joined(separator: ",") + "]"
    }

    static func response(_ json: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}

extension AuditEvent.Kind {
    /// An auditor exported a range of the log.
    static let auditExported: Self = "audit.exported"
    /// An auditor read the kept bodies of an exchange.
    static let auditBodyRead: Self = "audit.body.read"
}
