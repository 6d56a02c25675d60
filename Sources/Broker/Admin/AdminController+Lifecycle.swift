import Audit
import Foundation
import Hummingbird
import Store

/// Agencies and keys over their lifetime: show, suspend and reactivate agencies; list, rotate and
/// revoke keys; find keys about to stop verifying. Each change takes effect on the next exchange.
extension AdminController {
    func registerLifecycle(on admin: RouterGroup<BrokerRequestContext>) {
        admin.get("/agencies/:agency") { _, context in try await showAgency(context.parameters.get("agency") ?? "") }
        admin.post("/agencies/:agency/suspend") { _, context in
            try await setStatus(context.principal(), context.parameters.get("agency") ?? "", .suspended)
        }
        admin.post("/agencies/:agency/reactivate") { _, context in
            try await setStatus(context.principal(), context.parameters.get("agency") ?? "", .active)
        }
        admin.get("/agencies/:agency/keys") { _, context in try await listKeys(context.parameters.get("agency") ?? "") }
        admin.post("/agencies/:agency/keys/:key/revoke") { request, context in
            let agency = context.parameters.get("agency") ?? "", key = context.parameters.get("key") ?? ""
            return try await revokeKey(context.principal(), agency, key, body(of: request))
        }
        admin.post("/agencies/:agency/keys/:key/rotate") { request, context in
            let agency = context.parameters.get("agency") ?? "", key = context.parameters.get("key") ?? ""
            return try await rotateKey(context.principal(), agency, key, body(of: request))
        }
        admin.post("/agencies/:agency/endpoint/test") { _, context in try await testEndpoint(context.parameters.get("agency") ?? "") }
        admin.get("/keys/expiring") { request, _ in try await expiringKeys(request) }
    }

    private func showAgency(_ id: String) async throws(Problem) -> Response {
        let agency = try await requireAgency(id)
        do {
            let keys = try await store.keys(agency: id).map(KeyView.init)
            let endpoint = try await store.endpoint(provider: id).map(EndpointView.init)
            return .json(AgencyDetailView(agency: AgencyView(agency), keys: keys, endpoint: endpoint))
        } catch {
            throw Problem(error)
        }
    }

    private func setStatus(_ actor: Principal, _ id: String, _ status: Agency.Status) async throws(Problem) -> Response {
        let before = try await requireAgency(id)
        guard before.status != status else { return .json(AgencyView(before)) }
        let after: Agency
        do {
            after = try await store.setAgencyStatus(id: id, status: status, recording: AdminRecord(
                .agencyStatusSet, actor: "\(actor)", target: id, detail: "status: \(before.status.rawValue) → \(status.rawValue)"
            ))
        } catch {
            throw Problem(error)
        }
        return .json(AgencyView(after))
    }

    /// Connects to every URL of the provider's endpoint as an exchange would; never changes anything.
    private func testEndpoint(_ provider: String) async throws(Problem) -> Response {
        try await requireAgency(provider)
        let endpoint: ProviderEndpoint?
        do { endpoint = try await store.endpoint(provider: provider) } catch { throw Problem(error) }
        guard let endpoint else {
            throw Problem(.notFound, "Agency '\(provider)' has no endpoint; set one with `rabt endpoint set \(provider) --url …`.")
        }
        var checks: [EndpointCheck] = []
        for url in endpoint.urls {
            checks.append(await prober.probe(url, timeout: endpoint.timeout, endpointTLS: endpoint.tls))
        }
        return .json(checks)
    }

    private func listKeys(_ agency: String) async throws(Problem) -> Response {
        try await requireAgency(agency)
        do { return .json(try await store.keys(agency: agency).map(KeyView.init)) } catch { throw Problem(error) }
    }

    private func revokeKey(_ actor: Principal, _ agency: String, _ keyId: String, _ body: [UInt8]) async throws(Problem) -> Response {
        let revocation = body.isEmpty ? KeyRevocation() : try decode(KeyRevocation.self, body)
        _ = try await agencyKey(agency, keyId)
        let at = revocation.at ?? Date()
        let key: SignatureKey
        do {
            key = try await store.revokeKey(id: keyId, at: at, recording: AdminRecord(
                .keyRevoked, actor: "\(actor)", target: "\(agency)/\(keyId)", detail: "verifies until: \(Timestamp.format(at))"
            ))
        } catch {
            throw Problem(error)
        }
        return .json(KeyView(key))
    }

    /// Registers the new key and ends the old one at `oldKeyValidUntil` (not later than it already ends).
    private func rotateKey(_ actor: Principal, _ agency: String, _ oldKeyId: String, _ body: [UInt8]) async throws(Problem) -> Response {
        let rotation = try decode(KeyRotation.self, body)
        _ = try await agencyKey(agency, oldKeyId)
        let registration = rotation.newKey
        try AdminInput.checkIdentifier(registration.keyId, what: "key id", maxLength: 128)
        let algorithm = try AdminInput.keyAlgorithm(registration)
        let newKey = SignatureKey(
            keyId: registration.keyId, agencyId: agency, algorithm: algorithm,
            publicKeyPEM: registration.publicKey, notBefore: registration.notBefore, notAfter: registration.notAfter
        )
        let rotated: (new: SignatureKey, retired: SignatureKey)
        do {
            rotated = try await store.rotateKey(oldKeyId, validUntil: rotation.oldKeyValidUntil, to: newKey, recording: AdminRecord(
                .keyRotated, actor: "\(actor)", target: "\(agency)/\(oldKeyId)",
                detail: "new key: \(newKey.keyId) (\(algorithm.rawValue)); old key verifies until \(Timestamp.format(rotation.oldKeyValidUntil)) or its earlier end"
            ))
        } catch {
            throw Problem(error)
        }
        return .json([KeyView(rotated.new), KeyView(rotated.retired)], status: .created)
    }

    /// Keys that stop verifying within `days` days (default 30), soonest first, of every agency.
    private func expiringKeys(_ request: Request) async throws(Problem) -> Response {
        let parameters = try AuditQueryParameters(request, allowed: ["days"])
        let days = try parameters.integer("days", in: 1...3650) ?? 30
        let now = Date()
        let horizon = now.addingTimeInterval(Double(days) * 86_400)
        var ending: [(Date, KeyView)] = []
        do {
            for agency in try await store.agencies() {
                for key in try await store.keys(agency: agency.id) {
                    guard let end = key.validUntil, end > now, end <= horizon else { continue }
                    ending.append((end, KeyView(key)))
                }
            }
        } catch {
            throw Problem(error)
        }
        return .json(ending.sorted { $0.0 < $1.0 }.map(\.1))
    }

    private func agencyKey(_ agency: String, _ keyId: String) async throws(Problem) -> SignatureKey {
        try await requireAgency(agency)
        let key: SignatureKey?
        do { key = try await store.key(id: keyId) } catch { throw Problem(error) }
        guard let key, key.agencyId == agency else {
            throw Problem(.notFound, "Agency '\(agency)' has no key '\(keyId)'; list them with `rabt key list \(agency)`.")
        }
        return key
    }
}

extension AuditEvent.Kind {
    /// An operator replaced an agency's signature key, the old one verifying until a set date.
    static let keyRotated: Self = "admin.key.rotated"
}
