import GRDB
@testable import Store

// Tests that play an attacker or a second process need SQL the store's API rightly refuses.
extension SQLiteStore {
    /// Runs `sql` on the store's own writer connection, as someone editing the file would.
    func tamper(_ sql: String, _ arguments: StatementArguments = []) async throws {
        try await pool.write { db in try db.execute(sql: sql, arguments: arguments) }
    }
}

/// A second connection to the store's file that can hold the write lock, like another process.
final class LockHolder: Sendable {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        // The lock outlives one database access on purpose.
        configuration.allowsUnsafeTransactions = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Takes the write lock and keeps it until `release()`.
    func lock() throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    }

    /// Gives the write lock back.
    func release() throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
    }
}
