import Audit
import Contracts
import Delivery
import Foundation
import Hummingbird
import Logging
import Signing
import Store

/// The admin API: operators register agencies, keys, endpoints and contracts. Every change is
/// an audit entry naming the operator; every refusal is audited too.
struct AdminController: Sendable {
    let store: any ExchangeStore
    let catalog: ContractCatalog
    let audit: AuditLogWriter
    let maintenance: MaintenanceMode
    let prober: EndpointProber
    /// The middleware of every admin route: operators only, bodies (contracts included) up to 4 MiB.
    let gate: RoleGate
    /// Where endpoints may lead (the node's transport checks the same policy when it connects).
    let destinations: DestinationGuard
    /// The node's own names: no endpoint may name one.
    let publicNames: PublicNames

    /// The routes under `/admin`, all behind ``gate``.
    func register(on router: Router<BrokerRequestContext>) {
        let admin = router.group("/admin").add(middleware: gate)
        admin.post("/agencies") { request, context in try await addAgency(context.principal(), body(of: request)) }
        admin.get("/agencies") { _, _ in try await listAgencies() }
        admin.post("/agencies/:agency/keys") { request, context in
            try await addKey(context.principal(), context.parameters.get("agency") ?? "", body(of: request))
        }
        admin.put("/agencies/:agency/endpoint") { request, context in
            try await setEndpoint(context.principal(), context.parameters.get("agency") ?? "", body(of: request))
        }
        registerContracts(on: admin)
        registerPrincipals(on: admin)
        registerMessages(on: admin)
        registerLifecycle(on: admin)
        registerGrants(on: admin)
        registerMaintenance(on: admin)
    }

    // MARK: - Actions

    private func addAgency(_ actor: Principal, _ body: [UInt8]) async throws(Problem) -> Response {
        let registration = try decode(AgencyRegistration.self, body)
        try AdminInput.checkIdentifier(registration.id, what: "agency id")
        guard registration.id != "messages" else {
            throw Problem(.badRequest, "'messages' is reserved: /exchange/messages/{id} is where consumers read asynchronous messages.")
        }
        guard !registration.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem(.badRequest, "The agency needs a name.")
        }
        let agency = Agency(id: registration.id, name: registration.name)
        do {
            try await store.addAgency(agency, recording: AdminRecord(.agencyAdded, actor: "\(actor)", target: agency.id, detail: "name: \(agency.name)"))
        } catch {
            throw Problem(error)
        }
        return .json(AgencyView(agency), status: .created)
    }

    private func listAgencies() async throws(Problem) -> Response {
        do { return .json(try await store.agencies().map(AgencyView.init)) } catch { throw Problem(error) }
    }

    private func addKey(_ actor: Principal, _ agencyId: String, _ body: [UInt8]) async throws(Problem) -> Response {
        let registration = try decode(KeyRegistration.self, body)
        try await requireAgency(agencyId)
        try AdminInput.checkIdentifier(registration.keyId, what: "key id", maxLength: 128)
        let algorithm = try AdminInput.keyAlgorithm(registration)
        let key = SignatureKey(
            keyId: registration.keyId, agencyId: agencyId, algorithm: algorithm,
            publicKeyPEM: registration.publicKey, notBefore: registration.notBefore, notAfter: registration.notAfter
        )
        do {
            try await store.addKey(key, recording: AdminRecord(
                .keyAdded, actor: "\(actor)", target: "\(agencyId)/\(key.keyId)", detail: "algorithm: \(algorithm.rawValue)"
            ))
        } catch {
            throw Problem(error)
        }
        return .json(KeyView(key), status: .created)
    }

    private func setEndpoint(_ actor: Principal, _ provider: String, _ body: [UInt8]) async throws(Problem) -> Response {
        let setting = try decode(EndpointSetting.self, body)
        try await requireAgency(provider)
        // Before anything is recorded: a refusal quotes the URLs without their user information.
        try AdminInput.checkEndpoint(setting, policy: destinations.policy, isOwnName: publicNames.contains)
        var endpoint = ProviderEndpoint(providerId: provider, urls: setting.urls)
        if let milliseconds = setting.timeoutMilliseconds { endpoint.timeout = .milliseconds(milliseconds) }
        if let tls = setting.tls { endpoint.tls = tls }
        do {
            try await store.setEndpoint(endpoint, recording: AdminRecord(
                .endpointSet, actor: "\(actor)", target: provider, detail: "urls: \(setting.urls.joined(separator: " "))"
            ))
        } catch {
            throw Problem(error)
        }
        return .json(EndpointView(endpoint))
    }

    // MARK: - Shared steps

    /// The request body, which the gate has already read within its limit.
    func body(of request: Request) async throws(Problem) -> [UInt8] {
        try await request.collectBody(limit: gate.maxBody)
    }

    func record(_ kind: AuditEvent.Kind, _ actor: Principal, target: String, detail: String) async throws(Problem) {
        do {
            _ = try await audit.record(AuditEvent(kind: kind, actor: actor.description, target: target, detail: detail))
        } catch {
            throw Problem(error)
        }
    }

    @discardableResult
    func requireAgency(_ id: String) async throws(Problem) -> Agency {
        let agency: Agency?
        do { agency = try await store.agency(id: id) } catch { throw Problem(error) }
        guard let agency else { throw Problem(.notFound, "No agency '\(id)' is registered; add it first with `rabt agency add`.") }
        return agency
    }

    func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(Problem) -> T {
        do {
            return try AdminJSON.decoder.decode(T.self, from: Data(body))
        } catch {
            throw Problem(.badRequest, "The body is not a valid \(T.self) JSON document: \(AdminInput.describe(error))", underlying: error)
        }
    }
}
