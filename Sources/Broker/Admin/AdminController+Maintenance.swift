import Audit
import Foundation
import Hummingbird

/// Maintenance mode of this node: `GET`/`PUT /admin/maintenance`.
extension AdminController {
    func registerMaintenance(on router: Router<BrokerRequestContext>) {
        router.get("/admin/maintenance") { request, context in
            await operatorCall(request, context) { (_: Principal, _: [UInt8]) throws(Problem) in .json(view(maintenance.current)) }
        }
        router.put("/admin/maintenance") { request, context in
            await operatorCall(request, context) { (actor: Principal, body: [UInt8]) throws(Problem) in
                try await setMaintenance(actor, body)
            }
        }
    }

    private func setMaintenance(_ actor: Principal, _ body: [UInt8]) async throws(Problem) -> Response {
        let setting = try decode(MaintenanceSetting.self, body)
        if let seconds = setting.retryAfterSeconds, !(1...86_400).contains(seconds) {
            throw Problem(.badRequest, "retryAfterSeconds must be 1–86400.")
        }
        let before = maintenance.current
        let after = maintenance.set(enabled: setting.enabled, retryAfterSeconds: setting.retryAfterSeconds, reason: setting.reason)
        if before.enabled != after.enabled {
            do {
                try await record(.maintenanceSet, actor, target: "node",
                                 detail: "maintenance: \(before.enabled ? "on" : "off") → \(after.enabled ? "on" : "off")\(setting.reason.map { " (\($0))" } ?? "")")
            } catch {
                // Unaudited changes do not stand.
                _ = maintenance.set(enabled: before.enabled, retryAfterSeconds: before.retryAfterSeconds, reason: before.reason)
                throw error
            }
        }
        return .json(view(after))
    }

    private func view(_ state: MaintenanceMode.State) -> MaintenanceView {
        MaintenanceView(enabled: state.enabled, since: state.since, retryAfterSeconds: state.retryAfterSeconds,
                        reason: state.reason, exchangesInFlight: maintenance.exchangesInFlight)
    }
}

extension AuditEvent.Kind {
    /// An operator turned a node's maintenance mode on or off.
    static let maintenanceSet: Self = "admin.maintenance.set"
}
