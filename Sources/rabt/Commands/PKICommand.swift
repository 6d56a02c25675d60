import ArgumentParser
import Foundation
import Signing

/// `rabt pki`: the development PKI.
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Create a development PKI (exchange CA, Rabt, agencies, operators).",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a development PKI into a folder.",
            discussion: """
                Writes the exchange CA, Rabt's TLS certificate and signing key, and for each agency a \
                client certificate, a server certificate for its provider endpoint and a signature key \
                pair. An existing CA in the folder is kept, so certificates issued earlier stay valid. \
                For development and tests only: see certs/README.md for a real deployment.

                Examples:
                  rabt pki create --out certs/dev
                  rabt pki create --out certs/dev --agency mol --agency moj:ecdsa-p256-sha256 --operator alice
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

        func run() async throws {
            let parsed = try agencies.map { text throws(ValidationError) -> DevelopmentPKI.Agency in
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                guard let id = parts.first, !id.isEmpty else { throw ValidationError("Empty agency id in --agency.") }
                guard parts.count == 2 else { return .init(id: id) }
                guard let algorithm = SignatureAlgorithm(wireName: parts[1]) else {
                    let known = SignatureAlgorithm.allCases.map(\.wireName).joined(separator: ", ")
                    throw ValidationError("Unknown signature algorithm '\(parts[1])' for \(id); use one of \(known).")
                }
                return .init(id: id, signingAlgorithm: algorithm)
            }
            let pki = try DevelopmentPKI.create(
                in: URL(fileURLWithPath: out), agencies: parsed, operators: operators, auditors: auditors
            )
            print("Development PKI written to \(pki.directory.path)")
            print("  exchange CA       \(pki.caCertificate.path)")
            print("  Rabt TLS          \(pki.rabtCertificate.path)")
            print("  Rabt signing key  \(pki.rabtSigningKey.path)")
            for agency in parsed {
                print("  agency \(agency.id.padding(toLength: 10, withPad: " ", startingAt: 0)) \(pki.agencyCertificate(agency.id).path) (signs with \(agency.signingAlgorithm.wireName))")
            }
            for name in operators { print("  operator \(name)  \(pki.operatorCertificate(name).path)") }
        }
    }
}
