import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server named by the environment.
public enum PostgresTestServer {
    /// The server is required but missing or unreachable.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    /// The server URL from `RABT_TEST_POSTGRES_URL`.
    public static var url: String? {
        ProcessInfo.processInfo.environment["RABT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether a server is named.
    public static var isConfigured: Bool { url != nil }

    /// Whether tests must fail rather than skip without one (`RABT_REQUIRE_POSTGRES=1`).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["RABT_REQUIRE_POSTGRES"] == "1" }

    /// Creates a database of its own on the server, runs `body` with its URL, then drops it.
    public static func withDatabase(_ body: (String) async throws -> Void) async throws {
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
