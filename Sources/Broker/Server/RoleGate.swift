import Audit
import Hummingbird
import Logging
import Store

/// Admits callers of the admin and audit APIs by role and audits every refusal.
struct RoleGate: Sendable {
    /// Who may use an API.
    enum Role: String, Sendable {
        case `operator`, auditor

        func admits(_ principal: Principal) -> Bool {
            switch (self, principal) {
            case (.operator, .operator), (.auditor, .auditor): true
            default: false
            }
        }

        var api: String { self == .operator ? "admin" : "audit" }
    }

    let principals: PrincipalResolver
    let audit: AuditLogWriter
    /// Largest request body read.
    let maxBody: Int

    /// Resolves the caller, refuses anyone without `role`, runs `action` with the principal and
    /// the body, and renders problems. A refusal is audited (`request.rejected` naming the
    /// principal and the route); if even that cannot be recorded the answer is `audit-unavailable`.
    func call(
        _ request: Request, _ context: BrokerRequestContext, role: Role,
        _ action: (Principal, [UInt8]) async throws(Problem) -> Response
    ) async -> Response {
        var actor: Principal?
        do throws(Problem) {
            let principal = try await principals.principal(of: context)
            actor = principal
            guard role.admits(principal) else {
                throw Problem(.forbidden, "The \(role.api) API is for \(role.rawValue)s; \(principal) may not use it.")
            }
            let body = try await request.collectBody(limit: maxBody)
            return try await action(principal, body)
        } catch {
            if error.type != .auditUnavailable {
                let event = AuditEvent(
                    kind: .requestRejected, status: Int(error.type.status.code), problemType: error.type.name,
                    actor: actor?.description, target: "\(request.method.rawValue) \(request.uri.path)",
                    detail: error.detail
                )
                if (try? await audit.record(event)) == nil {
                    return Problem(.auditUnavailable, "The audit log cannot record right now.", retryAfter: 5).response()
                }
            }
            context.logger.info("\(role.api) request refused", metadata: ["problem.type": "\(error.type.name)"])
            return error.response()
        }
    }
}
