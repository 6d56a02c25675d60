import Signing
import Foundation
import PostgresTestSupport
import Testing

/// `rabt init` on PostgreSQL as an operator runs it: over TLS with the URL's libpq parameters,
/// never printing the database password, and with a specific error for settings that cannot work.
@Suite(.enabled(if: PostgresTestServer.isConfigured || PostgresTestServer.isRequired))
struct PostgresInitCommandTests {
    @Test func initOverVerifiedTLSNamesTheDatabaseWithoutItsPassword() async throws {
        let ca = try #require(PostgresTestServer.certificateAuthority, "start the server with scripts/postgres-test.sh (it sets RABT_TEST_POSTGRES_CA)")
        try await PostgresTestServer.withDatabase { url in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-pg-init-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let pki = try DevelopmentPKI.create(in: folder.appendingPathComponent("pki"), agencies: [], operators: ["operator"])
            let password = try #require(URLComponents(string: url)?.password)

            let bad = try await RabtExecutable.run(["init", "--pki", pki.directory.path, "--database", url + "?sslmode=sometimes"])
            #expect(bad.status == 2)
            #expect(bad.standardError.contains("sslmode 'sometimes' is not one of"), "\(bad.standardError)")
            #expect(!bad.standardError.contains(password))

            let untrusted = try await RabtExecutable.run(["init", "--pki", pki.directory.path, "--database", url + "?sslmode=verify-full"])
            #expect(untrusted.status == 4)
            #expect(untrusted.standardError.contains("TLS handshake with the server failed"), "\(untrusted.standardError)")

            let verified = url + "?sslmode=verify-full&sslrootcert=" + ca
            let done = try await RabtExecutable.run(["init", "--pki", pki.directory.path, "--database", verified])
            #expect(done.status == 0, "\(done.standardError)")
            #expect(done.standardOutput.contains("Initialised postgres://rabt@"), "\(done.standardOutput)")
            #expect(!done.standardOutput.contains(password) && !done.standardError.contains(password))
        }
    }
}
