import Audit
import Contracts
import Foundation
import Store

/// Applies a contract's `audit.body` policy to the bodies of an exchange: digests only (the
/// default), nothing at all, or the full bodies sealed with AES-256-GCM for auditors.
struct AuditBodyKeeper: Sendable {
    /// Nil when no body key is configured: exchanges under `audit: {body: full}` are then refused.
    let cipher: AuditBodyCipher?

    /// Reads the base64 key file; nil path means no key.
    init(keyFile: String?) throws {
        guard let keyFile else {
            cipher = nil
            return
        }
        let text = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        cipher = AuditBodyCipher(current: try AuditBodyCipher.Key(base64: text))
    }

    /// The sealed body to store with the entry, for contracts that keep full bodies.
    func keep(_ body: [UInt8], part: AuditBodyCipher.Part, exchangeId: String, policy: Contract.Exchange.AuditBody) throws(Problem) -> [AuditBody] {
        guard policy == .full else { return [] }
        guard let cipher else {
            throw Problem(.auditUnavailable, "The contract keeps full bodies in the audit log, but this node has no audit body key configured.")
        }
        do {
            let sealed = try cipher.seal(body: body, exchangeId: exchangeId, part: part)
            return [AuditBody(exchangeId: exchangeId, part: AuditBody.Part(rawValue: part.rawValue), sealed: sealed)]
        } catch {
            throw Problem(.internalError, "The body could not be sealed for the audit log.", underlying: error)
        }
    }

    /// The plaintext of a kept body.
    func open(_ body: AuditBody) throws(Problem) -> [UInt8] {
        guard let cipher else {
            throw Problem(.auditUnavailable, "This node has no audit body key configured, so kept bodies cannot be read.")
        }
        guard let part = AuditBodyCipher.Part(rawValue: body.part.rawValue) else {
            throw Problem(.internalError, "A kept body has an unknown part '\(body.part.rawValue)'.")
        }
        do {
            return Array(try cipher.open(body.sealed, exchangeId: body.exchangeId, part: part))
        } catch {
            throw Problem(.internalError, "A kept body could not be opened: \(error.message).", underlying: error)
        }
    }
}
