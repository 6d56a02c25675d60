import Foundation
import Logging
import PostgresNIO

/// The scale-out store: several `rabt serve` nodes share one PostgreSQL through postgres-nio's pooled client.
///
/// Opening connects once directly (so a wrong address or password fails at once instead of waiting on
/// the pool), applies pending migrations under an advisory lock, then serves every operation from a
/// `PostgresClient` whose `run()` task the store owns until `close()`.
public final class PostgresStore: Sendable {
    /// How the store connects and behaves.
    public struct Configuration: Sendable {
        /// TLS towards the server; `.disable` suits a server on loopback or a private network.
        public var tls: PostgresClient.Configuration.TLS
        /// The most connections one node opens.
        public var maximumConnections: Int
        /// How long one operation (including waiting for a pooled connection) may take before it fails
        /// with `store-unavailable`; the pool otherwise waits for an unreachable server forever.
        public var operationTimeout: Duration
        /// The most expired nonce rows removed per `registerNonce` call, so pruning stays bounded.
        public var noncePruneLimit: Int
        /// Wall-clock time for nonce expiry.
        public var now: @Sendable () -> Date
        /// Where postgres-nio logs connection events.
        public var logger: Logger

        /// Creates a configuration; every field has a default.
        public init(
            tls: PostgresClient.Configuration.TLS = .disable,
            maximumConnections: Int = 10,
            operationTimeout: Duration = .seconds(10),
            noncePruneLimit: Int = 100,
            now: @escaping @Sendable () -> Date = { Date() },
            logger: Logger = Logger(label: "rabt.store.postgres")
        ) {
            self.tls = tls
            self.maximumConnections = maximumConnections
            self.operationTimeout = operationTimeout
            self.noncePruneLimit = noncePruneLimit
            self.now = now
            self.logger = logger
        }
    }

    /// The configuration the store was opened with.
    public let configuration: Configuration
    let client: PostgresClient
    private let runner: Task<Void, Never>

    /// Connects to the database a `postgres://user:password@host:port/database` URL names and applies
    /// pending migrations; `invalid-argument` for a malformed URL, `store-unavailable` when the server
    /// cannot be reached or the migrations fail.
    public init(url: String, configuration: Configuration = Configuration()) async throws(StoreError) {
        let target = try PostgresURL(url)
        self.configuration = configuration
        let logger = configuration.logger
        let direct = PostgresConnection.Configuration(
            host: target.host, port: target.port, username: target.user, password: target.password,
            database: target.database, tls: .disable
        )
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
        var options = PostgresClient.Configuration(
            host: target.host, port: target.port, username: target.user, password: target.password,
            database: target.database, tls: configuration.tls
        )
        options.options.maximumConnections = configuration.maximumConnections
        let client = PostgresClient(configuration: options, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    /// Stops the pool; later calls fail with `store-unavailable`.
    public func close() async {
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
        return try await withDeadline(operation) {
            try await client.withConnection { connection in try await body(connection) }
        }
    }

    /// Runs `body` in one transaction, within the operation timeout; refuses an audit record, which
    /// this engine cannot write yet.
    func write<T: Sendable>(
        _ operation: String, recording record: AdminRecord?,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        guard record == nil else {
            throw StoreError(code: .invalidArgument, message: "the PostgreSQL audit log is not built yet")
        }
        let client = self.client
        let logger = self.logger
        return try await withDeadline(operation) {
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    private func withDeadline<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws(StoreError) -> T {
        let timeout = configuration.operationTimeout
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else {
                    throw StoreError(code: .storeUnavailable, message: "\(operation): the database did not answer in time")
                }
                return value
            }
        } catch {
            throw Self.mapped(error, operation: operation)
        }
    }

    /// Maps a postgres-nio failure to a `StoreError`: integrity violations are `conflict`, the rest
    /// `store-unavailable`; messages carry the SQLSTATE only, never SQL arguments.
    static func mapped(_ error: any Error, operation: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError {
            if let cause = error.closureError { return mapped(cause, operation: operation) }
            return StoreError(code: .storeUnavailable, message: "\(operation) failed: transaction not completed", cause: error)
        }
        if let error = error as? PSQLError {
            if error.code == .server, let state = error.serverInfo?[.sqlState] {
                // Class 23 is an integrity constraint violation: the record exists or clashes.
                if state.hasPrefix("23") {
                    return StoreError(code: .conflict, message: "\(operation): record exists", cause: error)
                }
                return StoreError(code: .storeUnavailable, message: "\(operation) failed: SQLSTATE \(state)", cause: error)
            }
            return StoreError(code: .storeUnavailable, message: "\(operation) failed: \(error.code)", cause: error)
        }
        return StoreError(code: .storeUnavailable, message: "\(operation) failed", cause: error)
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

/// The parts of a `postgres://` URL the store connects with.
struct PostgresURL {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String?

    init(_ url: String) throws(StoreError) {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty,
              let user = components.user, !user.isEmpty
        else {
            // The URL may hold a password: never echo it.
            throw StoreError(code: .invalidArgument, message: "expected a postgres://user:password@host:port/database URL")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 5432
        // URLComponents percent-decodes user and password.
        self.user = user
        password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? nil : path
    }
}
