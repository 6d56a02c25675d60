import ArgumentParser
import Audit
import Broker
import Foundation
import Signing

/// `rabt init`: a new exchange's database and its first operator.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the database of a new exchange and register its first operator.",
        discussion: """
            Works on the database file directly, before the broker runs. The certificate must be \
            issued by the exchange CA for client authentication with OU=operator; from then on \
            that operator registers the others (`rabt principal add`). Refused when the database \
            has an operator already. The registration is the log's first audit entry.

            Examples:
              rabt init --pki certs/dev --database rabt.sqlite
              rabt init --database /var/lib/rabt/rabt.sqlite --ca ca.pem --operator-cert alice.pem --name alice
            """
    )

    @Option(help: "SQLite database file (created when missing), or postgres://user:password@host:port/database shared by several nodes (TLS: ?sslmode=verify-full&sslrootcert=CA.pem).")
    var database: String = ProcessInfo.processInfo.environment["RABT_DATABASE"] ?? "rabt.sqlite"

    @Option(help: "A development PKI folder: its CA and operators/operator.pem unless named.")
    var pki: String?

    @Option(help: "The exchange CA certificate (PEM).")
    var ca: String?

    @Option(name: .customLong("operator-cert"), help: "The first operator's client certificate (PEM).")
    var operatorCertificate: String?

    @Option(help: "The operator's name (default: the certificate's CN).")
    var name: String?

    func run() async throws {
        let layout = pki.map { DevelopmentPKI(directory: URL(fileURLWithPath: $0)) }
        guard let caFile = ca ?? ProcessInfo.processInfo.environment["RABT_CA"] ?? layout?.caCertificate.path else {
            throw ValidationError("Name the exchange CA with --ca, RABT_CA or --pki.")
        }
        guard let certificate = operatorCertificate ?? layout?.operatorCertificate("operator").path else {
            throw ValidationError("Name the first operator's certificate with --operator-cert (or --pki).")
        }
        let pem = try readPEM(certificate)
        do {
            let principal = try await initializeExchange(
                database: database, caFile: caFile, operatorCertificatePEM: pem, name: name
            )
            print("Initialised \(StoreLocation(database)): operator '\(principal.name)' (\(principal.subject)) may use the admin API.")
            print("Certificate SHA-256 \(principal.fingerprint), valid until \(Timestamp.format(principal.notAfter)).")
        } catch {
            let code: Int32 = error.type.name == "bad-request" ? 2 : (error.type.name == "conflict" ? 1 : 4)
            CLIOutput.failure(error.detail, hint: nil, exitCode: code)
        }
    }
}

/// `rabt principal`: who may use the admin and audit APIs.
struct PrincipalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "principal",
        abstract: "Register, list and remove operators and auditors (client certificates with a role).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an operator or auditor certificate; its subject's OU must name the role.",
            discussion: """
                Examples:
                  rabt principal add --role auditor --certificate certs/dev/auditors/auditor.pem
                  rabt principal add --role operator --certificate bob.pem --name bob
                """
        )
        @Option(help: "operator or auditor.") var role: String
        @Option(help: "The client certificate (PEM) issued by the exchange CA.") var certificate: String
        @Option(help: "Name in audit entries (default: the certificate's CN).") var name: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let pem = try readPEM(certificate)
            let principal = try await connection.call { client throws(BrokerClientError) in
                try await client.addPrincipal(PrincipalRegistration(name: name, role: role, certificate: pem))
            }
            if connection.output == .json { return CLIOutput.json(principal) }
            print("Registered \(principal.role) '\(principal.name)' (certificate SHA-256 \(principal.fingerprint)).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered operators and auditors.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let principals = try await connection.call { client throws(BrokerClientError) in try await client.principals() }
            if connection.output == .json { return CLIOutput.json(principals) }
            CLIOutput.table(
                ["NAME", "ROLE", "SUBJECT", "CERTIFICATE ENDS"],
                principals.map { [$0.name, $0.role, $0.subject, Timestamp.format($0.notAfter)] }
            )
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an operator or auditor: its certificate is refused from its next request.",
            discussion: "The last operator cannot be removed.\n\nExample:\n  rabt principal remove bob --yes"
        )
        @Argument(help: "The principal's name.") var name: String
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try confirmation.require("Remove principal \(name)? Its certificate will be refused.")
            let principal = try await connection.call { client throws(BrokerClientError) in try await client.removePrincipal(name) }
            if connection.output == .json { return CLIOutput.json(principal) }
            print("Removed \(principal.role) '\(principal.name)'.")
        }
    }
}
