import Audit
import Foundation
import Hummingbird

/// Maintenance mode of this node: `GET`/`PUT /admin/maintenance`.
extension AdminController {
    func registerMaintenance(on admin: RouterGroup<BrokerRequestContext>) {
        admin.get("/maintenance") { _, _ in Response.json(view(maintenance.current)) }
        admin.put("/maintenance") { request, context in try await setMaintenance(context.principal(), body(of: request)) }
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
