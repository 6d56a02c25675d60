import Foundation
import PostgresTestSupport
import Store
import Testing

/// Opening PostgreSQL stores: migrations under concurrent starts, and failures reported as store errors.
@Suite struct PostgresMigrationConformanceTests {
    static let migrations = [
        "v1-registry", "v1-nonces", "v3-principals", "v3-contract-sunset", "v2-audit", "v3-delivery",
        "v5-idempotency-body-form",
    ]

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func nodesStartingAtOnceApplyEachMigrationOnce(engine: StoreEngine) async throws {
        try await PostgresTestServer.withDatabase { url in
            let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await PostgresStore(url: url) }
                }
                return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
            }
            #expect(stores.count == 3)
            for store in stores {
                #expect(try await store.appliedMigrations() == Self.migrations)
            }
            // A node started later finds everything applied and adds nothing.
            let late = try await PostgresStore(url: url)
            #expect(try await late.appliedMigrations() == Self.migrations)
            try await late.addAgency(Agency(id: "mol", name: "Labour"))
            #expect(try await stores[0].agency(id: "mol")?.name == "Labour")
            await late.close()
            for store in stores { await store.close() }
        }
    }

    @Test func anUnreachableServerIsStoreUnavailable() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let error = await storeError { _ = try await PostgresStore(url: "postgres://rabt:secret@127.0.0.1:1/rabt") }
        #expect(error?.code == .storeUnavailable)
        #expect(error?.message.contains("secret") == false)
    }

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func aWrongPasswordIsStoreUnavailableWithoutThePassword(engine: StoreEngine) async throws {
        try await PostgresTestServer.withDatabase { url in
            var components = try #require(URLComponents(string: url))
            components.password = "wrong-secret-value"
            let error = await storeError { _ = try await PostgresStore(url: try #require(components.string)) }
            #expect(error?.code == .storeUnavailable)
            #expect(error?.description.contains("wrong-secret-value") == false)
        }
    }

    @Test(arguments: ["mysql://u@h/db", "postgres:///db", "not a url", "postgres://127.0.0.1/db"])
    func aMalformedURLIsInvalidArgument(url: String) async throws {
        #expect(await storeError { _ = try await PostgresStore(url: url) }?.code == .invalidArgument)
    }

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func aClosedStoreIsUnavailable(engine: StoreEngine) async throws {
        try await PostgresTestServer.withDatabase { url in
            let store = try await PostgresStore(url: url, configuration: .init(operationTimeout: .seconds(2)))
            await store.close()
            #expect(await storeError { _ = try await store.agencies() }?.code == .storeUnavailable)
        }
    }
}
