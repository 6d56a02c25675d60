import GRDB

extension DatabaseQueue {
    /// A connection to a running broker's SQLite file from outside the broker, as someone with
    /// file access would open one. It waits (up to 30 s) for a write the broker has under way
    /// instead of failing at once with "database is locked".
    static func beside(broker path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}
