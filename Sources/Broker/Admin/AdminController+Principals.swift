import Audit
import Foundation
import Hummingbird
import Store

/// Operators and auditors: the certificates admitted to the admin and audit APIs. The first
/// operator comes from `rabt init`; operators register the others here.
extension AdminController {
    func registerPrincipals(on admin: RouterGroup<BrokerRequestContext>) {
        admin.get("/principals") { _, _ in try await listPrincipals() }
        admin.post("/principals") { request, context in try await addPrincipal(context.principal(), body(of: request)) }
        admin.delete("/principals/:name") { _, context in try await removePrincipal(context.principal(), context.parameters.get("name") ?? "") }
    }

    private func listPrincipals() async throws(Problem) -> Response {
        do { return .json(try await store.principals().map(PrincipalView.init)) } catch { throw Problem(error) }
    }

    private func addPrincipal(_ actor: Principal, _ body: [UInt8]) async throws(Problem) -> Response {
        let registration = try decode(PrincipalRegistration.self, body)
        guard let role = PrincipalRecord.Role(rawValue: registration.role) else {
            throw Problem(.badRequest, "Unknown role '\(registration.role.prefix(40))'; use operator or auditor.")
        }
        let principal = try await gate.principals.registration(certificatePEM: registration.certificate, role: role, name: registration.name)
        do {
            try await store.addPrincipal(principal, recording: AdminRecord(
                .principalAdded, actor: "\(actor)", target: "\(role.rawValue):\(principal.name)",
                detail: "certificate sha-256 \(principal.certificateFingerprint)"
            ))
        } catch {
            throw Problem(error)
        }
        return .json(PrincipalView(principal), status: .created)
    }

    private func removePrincipal(_ actor: Principal, _ name: String) async throws(Problem) -> Response {
        let removed: PrincipalRecord
        do {
            removed = try await store.removePrincipal(named: name, recording: AdminRecord(
                .principalRemoved, actor: "\(actor)", target: name, detail: "no longer admitted"
            ))
        } catch let error where error.code == .notFound {
            throw Problem(.notFound, "No principal '\(name.prefix(80))' is registered; list them with `rabt principal list`.")
        } catch let error where error.code == .conflict {
            throw Problem(.conflict, "'\(name.prefix(80))' is the last operator; register another operator before removing it.")
        } catch {
            throw Problem(error)
        }
        return .json(PrincipalView(removed))
    }
}

extension PrincipalView {
    init(_ record: PrincipalRecord) {
        self.init(
            name: record.name, role: record.role.rawValue, subject: record.subject,
            fingerprint: record.certificateFingerprint, notAfter: record.notAfter, createdAt: record.createdAt
        )
    }
}
