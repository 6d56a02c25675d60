import ArgumentParser
import Broker
import Delivery
import Foundation
import Logging

/// How the CLI reaches the broker's admin and audit APIs: flags, then `RABT_*` environment
/// variables, then the config file's context.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Broker URL (or RABT_BROKER).")
    var broker: String?

    @Option(help: "Exchange CA certificate (or RABT_CA).")
    var ca: String?

    @Option(help: "Your client certificate, operator or auditor (or RABT_CERT).")
    var cert: String?

    @Option(help: "Your client key (or RABT_KEY).")
    var key: String?

    @Option(help: "Context from the config file (or RABT_CONTEXT; default: its current context).")
    var context: String?

    @Option(help: "Config file (or RABT_CONFIG; default ~/.config/rabt/config.yaml).")
    var config: String?

    @Option(help: "Output: table for people, json for scripts.")
    var output: OutputFormat = .table

    /// The connection: each setting from its flag, else its `RABT_*` variable, else the context.
    func connection() throws -> BrokerConnection {
        let environment = ProcessInfo.processInfo.environment
        let path = CLIConfig.path(flag: config)
        let file = try CLIConfig.load(path)
        let name = context ?? environment["RABT_CONTEXT"].flatMap { $0.isEmpty ? nil : $0 } ?? file.currentContext
        var chosen = CLIConfig.Context()
        if let name {
            guard let found = file.contexts[name] else {
                throw ValidationError("No context '\(name)' in \(path); create it with `rabt config set-context \(name) …`.")
            }
            chosen = found
        }
        func value(_ flag: String?, _ variable: String, _ option: String, _ fromContext: String?) throws -> String {
            if let flag { return flag }
            if let fromEnvironment = environment[variable], !fromEnvironment.isEmpty { return fromEnvironment }
            if let fromContext { return fromContext }
            throw ValidationError("Missing --\(option) (or \(variable), or a context: `rabt config set-context`).")
        }
        return BrokerConnection(
            brokerURL: try value(broker, "RABT_BROKER", "broker", chosen.broker),
            caFile: try value(ca, "RABT_CA", "ca", chosen.ca),
            certificateFile: try value(cert, "RABT_CERT", "cert", chosen.cert),
            keyFile: try value(key, "RABT_KEY", "key", chosen.key)
        )
    }

    /// Runs one admin call and maps its failure to the documented exit codes.
    func call<T: Sendable>(_ body: (AdminClient) async throws(BrokerClientError) -> T) async throws -> T {
        try await withTransport { transport, connection throws(BrokerClientError) in
            try await body(AdminClient(connection: connection, transport: transport))
        }
    }

    /// Runs one audit call and maps its failure to the documented exit codes.
    func audit<T: Sendable>(_ body: (AuditClient) async throws(BrokerClientError) -> T) async throws -> T {
        try await withTransport { transport, connection throws(BrokerClientError) in
            try await body(AuditClient(connection: connection, transport: transport))
        }
    }

    private func withTransport<T: Sendable>(
        _ body: (CurlTransport, BrokerConnection) async throws(BrokerClientError) -> T
    ) async throws -> T {
        let connection = try connection()
        let transport = CurlTransport(logger: Logger(label: "rabt.cli"))
        defer { transport.shutdown() }
        do {
            return try await body(transport, connection)
        } catch {
            CLIOutput.fail(error)
        }
    }
}

/// Output format of CLI commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Printing results and failures.
enum CLIOutput {
    static func json(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self))
    }

    /// A table with a header row, columns padded to their widest cell.
    static func table(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
    }

    /// Prints why a call failed and exits: 1 refused or not found, 2 bad input, 3 unreachable, 4 broker failure.
    static func fail(_ error: BrokerClientError) -> Never {
        var lines = ["error: \(error.message)"]
        lines += error.violations.map { "  \($0.pointer.isEmpty ? "(root)" : $0.pointer): \($0.message)" }
        var hint: String?
        switch error.kind {
        case .unreachable:
            hint = "Check --broker, that the broker runs, and that --ca/--cert/--key are the exchange CA and your operator certificate."
        case .refused where error.problemType == "forbidden":
            hint = "The admin API needs a registered operator certificate (OU=operator; `rabt init`, `rabt principal add`), the audit API a registered auditor certificate (OU=auditor)."
        default:
            break
        }
        let code: Int32 =
            switch error.kind {
            case .unreachable: 3
            case .badAnswer: 4
            case .refused where error.problemType == "bad-request" || error.problemType == "contract-invalid": 2
            case .refused: (error.status ?? 0) >= 500 ? 4 : 1
            }
        failure(lines.joined(separator: "\n"), hint: hint, exitCode: code)
    }

    /// Prints `message` (prefixed `error: ` unless it already is) and a hint to standard error, and exits.
    static func failure(_ message: String, hint: String?, exitCode: Int32) -> Never {
        var text = message.hasPrefix("error: ") ? message : "error: " + message
        if let hint { text += "\n" + hint }
        FileHandle.standardError.write(Data((text + "\n").utf8))
        exit(exitCode)
    }
}
