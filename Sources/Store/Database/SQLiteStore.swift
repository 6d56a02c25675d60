import Dispatch
import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, accessed through a GRDB `DatabasePool`.
///
/// Every operation runs on GRDB's own dispatch queues and is awaited, so SQLite never blocks the
/// Swift cooperative pool or an event loop.
public final class SQLiteStore: Sendable {
    /// How the store opens its database.
    public struct Configuration: Sendable {
        /// Open without writing: no migrations run, every write fails.
        public var readOnly: Bool
        /// How long a write waits for a lock held by another process before failing.
        public var busyTimeout: Duration
        /// The most expired nonce rows removed per `registerNonce` call, so pruning stays bounded.
        public var noncePruneLimit: Int
        /// Wall-clock time for audit entries and nonce expiry.
        public var now: @Sendable () -> Date
        /// Whether every commit is flushed to disk (`PRAGMA synchronous = FULL`), so an accepted
        /// exchange and its audit entries survive a power loss, not only a crash of the process.
        /// False keeps SQLite's WAL default (`NORMAL`): faster, durable across process crashes only.
        public var flushEveryCommit: Bool

        /// Creates a configuration; every field has a default.
        public init(
            readOnly: Bool = false,
            busyTimeout: Duration = .seconds(5),
            noncePruneLimit: Int = 100,
            now: @escaping @Sendable () -> Date = { Date() },
            flushEveryCommit: Bool = true
        ) {
            self.readOnly = readOnly
            self.busyTimeout = busyTimeout
            self.noncePruneLimit = noncePruneLimit
            self.now = now
            self.flushEveryCommit = flushEveryCommit
        }
    }

    /// The database file path.
    public let path: String
    /// The configuration the store was opened with.
    public let configuration: Configuration
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and applies pending migrations. The
    /// database file and its WAL and shared-memory files are created 0600 (`SQLiteFiles`).
    public init(path: String, configuration: Configuration = Configuration()) async throws(StoreError) {
        self.path = path
        self.configuration = configuration
        var grdb = GRDB.Configuration()
        grdb.readonly = configuration.readOnly
        grdb.foreignKeysEnabled = true
        let timeout = configuration.busyTimeout.components
        grdb.busyMode = .timeout(Double(timeout.seconds) + Double(timeout.attoseconds) / 1e18)
        let options = grdb
        do {
            // Opening a pool touches the file system: do it off the cooperative pool.
            pool = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result {
                        // The database holds personal data and the audit log: its files are the node's alone.
                        if !options.readonly { try SQLiteFiles.restrictAccess(database: path) }
                        return try DatabasePool(path: path, configuration: options)
                    })
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .storeUnavailable, message: "cannot open the database", cause: error)
        }
        let migrator = Schema.migrator
        if configuration.readOnly {
            let complete = try await read("check schema") { db in try migrator.hasCompletedMigrations(db) }
            guard complete else {
                throw StoreError(code: .storeUnavailable, message: "read-only database lacks migrations")
            }
        } else {
            do {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    migrator.asyncMigrate(pool) { result in
                        continuation.resume(with: result.map { _ in () })
                    }
                }
            } catch {
                throw StoreError(code: .storeUnavailable, message: "migration failed", cause: error)
            }
            if configuration.flushEveryCommit {
                // GRDB sets NORMAL when it enables WAL; the pool has one writer connection.
                do {
                    try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                } catch {
                    throw StoreError(code: .storeUnavailable, message: "cannot set synchronous mode", cause: error)
                }
            }
        }
    }

    /// SQLite's `synchronous` setting of the writer connection (1 NORMAL, 2 FULL).
    public func writerSynchronousMode() async throws(StoreError) -> Int {
        do {
            return try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
        } catch {
            throw Self.mapped(error, operation: "read synchronous mode", code: .storeUnavailable)
        }
    }

    /// Names of the migrations applied to the database, in order.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await read("applied migrations") { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// Closes the database; later calls fail with `store-unavailable`.
    public func close() async throws(StoreError) {
        let pool = self.pool
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try pool.close() })
                }
            }
        } catch {
            throw StoreError(code: .storeUnavailable, message: "cannot close the database", cause: error)
        }
    }

    /// Runs `body` in a read transaction, mapping failures to `StoreError`.
    func read<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.mapped(error, operation: operation, code: .storeUnavailable)
        }
    }

    /// Runs `body` in a write transaction, mapping failures to `StoreError` (`failure` when not a constraint).
    func write<T: Sendable>(
        _ operation: String,
        failure: StoreError.Code = .storeUnavailable,
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw Self.mapped(error, operation: operation, code: failure)
        }
    }

    static func mapped(_ error: any Error, operation: String, code: StoreError.Code) -> StoreError {
        if let error = error as? StoreError {
            return error
        }
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_CONSTRAINT && code != .auditUnavailable {
                return StoreError(code: .conflict, message: "\(operation): record exists", cause: error)
            }
            return StoreError(code: code, message: "\(operation) failed: SQLite code \(error.extendedResultCode.rawValue)", cause: error)
        }
        return StoreError(code: code, message: "\(operation) failed", cause: error)
    }

    /// Milliseconds since the epoch, the form every date column holds.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The date of a millisecond column value.
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
