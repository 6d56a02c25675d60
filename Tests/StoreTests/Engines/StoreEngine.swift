import Foundation
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
