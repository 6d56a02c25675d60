import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The scale-out store: several `rabt serve` nodes share one PostgreSQL through postgres-nio's pooled client.
///
/// Opening connects once directly (so a wrong address or password fails at once instead of waiting on
/// the pool), applies pending migrations under an advisory lock, then serves every operation from a
/// `PostgresClient` whose `run()` task the store owns until `close()`.
public final class PostgresStore: Sendable {
    /// How the store connects and behaves.
    public struct Configuration: Sendable {
        /// The most connections one node opens.
        public var maximumConnections: Int
        /// How long one operation (including waiting for a pooled connection) may take before it fails
        /// with `store-unavailable`; the pool otherwise waits for an unreachable server forever.
        public var operationTimeout: Duration
        /// The most expired nonce rows removed per `registerNonce` call, so pruning stays bounded.
        public var noncePruneLimit: Int
        /// How long the sequencer session may stay silent before the server ends it, releasing the
        /// role (`idle_session_timeout`, PostgreSQL 14 and later). The holder checks its session on
        /// every `holdsSequencerRole()` call, so this must exceed the time between calls (the broker
        /// uses three tree-head intervals): a holder that hangs, or whose host vanishes without
        /// closing its connection, then loses the role within this time instead of keeping it
        /// until TCP gives up on the connection.
        public var sequencerSessionTimeout: Duration
        /// Wall-clock time for audit entries and nonce expiry.
        public var now: @Sendable () -> Date
        /// Where postgres-nio logs connection events.
        public var logger: Logger

        /// Creates a configuration; every field has a default.
        public init(
            maximumConnections: Int = 10,
            operationTimeout: Duration = .seconds(10),
            noncePruneLimit: Int = 100,
            sequencerSessionTimeout: Duration = .seconds(180),
            now: @escaping @Sendable () -> Date = { Date() },
            logger: Logger = Logger(label: "rabt.store.postgres")
        ) {
            self.maximumConnections = maximumConnections
            self.operationTimeout = operationTimeout
            self.noncePruneLimit = noncePruneLimit
            self.sequencerSessionTimeout = sequencerSessionTimeout
            self.now = now
            self.logger = logger
        }
    }

    /// The configuration the store was opened with.
    public let configuration: Configuration
    let client: PostgresClient
    private let runner: Task<Void, Never>
    /// The dedicated session holding (or trying for) the sequencer role.
    let sequencer: SequencerSession

    /// Connects to the database a `postgres://user:password@host:port/database` URL names and applies
    /// pending migrations; `invalid-argument` for a malformed URL (or unusable TLS settings),
    /// `store-unavailable` when the server cannot be reached or the migrations fail. The URL's
    /// `sslmode`, `sslrootcert`, `sslcert` and `sslkey` parameters set TLS for every connection the
    /// store opens, as libpq reads them (`PostgresURL`).
    public init(url: String, configuration: Configuration = Configuration()) async throws(StoreError) {
        let (direct, pool) = try PostgresURL(url).configurations()
        self.configuration = configuration
        let logger = configuration.logger
        do {
            let connection = try await PostgresConnection.connect(configuration: direct, id: 0, logger: logger)
            do {
                try await PostgresSchema.migrate(connection, now: configuration.now(), logger: logger)
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            // Whatever failed (connection, authentication, a migration), the store cannot be opened.
            let reason = Self.mapped(error, operation: "open the database and apply migrations")
            throw StoreError(code: .storeUnavailable, message: reason.message, cause: error)
        }
        var options = pool
        options.options.maximumConnections = configuration.maximumConnections
        let client = PostgresClient(configuration: options, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        sequencer = SequencerSession(configuration: direct, silenceTimeout: configuration.sequencerSessionTimeout, logger: logger)
    }

    /// Stops the pool and ends the sequencer session (handing the role to another node); later
    /// calls fail with `store-unavailable`.
    public func close() async {
        await sequencer.close()
        runner.cancel()
        await runner.value
    }

    deinit {
        runner.cancel()
    }

    /// Names of the migrations applied to the database, in the order they were applied.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await read("applied migrations") { connection in
            try await connection.rows("SELECT name FROM rabt_migration ORDER BY applied_order", self.logger)
                .map { try $0.decode(String.self) }
        }
    }

    var logger: Logger { configuration.logger }

