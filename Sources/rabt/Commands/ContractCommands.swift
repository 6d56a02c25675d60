import ArgumentParser
import Audit
import Broker
import Contracts
import Foundation

/// A contract version on the command line: `provider/service/v2` (or `…/2`).
struct ContractVersionID: ExpressibleByArgument, Sendable {
    let provider: String
    let service: String
    let version: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
              let version = Int(parts[2].hasPrefix("v") ? String(parts[2].dropFirst()) : parts[2]), version > 0
        else { return nil }
        (provider, service, self.version) = (parts[0], parts[1], version)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension ContractCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a published contract version: its state and the document exactly as published.",
            discussion: """
                Examples:
                  rabt contract show moj/criminal-record-certificate/v1
                  rabt contract show moj/criminal-record-certificate/v1 --document-only > crc.v1.yaml
                """
        )
        @Argument(help: "provider/service/vN") var contract: ContractVersionID
        @Flag(name: .customLong("document-only"), help: "Print only the document.") var documentOnly = false
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let detail = try await connection.call { client throws(BrokerClientError) in
                try await client.contract(provider: contract.provider, service: contract.service, version: contract.version)
            }
            if connection.output == .json { return CLIOutput.json(detail) }
            if documentOnly { return print(detail.document, terminator: detail.document.hasSuffix("\n") ? "" : "\n") }
            let view = detail.contract
            print("\(view.provider)/\(view.service) v\(view.version)  published \(Timestamp.format(view.publishedAt))")
            print("digest     \(view.digest)")
            print("consumers  \(view.consumers.joined(separator: ", "))")
            if let sunset = view.sunsetAt {
                print("deprecated \(view.deprecatedAt.map(Timestamp.format) ?? "-"); refused from \(Timestamp.format(sunset))")
            }
            print("operations")
            for operation in view.operations { print("  \(operation)") }
            print("document (\(detail.format))")
            print(detail.document, terminator: detail.document.hasSuffix("\n") ? "" : "\n")
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two published versions of a service: settings, operations, every changed JSON pointer.",
            discussion: """
                Lists what may break consumers written against the older version (an operation or \\
                response removed, a request property newly required, a consumer removed). Exit code 0 \\
                whatever the differences; use --output json and `breaking` in scripts.

                Example:
                  rabt contract diff moj/criminal-record-certificate/v1 moj/criminal-record-certificate/v2
                """
        )
        @Argument(help: "The older version, provider/service/vN.") var from: ContractVersionID
        @Argument(help: "The newer version of the same service.") var to: ContractVersionID
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            guard from.provider == to.provider, from.service == to.service else {
                throw ValidationError("Compare two versions of one service, e.g. moj/crc/v1 moj/crc/v2.")
            }
            let diff = try await connection.call { client throws(BrokerClientError) in
                try await client.diffContracts(provider: from.provider, service: from.service, from: from.version, to: to.version)
            }
            if connection.output == .json { return CLIOutput.json(diff) }
            print(diff.summary)
        }
    }

    struct Deprecate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deprecate a contract version: answers carry Deprecation and Sunset headers, and from the sunset on calls are refused.",
            discussion: """
                Calls without a version go to the newest version whose sunset has not come. Running it \\
                again moves the sunset date.

                Example:
                  rabt contract deprecate moj/criminal-record-certificate/v1 --sunset 2027-06-30 --yes
                """
        )
        @Argument(help: "provider/service/vN") var contract: ContractVersionID
        @Option(help: "From when calls are refused: RFC 3339 time or a date (its UTC midnight).") var sunset: String
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let date = try parseTime(sunset, option: "sunset")
            try confirmation.require(
                "Deprecate \(contract.provider)/\(contract.service)/v\(contract.version)? Calls to it will be refused from \(Timestamp.format(date))."
            )
            let view = try await connection.call { client throws(BrokerClientError) in
                try await client.deprecateContract(provider: contract.provider, service: contract.service, version: contract.version, sunset: date)
            }
            if connection.output == .json { return CLIOutput.json(view) }
            print("\(view.provider)/\(view.service) v\(view.version) is deprecated; calls are refused from \(view.sunsetAt.map(Timestamp.format) ?? "-").")
        }
    }
}
