import Foundation
import Synchronization

/// Whether this node takes new exchanges. In maintenance, readiness turns false so load balancers
/// drain the node, exchanges already in flight finish, and new ones are refused with
/// `maintenance` (503, `Retry-After`). Per node and in memory: a restarted node takes traffic.
final class MaintenanceMode: Sendable {
    /// The state as the admin API shows it.
    struct State: Sendable {
        var enabled: Bool
        var since: Date?
        var retryAfterSeconds: Int
        var reason: String?
    }

    private let state = Mutex(State(enabled: false, since: nil, retryAfterSeconds: 30, reason: nil))
    private let inFlight = Atomic<Int>(0)

    var current: State { state.withLock { $0 } }

    /// Exchanges being handled right now.
    var exchangesInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Turns maintenance on or off; returns the new state.
    func set(enabled: Bool, retryAfterSeconds: Int?, reason: String?, now: Date = Date()) -> State {
        state.withLock { state in
            if enabled != state.enabled { state.since = enabled ? now : nil }
            state.enabled = enabled
            state.retryAfterSeconds = retryAfterSeconds ?? state.retryAfterSeconds
            state.reason = enabled ? reason : nil
            return state
        }
    }

    /// Admits a new exchange, counted until `finish()`; refuses it in maintenance.
    func admit() throws(Problem) {
        let current = current
        if current.enabled {
            throw Problem(.maintenance, "This node is in maintenance\(current.reason.map { " (\($0))" } ?? ""); try again later or another node.",
                          retryAfter: current.retryAfterSeconds)
        }
        inFlight.add(1, ordering: .relaxed)
    }

    /// Ends an exchange counted by `admit()`.
    func finish() {
        inFlight.subtract(1, ordering: .relaxed)
    }
}
