import Foundation
import GRDB
import PostgresNIO
import PostgresTestSupport
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

    /// How long one operation may wait (SQLite's busy timeout, PostgreSQL's operation timeout):
    /// far above what any operation needs, so that concurrent writers on a loaded machine are slow
    /// rather than failed. The tests of these limits set their own.
    static let patience = Duration.seconds(60)

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
                    configuration: .init(busyTimeout: Self.patience, noncePruneLimit: noncePruneLimit, now: { clock.now })
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
                        url: url,
                        configuration: .init(
                            maximumConnections: 4, operationTimeout: Self.patience, noncePruneLimit: noncePruneLimit, now: { clock.now }
                        )
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
