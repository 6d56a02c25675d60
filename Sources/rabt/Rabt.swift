import ArgumentParser
import Foundation

/// The `rabt` command: the broker, its demo, and the operator's and auditor's tools.
@main
struct Rabt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rabt",
        abstract: "Rabt — the inter-agency data exchange broker.",
        discussion: """
            Agencies call each other through Rabt with signed requests; Rabt checks each one \
            against the shared contract, forwards it with retries and keeps a tamper-evident log.

            Start here:
              rabt demo                        the whole story on this machine
              rabt pki create --out certs/dev  a development PKI
              rabt init --pki certs/dev        a database and its first operator
              rabt serve --pki certs/dev       run a broker node

            Operators (admin API, registered operator certificate):
              rabt principal add --role auditor --certificate auditor.pem
              rabt agency add mol --name "Ministry of Labour"
              rabt key add mol --key-id mol-2026 --algorithm ed25519 \\
                  --public-key mol.pub.pem
              rabt endpoint set moj --url https://moj.example:9443
              rabt contract publish contracts/moj/criminal-record-certificate.v1.yaml
              rabt contract deprecate moj/criminal-record-certificate/v1 \\
                  --sunset 2027-06-30 --yes
              rabt grant add spf moj/criminal-record-certificate/v1
              rabt agency suspend mol --yes
              rabt message list --state dead

            Auditors (audit API, registered auditor certificate):
              rabt audit search --consumer mol --provider moj --since 2026-11-25
              rabt audit export --since 2026-11-25 --out day.jsonl
              rabt audit verify day.jsonl --public-key rabt-audit.pub.pem

            Agency integrators:
              rabt call POST moj/criminal-record-certificate/certificates \\
                  --as mol --pki certs/dev --data-file request.json
              rabt schema validate --schema request.schema.json payload.json

            Connection settings come from flags, then RABT_* variables, then the \
            context chosen with `rabt config use-context`. Every command has --help \
            with examples and --output json for scripts.

            Exit codes: 0 ok, 1 refused, invalid or not found, 2 usage error, 3 cannot reach the \
            broker, 4 the broker failed.
            """,
        version: "0.3.0",
        subcommands: [
            ServeCommand.self,
            InitCommand.self,
            DemoCommand.self,
            PKICommand.self,
            PrincipalCommand.self,
            AgencyCommand.self,
            KeyCommand.self,
            EndpointCommand.self,
            ContractCommand.self,
            GrantCommand.self,
            MessageCommand.self,
            MaintenanceCommand.self,
            AuditCommand.self,
            SchemaCommand.self,
            CallCommand.self,
            SampleProviderCommand.self,
            ConfigCommand.self,
        ]
    )

    /// Runs the command; a usage error exits 2 (as documented) instead of ArgumentParser's 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
