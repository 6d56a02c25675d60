import Foundation
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

    /// Opens a fresh, empty store of this engine, runs `body` with it, then closes and deletes it.
    func withStore(
        clock: ManualClock = ManualClock(), noncePruneLimit: Int = 100,
        _ body: (EngineDatabase) async throws -> Void
    ) async throws {
        switch self {
        case .sqlite:
            let folder = try TemporaryFolder()
            let database = EngineDatabase(engine: self) {
                try await SQLiteStore(
                    path: folder.databasePath,
                    configuration: .init(noncePruneLimit: noncePruneLimit, now: { clock.now })
                )
            }
            try await database.run(body)
        case .postgres:
            try await PostgresTestServer.withDatabase { url in
                let database = EngineDatabase(engine: self) {
                    try await PostgresStore(url: url, configuration: .init(noncePruneLimit: noncePruneLimit, now: { clock.now }))
                }
                try await database.run(body)
            }
        }
    }
}

/// One empty database of an engine; every `open()` is another node on it.
final class EngineDatabase: Sendable {
    let engine: StoreEngine
    private let opener: @Sendable () async throws -> any Sendable

    init(engine: StoreEngine, opener: @escaping @Sendable () async throws -> any Sendable) {
        self.engine = engine
        self.opener = opener
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

    /// Creates a database of its own on the server, runs `body` with its URL, then drops it.
    static func withDatabase(_ body: (String) async throws -> Void) async throws {
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
                _ = try? await connection.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
                throw error
            }
            try await connection.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
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
