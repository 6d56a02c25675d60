import ArgumentParser
import Audit
import Broker
import Foundation
import Store

/// `rabt agency`: register and list agencies.
struct AgencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency",
        abstract: "Register, inspect, suspend and reactivate agencies.",
        subcommands: [Add.self, List.self, Show.self, Suspend.self, Reactivate.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an agency. Its client certificate's CN must equal the id.",
            discussion: "Example:\n  rabt agency add mol --name \"Ministry of Labour\""
        )
        @Argument(help: "Agency id, e.g. mol.") var id: String
        @Option(help: "The agency's full name.") var name: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let agency = try await connection.call { client throws(BrokerClientError) in
                try await client.addAgency(AgencyRegistration(id: id, name: name))
            }
            if connection.output == .json { return CLIOutput.json(agency) }
            print("Registered agency \(agency.id) (\(agency.name)), \(agency.status).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered agencies.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let agencies = try await connection.call { client throws(BrokerClientError) in try await client.agencies() }
            if connection.output == .json { return CLIOutput.json(agencies) }
            CLIOutput.table(["ID", "NAME", "STATUS"], agencies.map { [$0.id, $0.name, $0.status] })
        }
    }
}

/// `rabt key`: register signature keys.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Register, list, rotate and revoke agencies' signature keys.",
        subcommands: [Add.self, List.self, Rotate.self, Revoke.self, Expiring.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a signature key of an agency from a PEM public key or certificate.",
            discussion: "Example:\n  rabt key add mol --key-id mol-2026 --algorithm ed25519 --public-key certs/dev/agencies/mol-signing.pub.pem"
        )
        @Argument(help: "Agency id.") var agency: String
        @Option(name: .customLong("key-id"), help: "The keyid the agency signs with.") var keyId: String
        @Option(help: "ed25519, ecdsa-p256-sha256 or rsa-pss-sha512.") var algorithm: String
        @Option(name: .customLong("public-key"), help: "PEM file with the public key or a certificate.") var publicKey: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let pem = try readPEM(publicKey)
            let key = try await connection.call { client throws(BrokerClientError) in
                try await client.addKey(agency: agency, KeyRegistration(keyId: keyId, algorithm: algorithm, publicKey: pem))
            }
            if connection.output == .json { return CLIOutput.json(key) }
            print("Registered key \(key.keyId) (\(key.algorithm)) for agency \(key.agency).")
        }
    }
}

/// `rabt endpoint`: where provider agencies serve.
struct EndpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint",
        abstract: "Set provider agencies' endpoints.",
        subcommands: [Set.self, Test.self]
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the endpoint URL(s) of a provider agency; several URLs fail over in order.",
            discussion: """
                Rabt reaches the provider with its own client certificate and trusts the exchange CA, \
                unless the endpoint names other files. TLS files are absolute paths on the broker \
                nodes (they are read there when delivering) and are checked when set.

                Examples:
                  rabt endpoint set moj --url https://moj-a.example:9443 --url https://moj-b.example:9443 --timeout-ms 3000
                  rabt endpoint set spf --url https://spf.example:8443 --tls-ca /etc/rabt/spf-ca.pem \\
                      --tls-cert /etc/rabt/rabt-for-spf.pem --tls-key /etc/rabt/rabt-for-spf-key.pem
                """
        )
        @Argument(help: "Provider agency id.") var provider: String
        @Option(name: .customLong("url"), help: "An https base URL (repeat for failover).") var urls: [String]
        @Option(name: .customLong("timeout-ms"), help: "Per-attempt timeout in milliseconds.") var timeoutMilliseconds: Int?
        @Option(name: .customLong("tls-ca"), help: "CA bundle (PEM, path on the broker) that verifies this provider's server certificate.")
        var tlsCA: String?
        @Option(name: .customLong("tls-cert"), help: "Client certificate (PEM, path on the broker) Rabt presents to this provider.")
        var tlsCertificate: String?
        @Option(name: .customLong("tls-key"), help: "The key of --tls-cert (PEM, path on the broker).")
        var tlsKey: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let tls = ProviderEndpoint.TLS(caFile: tlsCA, clientCertificateFile: tlsCertificate, clientKeyFile: tlsKey)
            let setting = EndpointSetting(
                urls: urls, timeoutMilliseconds: timeoutMilliseconds, tls: tls == ProviderEndpoint.TLS() ? nil : tls
            )
            let endpoint = try await connection.call { client throws(BrokerClientError) in
                try await client.setEndpoint(provider: provider, setting)
            }
            if connection.output == .json { return CLIOutput.json(endpoint) }
            print("Endpoint of \(endpoint.provider): \(endpoint.urls.joined(separator: ", "))")
            if let tls = endpoint.tls {
                print("TLS: CA \(tls.caFile ?? "exchange CA"), client certificate \(tls.clientCertificateFile ?? "Rabt's")")
            }
        }
    }
}

/// `rabt contract`: publish and list contracts.
struct ContractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "Publish, list, show, compare and deprecate contracts.",
        subcommands: [Publish.self, List.self, Show.self, Diff.self, Deprecate.self]
    )

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a contract (OpenAPI 3.1 with x-exchange, YAML or JSON). A published version is immutable.",
            discussion: "Example:\n  rabt contract publish contracts/moj/criminal-record-certificate.v1.yaml"
        )
        @Argument(help: "Contract file.") var file: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("Cannot read \(file): \(error.localizedDescription)")
            }
            let name = URL(fileURLWithPath: file).lastPathComponent
            let contract = try await connection.call { client throws(BrokerClientError) in
                try await client.publishContract(text, fileName: name)
            }
            if connection.output == .json { return CLIOutput.json(contract) }
            let verb = contract.created == false ? "Already published (identical)" : "Published"
            print("\(verb): \(contract.provider)/\(contract.service) v\(contract.version), digest \(contract.digest)")
            print("Consumers granted: \(contract.consumers.joined(separator: ", "))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List published contracts.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let contracts = try await connection.call { client throws(BrokerClientError) in try await client.contracts() }
            if connection.output == .json { return CLIOutput.json(contracts) }
            CLIOutput.table(
                ["PROVIDER", "SERVICE", "VERSION", "CONSUMERS", "PUBLISHED", "SUNSET"],
                contracts.map {
                    [$0.provider, $0.service, "v\($0.version)", $0.consumers.joined(separator: ","),
                     Timestamp.format($0.publishedAt), $0.sunsetAt.map(Timestamp.format) ?? "-"]
                }
            )
        }
    }
}
