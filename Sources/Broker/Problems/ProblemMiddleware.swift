import Audit
import Hummingbird
import Store

extension Problem: HTTPResponseError {
    public var status: HTTPResponse.Status { type.status }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }
}

/// Turns the router's own refusals (no route, a body over a route's limit) into problem
/// documents, so no answer of the node is a bare status line, and puts each on the audit record
/// with the caller its certificate names, as the APIs do for their own refusals.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = BrokerRequestContext
    let principals: PrincipalResolver
    let audit: AuditLogWriter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let problem = Self.problem(error, request: request)
            let actor = try? await principals.principal(of: context)
            let event = AuditEvent(rejection: problem, actor: actor?.description, target: "\(request.method.rawValue) \(request.uri.path.prefix(200))")
            if (try? await audit.record(event)) == nil {
                throw Problem(.auditUnavailable, "The audit log cannot record right now.", retryAfter: 5)
            }
            throw problem
        }
    }

    static func problem(_ error: HTTPError, request: Request) -> Problem {
        let target = "\(request.method) \(request.uri.path.prefix(120))"
        switch error.status {
        case .notFound:
            return Problem(.notFound, "Nothing is served at \(target).")
        case .methodNotAllowed:
            return Problem(.methodNotAllowed, "\(target) is not allowed.")
        case .contentTooLarge:
            return Problem(.payloadTooLarge, "The request body of \(target) is larger than this route accepts.")
        case let status where status.kind == .serverError:
            return Problem(.internalError, "Rabt failed to handle \(target).", underlying: error)
        default:
            return Problem(.badRequest, "\(target) was refused: \(error.body ?? error.status.reasonPhrase).", underlying: error)
        }
    }
}
