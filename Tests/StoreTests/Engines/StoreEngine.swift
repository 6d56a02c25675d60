import Foundation
import GRDB
import Logging
import PostgresNIO
import Store
import Testing

/// A storage engine the conformance suites run against.
///
/// SQLite always runs. PostgreSQL runs when `RABT_TEST_POSTGRES_URL` names a server
/// (`postgres://user:pass@127.0.0.1:PORT/db`, a user allowed to create databases); each test gets a
/// database of its own, dropped afterwards. With `RABT_REQUIRE_POSTGRES=1` (CI) a missing or
/// unreachable server fails every PostgreSQL test instead of leaving it out.
enum StoreEngine: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// The engines to test in this environment.
    static var available: [StoreEngine] {
        PostgresTestServer.isConfigured || PostgresTestServer.isRequired ? [.sqlite, .postgres] : [.sqlite]
    }

    var testDescription: String { rawValue }

    /// Opens a fresh store of this engine offering the audit log and the registry, runs `body` with
    /// it and its database, then closes and deletes both.
    func withAuditStore(
        clock: ManualClock = ManualClock(), _ body: (any AuditStore & RegistryStore, EngineDatabase) async throws -> Void
    ) async throws {
        try await withStore(clock: clock) { database in
            try await database.withStore(as: (any AuditStore & RegistryStore).self) { store in try await body(store, database) }
        }
    }

    /// Opens a fresh, empty store of this engine, runs `body` with it, then closes and deletes it.
    func withStore(
        clock: ManualClock = ManualClock(), noncePruneLimit: Int = 100,
        _ body: (EngineDatabase) async throws -> Void
    ) async throws {
        switch self {
        case .sqlite:
            let folder = try TemporaryFolder()
            let database = EngineDatabase(engine: self, opener: {
                try await SQLiteStore(
                    path: folder.databasePath,
                    configuration: .init(noncePruneLimit: noncePruneLimit, now: { clock.now })
                )
            }, tamper: { sql in
                // Another connection to the file, as someone editing it would open.
                let queue = try DatabaseQueue(path: folder.databasePath)
                try await queue.write { db in try db.execute(sql: sql) }
                try queue.close()
            })
            try await database.run(body)
        case .postgres:
            try await PostgresTestServer.withDatabase { url in
                let database = EngineDatabase(engine: self, opener: {
                    try await PostgresStore(
                        url: url, configuration: .init(maximumConnections: 4, noncePruneLimit: noncePruneLimit, now: { clock.now })
                    )
                }, tamper: { sql in
                    try await PostgresTestServer.withConnection(url) { connection, logger in
                        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                    }
                })
                try await database.run(body)
            }
        }
    }
}

/// One empty database of an engine; every `open()` is another node on it.
final class EngineDatabase: Sendable {
    let engine: StoreEngine
    private let opener: @Sendable () async throws -> any Sendable
    private let tamperer: @Sendable (String) async throws -> Void

    init(
        engine: StoreEngine, opener: @escaping @Sendable () async throws -> any Sendable,
        tamper: @escaping @Sendable (String) async throws -> Void
    ) {
        self.engine = engine
        self.opener = opener
        tamperer = tamper
    }

    /// Runs `sql` on a connection of its own, as an attacker with database access would: the
    /// store's API rightly offers no way to edit the log.
    func tamper(_ sql: String) async throws {
        try await tamperer(sql)
    }

    /// `bytes` as a blob literal of this engine's SQL.
    func blobLiteral(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        return switch engine {
        case .sqlite: "X'\(hex)'"
        case .postgres: "'\\x\(hex)'::bytea"
        }
    }

    /// Opens a store (a node) on this database; the caller closes it with `close(_:)`.
    func open() async throws -> any RegistryStore { try await open(as: (any RegistryStore).self) }

    /// Opens a store (a node) offering `Store` (a protocol such as `any AuditStore`).
    func open<Store>(as type: Store.Type) async throws -> Store {
        let store = try await opener()
        guard let typed = store as? Store else {
            try? await close(store)
            throw PostgresTestServer.Unavailable(description: "the \(engine) store does not offer \(type)")
        }
        return typed
    }

