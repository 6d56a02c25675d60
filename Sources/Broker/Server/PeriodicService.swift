import ServiceLifecycle

/// Runs `work` every `interval` for the node's lifetime, and once more on a graceful shutdown
/// when `runsOnShutdown` is set (the last tree head, so a clean stop leaves every entry signed).
struct PeriodicService: Service {
    let interval: Duration
    var runsOnShutdown = false
    let work: @Sendable () async -> Void

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            await work()
        }
        if runsOnShutdown { await work() }
    }
}
