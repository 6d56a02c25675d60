import Audit
import Logging
import ServiceLifecycle
import Store
import X509

/// Puts on the record what the connection guard refuses to a caller the TLS handshake identified
/// (a malformed request, an oversized header section, a stalled body, a certificate over its
/// connection limit): a `request.rejected` entry naming the principal, as every other refusal of
/// a known caller is. A caller without a certificate is not identified and is only logged.
///
/// The guard runs on a connection's event loop and must not wait, so it hands each refusal over
/// (``record(_:certificate:target:)``) and this service writes them in order. The queue is
/// bounded: a refusal closes its connection, so refusals come no faster than TLS handshakes, and
/// should even that outrun the log the excess is logged as lost rather than held without limit.
/// On a graceful shutdown the service writes what was handed over before it stops.
struct RefusalRecorder: Service {
    private struct Refusal: Sendable {
        let problem: Problem
        let certificate: Certificate
        let target: String?
    }

    /// Refusals waiting to be written, at most.
    static let capacity = 4096

    private let principals: PrincipalResolver
    private let audit: AuditLogWriter
    private let logger: Logger
    private let refusals: AsyncStream<Refusal>
    private let continuation: AsyncStream<Refusal>.Continuation

    init(principals: PrincipalResolver, audit: AuditLogWriter, logger: Logger) {
        self.principals = principals
        self.audit = audit
        self.logger = logger
        (refusals, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(Self.capacity))
    }

    /// Hands a refusal over to be recorded; returns at once.
    func record(_ problem: Problem, certificate: Certificate, target: String?) {
        switch continuation.yield(Refusal(problem: problem, certificate: certificate, target: target)) {
        case .enqueued: break
        case .dropped, .terminated:
            logger.error("a refusal could not be audited: the recorder is full or stopped", metadata: [
                "problem.type": "\(problem.type.name)", "certificate.subject": "\(certificate.subject)",
            ])
        @unknown default: break
        }
    }

    func run() async {
        await withGracefulShutdownHandler {
            for await refusal in refusals { await write(refusal) }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }

    private func write(_ refusal: Refusal) async {
        // A certificate the resolver does not accept (expired, an unregistered operator) is still
        // named by its subject: the entry says who was refused, as far as is known.
        let actor: String
        do {
            actor = try await principals.principal(presenting: refusal.certificate).description
        } catch {
            actor = "certificate:\(refusal.certificate.subject)"
        }
        do {
            _ = try await audit.record(AuditEvent(rejection: refusal.problem, actor: actor, target: refusal.target))
        } catch {
            logger.error("a refusal could not be audited", metadata: [
                "problem.type": "\(refusal.problem.type.name)", "actor": "\(actor)", "error": "\(error)",
            ])
        }
    }
}
