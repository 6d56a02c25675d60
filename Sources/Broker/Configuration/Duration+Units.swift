extension Duration {
    /// Whole milliseconds, rounded down: how audit entries and the admin API state durations.
    var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