    /// Runs `body` on a pooled connection outside a transaction, within the operation timeout.
    func read<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let client = self.client
        return try await withDeadline(operation) { _ in
            try await client.withConnection { connection in try await body(connection) }
        }
    }

    /// Runs `body` in one READ COMMITTED transaction, within the operation timeout, mapping failures
    /// to `StoreError` (`failure` when not a constraint violation).
    func write<T: Sendable>(
        _ operation: String, failure: StoreError.Code = .storeUnavailable,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let client = self.client
        let logger = self.logger
        return try await withDeadline(operation, failure: failure) { _ in
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// Runs `body` in a read-only REPEATABLE READ transaction, so all its queries see one snapshot.
    ///
    /// `body` reports progress through its argument: the operation fails once no progress was
    /// reported for the operation timeout, so a long read (a verification) runs as long as it moves.
    func readSnapshot<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (PostgresConnection, OperationProgress) async throws -> T
    ) async throws(StoreError) -> T {
        let client = self.client
        let logger = self.logger
        return try await withDeadline(operation) { progress in
            try await client.withTransaction(logger: logger) { connection in
                // Allowed as the first statement of a transaction; the snapshot starts at the next one.
                try await connection.rows("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger)
                return try await body(connection, progress)
            }
        }
    }

    /// Runs `body` until it returns, fails, or goes one operation timeout without reporting progress.
    func withDeadline<T: Sendable>(
        _ operation: String, failure: StoreError.Code = .storeUnavailable,
        _ body: @escaping @Sendable (OperationProgress) async throws -> T
    ) async throws(StoreError) -> T {
        let timeout = configuration.operationTimeout
        let progress = OperationProgress()
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body(progress) }
                group.addTask {
                    var seen = -1
                    while progress.steps != seen {
                        seen = progress.steps
                        try await Task.sleep(for: timeout)
                    }
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else {
                    throw StoreError(code: failure, message: "\(operation): the database did not answer in time")
                }
                return value
            }
        } catch {
            throw Self.mapped(error, operation: operation, code: failure)
        }
    }

    /// Steps an operation reports; each one restarts its timeout.
    final class OperationProgress: Sendable {
        private let counter = Mutex(0)

        /// Steps reported so far.
        var steps: Int { counter.withLock { $0 } }

        /// Reports one step.
        func advance() {
            counter.withLock { $0 += 1 }
        }
    }

    /// Maps a postgres-nio failure to a `StoreError`: integrity violations are `conflict` (unless
    /// `code` is `audit-unavailable`, as SQLite maps them), the rest `code`; messages carry the
    /// SQLSTATE only, never SQL arguments.
    static func mapped(_ error: any Error, operation: String, code: StoreError.Code = .storeUnavailable) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError {
            if let cause = error.closureError { return mapped(cause, operation: operation, code: code) }
            return StoreError(code: code, message: "\(operation) failed: transaction not completed", cause: error)
        }
        if let error = error as? PSQLError {
            if error.code == .server, let state = error.serverInfo?[.sqlState] {
                // Class 23 is an integrity constraint violation: the record exists or clashes.
                if state.hasPrefix("23") && code != .auditUnavailable {
                    return StoreError(code: .conflict, message: "\(operation): record exists", cause: error)
                }
                return StoreError(code: code, message: "\(operation) failed: SQLSTATE \(state)", cause: error)
            }
            if error.code == .sslUnsupported {
                return StoreError(code: code, message: "\(operation) failed: the server does not offer TLS, which the URL's sslmode requires", cause: error)
            }
            if let handshake = error.underlying as? NIOSSLError {
                return StoreError(
                    code: code,
                    message: "\(operation) failed: the TLS handshake with the server failed (\(handshake)); check the URL's sslmode and sslrootcert",
                    cause: error
                )
            }
            // A connection's own failure (refused, reset): what the client saw.
            let detail = error.underlying.map { " (\($0))" } ?? ""
            return StoreError(code: code, message: "\(operation) failed: \(error.code)\(detail)", cause: error)
        }
        return StoreError(code: code, message: "\(operation) failed", cause: error)
    }

    /// Milliseconds since the epoch, the form every date column holds (as in SQLite).
    static func milliseconds(_ date: Date) -> Int64 { SQLiteStore.milliseconds(date) }

    /// The date of a millisecond column value.
    static func date(_ milliseconds: Int64) -> Date { SQLiteStore.date(milliseconds) }
}

extension PostgresConnection {
    /// Runs `query` and collects its rows.
    @discardableResult
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
