import Audit
import Foundation
import Hummingbird
import Store

/// Which consumer agencies may call which provider service version. A contract's `consumers` are
/// its initial grants; operators add and revoke them here, effective from the next request.
extension AdminController {
    func registerGrants(on admin: RouterGroup<BrokerRequestContext>) {
        admin.get("/grants") { request, _ in try await listGrants(request) }
        admin.post("/grants") { request, context in try await addGrant(context.principal(), body(of: request)) }
        admin.delete("/grants") { request, context in try await revokeGrant(context.principal(), body(of: request)) }
    }

    private func listGrants(_ request: Request) async throws(Problem) -> Response {
        let parameters = try AuditQueryParameters(request, allowed: ["provider", "service"])
        do {
            let grants = try await store.grants(provider: parameters.string("provider"), service: parameters.string("service"))
            return .json(grants.map { GrantView($0, changed: nil) })
        } catch {
            throw Problem(error)
        }
    }

    private func addGrant(_ actor: Principal, _ body: [UInt8]) async throws(Problem) -> Response {
        let grant = try decode(GrantRequest.self, body)
        try await requireAgency(grant.consumer)
        let contract: ContractRecord?
        do { contract = try await store.contract(provider: grant.provider, service: grant.service, version: grant.version) } catch { throw Problem(error) }
        guard contract != nil else {
            throw Problem(.notFound, "No contract \(grant.provider)/\(grant.service) v\(grant.version) is published; publish it first.")
        }
        let stored = Grant(consumer: grant.consumer, provider: grant.provider, service: grant.service, version: grant.version)
        let added: Bool
        do {
            added = try await store.addGrant(stored, recording: AdminRecord(
                .grantAdded, actor: "\(actor)", target: Self.target(grant), detail: "consumer \(grant.consumer) may call"
            ))
        } catch {
            throw Problem(error)
        }
        return .json(GrantView(stored, changed: added), status: added ? .created : .ok)
    }

    private func revokeGrant(_ actor: Principal, _ body: [UInt8]) async throws(Problem) -> Response {
        let grant = try decode(GrantRequest.self, body)
        let revoked: Bool
        do {
            revoked = try await store.revokeGrant(
                consumer: grant.consumer, provider: grant.provider, service: grant.service, version: grant.version,
                recording: AdminRecord(.grantRevoked, actor: "\(actor)", target: Self.target(grant), detail: "consumer \(grant.consumer) may no longer call")
            )
        } catch {
            throw Problem(error)
        }
        guard revoked else {
            throw Problem(.notFound, "\(grant.consumer) holds no grant for \(Self.target(grant)).")
        }
        return .json(GrantView(consumer: grant.consumer, provider: grant.provider, service: grant.service, version: grant.version, changed: true))
    }

    private static func target(_ grant: GrantRequest) -> String {
        "\(grant.provider)/\(grant.service)/v\(grant.version)"
    }
}

extension GrantView {
    init(_ grant: Grant, changed: Bool?) {
        self.init(consumer: grant.consumer, provider: grant.provider, service: grant.service, version: grant.version,
                  createdAt: grant.createdAt, changed: changed)
    }
}