    /// Closes a store this database opened.
    func close(_ store: Any) async throws {
        if let store = store as? SQLiteStore { try await store.close() }
        if let store = store as? PostgresStore { await store.close() }
    }

    fileprivate func run(_ body: (EngineDatabase) async throws -> Void) async throws {
        try await body(self)
    }

    /// Opens one store, runs `body` with it and closes it, also when `body` throws.
    func withStore(_ body: (any RegistryStore) async throws -> Void) async throws {
        try await withStore(as: (any RegistryStore).self, body)
    }

    /// Opens one store offering `Store`, runs `body` with it and closes it, also when `body` throws.
    func withStore<Store>(as type: Store.Type, _ body: (Store) async throws -> Void) async throws {
        let store = try await open(as: type)
        do {
            try await body(store)
        } catch {
            try? await close(store)
            throw error
        }
        try await close(store)
    }
}

/// The PostgreSQL server named by the environment.
enum PostgresTestServer {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static var url: String? {
        ProcessInfo.processInfo.environment["RABT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isConfigured: Bool { url != nil }

    static var isRequired: Bool { ProcessInfo.processInfo.environment["RABT_REQUIRE_POSTGRES"] == "1" }

    /// Connects to the database `url` names, runs `body`, then disconnects.
    static func withConnection(_ url: String, _ body: (PostgresConnection, Logger) async throws -> Void) async throws {
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw Unavailable(description: "not a postgres:// URL")
        }
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: String(components.path.dropFirst()), tls: .disable
        )
        let logger = Logger(label: "rabt.store.tests")
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 2, logger: logger)
        do {
            try await body(connection, logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// Test databases in use at once: each holds a few stores of up to `maximumConnections` pooled
    /// connections, and the server admits 100 connections in all.
    static let slots = Slots(count: 4)

    /// Creates a database of its own on the server, runs `body` with its URL, then drops it.
    static func withDatabase(_ body: (String) async throws -> Void) async throws {
        await slots.acquire()
        do {
            try await withOwnDatabase(body)
        } catch {
            await slots.release()
            throw error
        }
        await slots.release()
    }

    /// Drops a test database. FORCE ends the sessions the test left open, but may not end an
    /// autovacuum worker (another role's process); a plain DROP stops such a worker itself.
    private static func drop(_ name: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        do {
            try await connection.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
        } catch {
            try await connection.query("DROP DATABASE IF EXISTS \(unescaped: name)", logger: logger)
        }
    }

    private static func withOwnDatabase(_ body: (String) async throws -> Void) async throws {
        guard let url, var components = URLComponents(string: url), let host = components.host,
              let user = components.user
        else {
            throw Unavailable(description: "RABT_REQUIRE_POSTGRES=1 but RABT_TEST_POSTGRES_URL is not set to a postgres:// URL; start a server with scripts/postgres-test.sh")
        }
        let name = "rabt_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: String(components.path.dropFirst()), tls: .disable
        )
        let logger = Logger(label: "rabt.store.tests")
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: admin, id: 1, logger: logger)
        } catch {
            throw Unavailable(description: "cannot reach the PostgreSQL server in RABT_TEST_POSTGRES_URL (\(host):\(components.port ?? 5432)): \(String(reflecting: error))")
        }
        do {
            try await connection.query("CREATE DATABASE \(unescaped: name)", logger: logger)
            components.path = "/" + name
            let databaseURL = components.string ?? url
            do {
                try await body(databaseURL)
            } catch {
                try? await drop(name, connection, logger)
                throw error
            }
            try await drop(name, connection, logger)
        } catch let error as PSQLError {
            try? await connection.close()
            // The test's own statements: their details are safe to show, and say what went wrong.
            throw Unavailable(description: "creating or dropping the test database failed: \(String(reflecting: error))")
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

/// A counting semaphore for tasks.
actor Slots {
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(count: Int) {
        free = count
    }

    /// Waits for a free slot and takes it.
    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Gives a slot back, to the longest waiter if there is one.
    func release() {
        if waiters.isEmpty {
            free += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}

/// Runs `body` and returns the `StoreError` it threw, or nil.
func storeError(_ body: () async throws -> Void) async -> StoreError? {
    do {
        try await body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        return nil
    }
}
