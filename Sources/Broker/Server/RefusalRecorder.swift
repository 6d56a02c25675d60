import Audit
import HTTPTypes
import Logging
import Store
import X509

/// Puts on the record what the connection guard refuses to a caller the TLS handshake identified
/// (a malformed request, an oversized header section, a stalled body, a certificate over its
/// connection limit): a `request.rejected` entry naming the principal, as every other refusal of
/// a known caller is. A caller without a certificate is not identified and is only logged.
///
/// The guard runs on the connection's event loop and must not wait: each refusal is recorded in
/// its own task. The guard closes the connection after a refusal, so one connection leaves at
/// most one entry.
struct RefusalRecorder: Sendable {
    let principals: PrincipalResolver
    let audit: AuditLogWriter
    let logger: Logger

    func record(_ problem: Problem, certificate: Certificate, target: String?) {
        Task {
            // A certificate the resolver does not accept (expired, an unregistered operator) is
            // still named by its subject: the entry says who was refused, as far as is known.
            let actor: String
            do {
                actor = try await principals.principal(presenting: certificate).description
            } catch {
                actor = "certificate:\(certificate.subject)"
            }
            let event = AuditEvent(
                kind: .requestRejected, status: Int(problem.type.status.code), problemType: problem.type.name,
                actor: actor, target: target, detail: problem.detail
            )
            do {
                _ = try await audit.record(event)
            } catch {
                logger.error("a refusal could not be audited", metadata: [
                    "problem.type": "\(problem.type.name)", "actor": "\(actor)", "error": "\(error)",
                ])
            }
        }
    }
}
