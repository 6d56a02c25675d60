import ArgumentParser
import Foundation
import Signing

/// `rabt pki`: the development PKI.
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Create a development PKI (exchange CA, Rabt, agencies, operators).",
        subcommands: [Create.self, Issue.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a development PKI into a folder.",
            discussion: """
                Writes the exchange CA, Rabt's TLS certificate and signing key, and for each agency a \
                client certificate, a server certificate for its provider endpoint and a signature key \
                pair. Server certificates name localhost, 127.0.0.1 and ::1, and each --dns-name. \
                An existing CA in the folder is kept, so certificates issued earlier stay valid. \
                For development and tests only: see certs/README.md for a real deployment.

                Examples:
                  rabt pki create --out certs/dev
                  rabt pki create --out certs/dev --agency mol --agency moj:ecdsa-p256-sha256 --operator alice
                  rabt pki create --out /pki --agency mol --dns-name rabt     # Rabt reached as https://rabt:8443
                """
        )

        @Option(help: "Folder to write into.")
        var out: String

        @Option(name: .customLong("agency"), help: "An agency id, optionally with its signature algorithm (id:algorithm).")
        var agencies: [String] = ["mol", "moj:ecdsa-p256-sha256", "rop:rsa-pss-sha512", "spf"]

        @Option(name: .customLong("operator"), help: "An operator name.")
        var operators: [String] = ["operator"]

        @Option(name: .customLong("auditor"), help: "An auditor name.")
        var auditors: [String] = ["auditor"]

        @Option(name: .customLong("dns-name"), help: "A DNS name for the server certificates issued by this run, besides localhost (repeatable).")
        var dnsNames: [String] = []

        func run() async throws {
            let parsed = try PKICommand.agencies(agencies)
            let pki = try DevelopmentPKI.create(
                in: URL(fileURLWithPath: out), agencies: parsed, operators: operators, auditors: auditors,
                serverDNSNames: dnsNames
            )
            print("Development PKI written to \(pki.directory.path)")
            print("  exchange CA       \(pki.caCertificate.path)")
            print("  Rabt TLS          \(pki.rabtCertificate.path)")
            print("  Rabt signing key  \(pki.rabtSigningKey.path)")
            PKICommand.list(pki, parsed, operators, auditors)
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue certificates for one more agency, operator or auditor with an existing development CA.",
            discussion: """
                Leaves the CA, Rabt's files and everyone else's certificates as they are. For an \
                agency: a client certificate (CN = agency id), a server certificate for its provider \
                endpoint and a signature key pair (agencies/<id>-signing.pub.pem is what `rabt key add` \
                registers).

                Examples:
                  rabt pki issue --pki certs/dev --agency mof:ecdsa-p256-sha256
                  rabt pki issue --pki certs/dev --operator bob --auditor carol
                  rabt pki issue --pki /pki --agency moj:ecdsa-p256-sha256 --dns-name moj   # served as https://moj:9443
                """
        )

        @Option(help: "The development PKI folder (made by `rabt pki create`).") var pki: String
        @Option(name: .customLong("agency"), help: "An agency id, optionally with its signature algorithm (id:algorithm).")
        var agencies: [String] = []
        @Option(name: .customLong("operator"), help: "An operator name.") var operators: [String] = []
        @Option(name: .customLong("auditor"), help: "An auditor name.") var auditors: [String] = []
        @Option(name: .customLong("dns-name"), help: "A DNS name for the agencies' provider certificates issued by this run, besides localhost (repeatable).")
        var dnsNames: [String] = []

        func run() async throws {
            guard !(agencies.isEmpty && operators.isEmpty && auditors.isEmpty) else {
                throw ValidationError("Name at least one --agency, --operator or --auditor.")
            }
            let parsed = try PKICommand.agencies(agencies)
            let layout: DevelopmentPKI
            do {
                layout = try DevelopmentPKI.create(
                    in: URL(fileURLWithPath: pki), agencies: parsed, operators: operators, auditors: auditors, rabtIdentity: false,
                    serverDNSNames: dnsNames
                )
            } catch {
                CLIOutput.failure("\(error)", hint: "Create the PKI first: rabt pki create --out \(pki)", exitCode: 1)
            }
            print("Issued with the exchange CA \(layout.caCertificate.path):")
            PKICommand.list(layout, parsed, operators, auditors)
        }
    }

    /// `id` or `id:algorithm` values of `--agency`.
    static func agencies(_ values: [String]) throws -> [DevelopmentPKI.Agency] {
        try values.map { text throws(ValidationError) -> DevelopmentPKI.Agency in
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard let id = parts.first, !id.isEmpty else { throw ValidationError("Empty agency id in --agency.") }
            guard parts.count == 2 else { return .init(id: id) }
            guard let algorithm = SignatureAlgorithm(wireName: parts[1]) else {
                let known = SignatureAlgorithm.allCases.map(\.wireName).joined(separator: ", ")
                throw ValidationError("Unknown signature algorithm '\(parts[1])' for \(id); use one of \(known).")
            }
            return .init(id: id, signingAlgorithm: algorithm)
        }
    }

    static func list(_ pki: DevelopmentPKI, _ agencies: [DevelopmentPKI.Agency], _ operators: [String], _ auditors: [String]) {
        for agency in agencies {
            print("  agency \(agency.id.padding(toLength: 10, withPad: " ", startingAt: 0)) \(pki.agencyCertificate(agency.id).path) (signs with \(agency.signingAlgorithm.wireName), public key \(pki.agencySigningPublicKey(agency.id).path))")
        }
        for name in operators { print("  operator \(name)  \(pki.operatorCertificate(name).path)") }
        for name in auditors { print("  auditor \(name)  \(pki.auditorCertificate(name).path)") }
    }
}
