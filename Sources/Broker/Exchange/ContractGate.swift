import Audit
import Contracts
import Delivery
import Foundation
import HTTPTypes
import Signing
import JSONSchema
import Logging
import Store

/// A verified request that the contract allows: the consumer holds a grant, the operation exists
/// and the request is valid against its schemas. Only ``ContractGate`` makes one; only an
/// accepted request is forwarded.
struct AcceptedRequest: Sendable {
    let verified: VerifiedRequest
    let published: PublishedContract
    let operation: Contract.Operation
    /// What the provider receives below its base URL: the operation's template filled with the
    /// validated path values, then the validated query items, all re-encoded.
    let forwardTarget: String
    /// The consumer's fields the provider receives (``ForwardedFields``), plus
    /// `Exchange-Consumer-Target`.
    let forwardHeaders: HTTPFields

    fileprivate init(
        verified: VerifiedRequest, published: PublishedContract, operation: Contract.Operation,
        forwardTarget: String, forwardHeaders: HTTPFields
    ) {
        self.verified = verified
        self.published = published
        self.operation = operation
        self.forwardTarget = forwardTarget
        self.forwardHeaders = forwardHeaders
    }

    /// What makes two requests the same request for `Idempotency-Key`: the method, the
    /// canonical target and the body's digest (the consumer and operation are the key's scope).
    var fingerprint: String {
        AuditEvent.digest(of: Array("\(request.method) \(forwardTarget)\n".utf8) + Array(AuditEvent.digest(of: request.body).utf8))
    }

    var contract: Contract { published.contract }

    var request: ExchangeRequest { verified.request }
}

/// Authorises and validates a verified request against its contract (deny by default).
struct ContractGate: Sendable {
    let store: any ExchangeStore
    let catalog: ContractCatalog

    /// The contract a request addresses; `contract-not-found`, or `contract-sunset` once the
    /// version's sunset has come. A contract this node has not compiled yet (published through
    /// another node since the last refresh) is looked for in the store before the request is
    /// refused, so a contract is served by every node as soon as its publication returns.
    func contract(for request: ExchangeRequest, at now: Date = Date(), logger: Logger) async throws(Problem) -> PublishedContract {
        var found = catalog.contract(provider: request.provider, service: request.service, version: request.version, at: now)
        if found == nil {
            await catalog.refresh(from: store, logger: logger)
            found = catalog.contract(provider: request.provider, service: request.service, version: request.version, at: now)
        }
        guard let published = found else {
            let name = "\(request.provider)/\(request.service)" + (request.version.map { " v\($0)" } ?? "")
            throw Problem(.contractNotFound, "No contract is published for \(name).")
        }
        if let sunset = published.lifecycle.sunsetAt, sunset <= now {
            throw Problem(
                .contractSunset,
                "\(published.contract.exchange.id) was retired on \(Timestamp.format(sunset)); call a newer version of the service."
            )
        }
        return published
    }

    /// Checks grant, operation and payload; returns the accepted request or the problem.
    func admit(_ verified: VerifiedRequest, published: PublishedContract) async throws(Problem) -> AcceptedRequest {
        let request = verified.request
        let contract = published.contract
        let exchange = contract.exchange
        let granted: Bool
        do {
            granted = try await store.isGranted(
                consumer: verified.consumer, provider: exchange.provider, service: exchange.service, version: exchange.version
            )
        } catch {
            throw Problem(error)
        }
        guard granted else {
            throw Problem(.consumerNotAllowed, "Agency '\(verified.consumer)' holds no grant for \(exchange.id).")
        }
        let match: OperationMatch
        let target = request.operationTarget
        switch contract.route(method: request.method, target: target) {
        case .notFound:
            throw Problem(.operationNotFound, "\(exchange.id) has no operation at \(target.path.prefix(200)).")
        case .methodNotAllowed(let allowed):
            throw Problem(
                .methodNotAllowed, "\(exchange.id) does not allow \(request.method) here; allowed: \(allowed.joined(separator: ", ")).",
                allow: allowed
            )
        case .operation(let found):
            match = found
        }
        let query = target.queryItems.map { ($0.name, $0.value) }
        var errors = match.operation.validateRequest(
            pathParameters: match.pathParameters,
            query: query,
            headers: request.fields.map { ($0.name.rawName, $0.value) },
            contentType: request.fields[.contentType],
            body: request.body
        )
        if exchange.undeclaredQuery == .refuse {
            errors += match.operation.undeclaredQueryViolations(query)
        }
        guard errors.isEmpty else {
            throw Problem(
                .requestInvalid,
                "The request breaks \(exchange.id) (\(match.operation.name)): \(errors.count) violation(s).",
                violations: errors.map(Problem.Violation.init)
            )
        }
        let headers = try ForwardedFields.select(
            request.fields, operation: match.operation, consumerLabel: verified.signature.label,
            consumerTarget: request.components.targetURI
        )
        return AcceptedRequest(
            verified: verified, published: published, operation: match.operation,
            forwardTarget: match.forwardTarget(query: target.queryItems), forwardHeaders: headers
        )
    }
}

extension Problem.Violation {
    /// A schema validation error as a problem entry.
    init(_ error: ValidationError) {
        self.init(pointer: error.instanceLocation, keyword: error.keyword, keywordLocation: error.keywordLocation, message: error.message)
    }
}
