/// Waiting, bounded, for what another task or process brings about: a provider receiving a
/// delivery, a node answering after a restart, a message reaching a state. The limit is time on
/// the clock, not a count of tries, so a loaded machine gets as long as an idle one; the polling
/// interval only sets how soon the condition is seen.

/// The first value `probe` gives within `limit`, or nil.
public func poll<T>(within limit: Duration, every interval: Duration = .milliseconds(50), _ probe: () async throws -> T?) async rethrows -> T? {
    let deadline = ContinuousClock.now + limit
    while true {
        if let value = try await probe() { return value }
        guard ContinuousClock.now < deadline, !Task.isCancelled else { return nil }
        try? await Task.sleep(for: interval)
    }
}

/// Whether `condition` holds within `limit`.
public func eventually(within limit: Duration, every interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool) async rethrows -> Bool {
    try await poll(within: limit, every: interval) { try await condition() ? true : nil } ?? false
}
