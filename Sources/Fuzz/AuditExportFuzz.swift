import Audit
import Foundation

/// An audit export as an auditor receives it: read and verified offline against the key its own
/// header names (so that a well-formed export gets past the signatures and the Merkle checks are
/// reached). Either a verification failure or a result; never a crash.
enum AuditExportFuzz {
    static func run(_ input: [UInt8]) {
        var data: Data? = Data(input)
        let read = { () -> Data? in
            defer { data = nil }
            return data
        }
        guard let reader = try? AuditExportReader(maximumLineLength: 1 << 16, readChunk: read) else { return }
        guard let text = reader.header.verifierKey, let key = try? AuditVerifyingKey(verifierKey: text) else {
            while case .some = try? reader.next() {}
            return
        }
        _ = try? AuditVerifier.verify(reader, keys: [key])
    }
}
