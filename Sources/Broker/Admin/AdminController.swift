import Audit
import Contracts
import Foundation
import Hummingbird
import Logging
import Signing
import Store

/// The admin API: operators register agencies, keys, endpoints and contracts. Every change is
/// an audit entry naming the operator; every refusal is audited too.
struct AdminController: Sendable {
    let store: SQLiteStore
    let catalog: ContractCatalog
    let audit: AuditLogWriter
    let maintenance: MaintenanceMode
    let prober: EndpointProber
    /// Admits operators only; admin bodies (contracts included) up to 4 MiB.
    let gate: RoleGate

    func register(on router: Router<BrokerRequestContext>) {
        router.post("/admin/agencies") { request, context in
            await operatorCall(request, context) { (actor: Principal, body: [UInt8]) throws(Problem) in try await addAgency(actor, body) }
        }
        router.get("/admin/agencies") { request, context in
            await operatorCall(request, context) { (_: Principal, _: [UInt8]) throws(Problem) in try await listAgencies() }
        }
        router.post("/admin/agencies/:agency/keys") { request, context in
            let agency = context.parameters.get("agency") ?? ""
            return await operatorCall(request, context) { (actor: Principal, body: [UInt8]) throws(Problem) in try await addKey(actor, agency, body) }
        }
        router.put("/admin/agencies/:agency/endpoint") { request, context in
            let agency = context.parameters.get("agency") ?? ""
            return await operatorCall(request, context) { (actor: Principal, body: [UInt8]) throws(Problem) in try await setEndpoint(actor, agency, body) }
        }
        router.post("/admin/contracts") { request, context in
            await operatorCall(request, context) { (actor: Principal, body: [UInt8]) throws(Problem) in try await publishContract(actor, body) }
        }
        router.get("/admin/contracts") { request, context in
            await operatorCall(request, context) { (_: Principal, _: [UInt8]) throws(Problem) in try await listContracts() }
        }
        registerLifecycle(on: router)
        registerGrants(on: router)
        registerMaintenance(on: router)
    }

    // MARK: - Actions

    private func addAgency(_ actor: Principal, _ body: [UInt8]) async throws(Problem) -> Response {
        let registration = try decode(AgencyRegistration.self, body)
        try AdminInput.checkIdentifier(registration.id, what: "agency id")
        guard !registration.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem(.badRequest, "The agency needs a name.")
        }
        let agency = Agency(id: registration.id, name: registration.name)
        do { try await store.addAgency(agency) } catch { throw Problem(error) }
        try await record(.agencyAdded, actor, target: agency.id, detail: "name: \(agency.name)")
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
        do { try await store.addKey(key) } catch { throw Problem(error) }
        try await record(.keyAdded, actor, target: "\(agencyId)/\(key.keyId)", detail: "algorithm: \(algorithm.rawValue)")
        return .json(KeyView(key), status: .created)
    }

    private func setEndpoint(_ actor: Principal, _ provider: String, _ body: [UInt8]) async throws(Problem) -> Response {
        let setting = try decode(EndpointSetting.self, body)
        try await requireAgency(provider)
        try AdminInput.checkEndpoint(setting)
        var endpoint = ProviderEndpoint(providerId: provider, urls: setting.urls)
        if let milliseconds = setting.timeoutMilliseconds { endpoint.timeout = .milliseconds(milliseconds) }
        do { try await store.setEndpoint(endpoint) } catch { throw Problem(error) }
        try await record(.endpointSet, actor, target: provider, detail: "urls: \(setting.urls.joined(separator: " "))")
        return .json(EndpointView(endpoint))
    }

    private func publishContract(_ actor: Principal, _ body: [UInt8]) async throws(Problem) -> Response {
        let contract: Contract
        do {
            contract = try Contract(parsing: body)
        } catch {
            throw Problem(
                .invalidContract, "The contract was refused: \(error.issues.count) fault(s) found.",
                violations: error.issues.map {
                    Problem.Violation(pointer: $0.location, keyword: $0.code.description, message: $0.description)
                }
            )
        }
        let exchange = contract.exchange
        try await requireAgency(exchange.provider)
        guard let text = String(validating: body, as: UTF8.self) else {
            throw Problem(.invalidContract, "The contract is not UTF-8 text.")
        }
        let isJSON = body.first { !$0.isWhitespace } == UInt8(ascii: "{")
        let contractRecord = ContractRecord(
            provider: exchange.provider, service: exchange.service, version: exchange.version,
            document: text, format: isJSON ? .json : .yaml, consumers: exchange.consumers
        )
        let publication: ContractPublication
        do { publication = try await store.publishContract(contractRecord) } catch { throw Problem(error) }
        var view = ContractView(publication.contract, operations: contract.operations.map(\.name))
        guard case .published = publication else {
            view.created = false
            return .json(view)
        }
        catalog.add(contract)
        try await record(.contractPublished, actor, target: exchange.id, detail: "digest: \(contractRecord.digest)")
        view.created = true
        return .json(view, status: .created)
    }

    private func listContracts() async throws(Problem) -> Response {
        do {
            let views = try await store.contracts().map { record in
                let contract = catalog.contract(provider: record.provider, service: record.service, version: record.version)
                return ContractView(record, operations: contract?.operations.map(\.name) ?? [])
            }
            return .json(views)
        } catch {
            throw Problem(error)
        }
    }

    // MARK: - Shared steps

    func operatorCall(
        _ request: Request, _ context: BrokerRequestContext,
        _ action: (Principal, [UInt8]) async throws(Problem) -> Response
    ) async -> Response {
        await gate.call(request, context, role: .operator, action)
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

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
