import Foundation
import PostgresNIO
import PostgresTestSupport
import Store
import Testing

/// TLS towards PostgreSQL, set by the database URL's libpq parameters: every connection a store
/// opens (pool and sequencer session) is encrypted when asked, the server's certificate is checked
/// against the CA named, and settings that cannot work are refused before anything connects.
@Suite struct PostgresTLSTests {
    /// The test server's CA, required: `scripts/postgres-test.sh` starts the server with TLS.
    static func certificateAuthority() throws -> String {
        try #require(PostgresTestServer.certificateAuthority, "RABT_TEST_POSTGRES_CA is not set; start the server with scripts/postgres-test.sh")
    }

    /// Whether each of the database's sessions uses TLS, as the server sees them (the asking session excluded).
    static func sessionsUseTLS(_ url: String) async throws -> [Bool] {
        var sessions: [Bool] = []
        try await PostgresTestServer.withConnection(url) { connection, logger in
            let rows = try await connection.query("""
                SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
                WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
                """, logger: logger)
            for try await ssl in rows.decode(Bool.self) { sessions.append(ssl) }
        }
        return sessions
    }

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func verifyFullEncryptsEveryConnection(engine: StoreEngine) async throws {
        let ca = try Self.certificateAuthority()
        try await PostgresTestServer.withDatabase { url in
            let query = "?sslmode=verify-full&sslrootcert=" + (ca.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ca)
            let store = try await PostgresStore(url: url + query)
            // Open the pool and the sequencer session.
            try await store.addAgency(Agency(id: "mol", name: "Labour"))
            #expect(try await store.holdsSequencerRole())
            let sessions = try await Self.sessionsUseTLS(url)
            #expect(sessions.count >= 2 && sessions.allSatisfy { $0 }, "TLS per session: \(sessions)")
            await store.close()
        }
    }

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func disableConnectsWithoutTLS(engine: StoreEngine) async throws {
        try await PostgresTestServer.withDatabase { url in
            let store = try await PostgresStore(url: url + "?sslmode=disable")
            try await store.addAgency(Agency(id: "mol", name: "Labour"))
            #expect(try await store.holdsSequencerRole())
            let sessions = try await Self.sessionsUseTLS(url)
            #expect(sessions.count >= 2 && sessions.allSatisfy { !$0 }, "TLS per session: \(sessions)")
            await store.close()
        }
    }

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func aServerCertificateFromAnUntrustedCAIsRefused(engine: StoreEngine) async throws {
        _ = try Self.certificateAuthority()
        try await PostgresTestServer.withDatabase { url in
            // The system's CAs do not include the test server's throwaway CA.
            let error = await storeError { _ = try await PostgresStore(url: url + "?sslmode=verify-full") }
            #expect(error?.code == .storeUnavailable)
            let message = error?.message ?? "no error"
            #expect(message.contains("TLS handshake with the server failed") && message.contains("CERTIFICATE_VERIFY_FAILED"), "\(message)")
        }
    }

    @Test(arguments: StoreEngine.available.filter { $0 == .postgres })
    func requireEncryptsWithoutCheckingTheCertificate(engine: StoreEngine) async throws {
        _ = try Self.certificateAuthority()
        try await PostgresTestServer.withDatabase { url in
            let store = try await PostgresStore(url: url + "?sslmode=require")
            try await store.addAgency(Agency(id: "mol", name: "Labour"))
            let sessions = try await Self.sessionsUseTLS(url)
            #expect(!sessions.isEmpty && sessions.allSatisfy { $0 }, "TLS per session: \(sessions)")
            await store.close()
        }
    }

    @Test(arguments: [
        ("postgres://rabt:pw@127.0.0.1/rabt?sslmode=always", "sslmode 'always' is not one of"),
        ("postgres://rabt:pw@127.0.0.1/rabt?connect_timeout=5", "parameter 'connect_timeout' is not known"),
        ("postgres://rabt:pw@127.0.0.1/rabt?sslcert=/tmp/client.pem", "sslcert and sslkey together"),
        ("postgres://rabt:pw@127.0.0.1/rabt?sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem", "sslrootcert /nonexistent/ca.pem: not a readable PEM file"),
    ])
    func unusableSettingsAreInvalidArguments(url: String, message: String) async throws {
        let error = await storeError { _ = try await PostgresStore(url: url) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
        #expect(error?.message.contains("pw") == false)
    }
}
