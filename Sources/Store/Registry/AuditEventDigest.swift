import Audit
import Foundation

/// Shared digest form for stored documents, delegated to the audit module so both agree.
enum AuditEventDigest {
    static func of(_ text: String) -> String {
        AuditEvent.digest(of: Data(text.utf8))
    }
}
