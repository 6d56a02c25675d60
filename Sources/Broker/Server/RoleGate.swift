import Audit
import Hummingbird
import Logging
import Store

/// The middleware of a route group that only one role may use (the admin API for operators, the
/// audit API for auditors). It resolves the caller, refuses anyone without the role, reads the
/// body within the group's limit and hands the principal on in the context
/// (``BrokerRequestContext/principal()``).
///
/// Every refusal on the group, the gate's own or a problem a handler throws, is audited here
/// (`request.rejected` naming the principal and the route); if even that cannot be recorded the
/// answer is `audit-unavailable`. Requests no route matches never reach a group's middleware:
/// ``ProblemMiddleware`` audits those.
struct RoleGate: RouterMiddleware {
    typealias Context = BrokerRequestContext

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

    /// A caller the gate admitted. Only the gate makes one, so a handler that reads the principal
    /// from the context is behind a gate.
    struct Admission: Sendable {
        let principal: Principal

        fileprivate init(_ principal: Principal) {
            self.principal = principal
        }
    }

    let role: Role
    let principals: PrincipalResolver
    let audit: AuditLogWriter
    /// Largest request body read.
    let maxBody: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var actor: Principal?
        do {
            let principal = try await principals.principal(of: context)
            actor = principal
            guard role.admits(principal) else {
                throw Problem(.forbidden, "The \(role.api) API is for \(role.rawValue)s; \(principal) may not use it.")
            }
            // Read here whether the handler wants the body or not, so every route of the group
            // refuses a body over the limit alike; the handler reads the buffered copy.
            var request = request, context = context
            request.body = RequestBody(buffer: ByteBuffer(bytes: try await request.collectBody(limit: maxBody)))
            context.admission = Admission(principal)
            return try await next(request, context)
        } catch let problem as Problem {
            return await refusal(problem, actor: actor, request: request, context: context)
        }
    }

    /// The answer to a refused request, once the refusal is on the audit record.
    private func refusal(_ problem: Problem, actor: Principal?, request: Request, context: Context) async -> Response {
        if problem.type != .auditUnavailable {
            let event = AuditEvent(rejection: problem, actor: actor?.description, target: "\(request.method.rawValue) \(request.uri.path)")
            if (try? await audit.record(event)) == nil {
                return Problem(.auditUnavailable, "The audit log cannot record right now.", retryAfter: 5).response()
            }
        }
        context.logger.info("\(role.api) request refused", metadata: ["problem.type": "\(problem.type.name)"])
        return problem.response()
    }
}
