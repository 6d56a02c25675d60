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

    /// The CA file the server's TLS certificate chains to, from `RABT_TEST_POSTGRES_CA`
    /// (`scripts/postgres-test.sh` sets it when the server offers TLS).
    public static var certificateAuthority: String? {
        ProcessInfo.processInfo.environment["RABT_TEST_POSTGRES_CA"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether a server is named.
    public static var isConfigured: Bool { url != nil }

    /// Whether tests must fail rather than skip without one (`RABT_REQUIRE_POSTGRES=1`).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["RABT_REQUIRE_POSTGRES"] == "1" }

    /// Connects to the database `url` names, runs `body`, then disconnects.
    public static func withConnection(_ url: String, _ body: (PostgresConnection, Logger) async throws -> Void) async throws {
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
    public static func withDatabase(_ body: (String) async throws -> Void) async throws {
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
public actor Slots {
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(count: Int) {
        free = count
    }

    /// Waits for a free slot and takes it.
    public func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Gives a slot back, to the longest waiter if there is one.
    public func release() {
        if waiters.isEmpty {
            free += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
