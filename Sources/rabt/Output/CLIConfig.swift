import ArgumentParser
import Contracts
import Foundation
import JSONSchema

/// The CLI's config file: named contexts, each a broker and the TLS identity to reach it with.
///
/// ```yaml
/// current-context: ops
/// contexts:
///   ops:   {broker: https://rabt.example:8443, ca: ca.pem, cert: alice.pem, key: alice-key.pem}
///   audit: {broker: https://rabt.example:8443, ca: ca.pem, cert: audit.pem, key: audit-key.pem}
/// ```
///
/// Found at `--config`, `RABT_CONFIG`, or `~/.config/rabt/config.yaml`. Relative file names in it
/// are relative to the file's folder.
struct CLIConfig: Equatable {
    struct Context: Equatable, Encodable {
        var broker: String?
        var ca: String?
        var cert: String?
        var key: String?
    }

    var currentContext: String?
    var contexts: [String: Context] = [:]

    /// Where the config file is, by flag, environment or default.
    static func path(flag: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let flag { return flag }
        if let path = environment["RABT_CONFIG"], !path.isEmpty { return path }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + "/.config/rabt/config.yaml"
    }

    /// Reads the file at `path`; an absent file is an empty config.
    static func load(_ path: String) throws -> CLIConfig {
        guard FileManager.default.fileExists(atPath: path) else { return CLIConfig() }
        let value: JSONValue
        do {
            value = try DocumentReader.value(parsing: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as ContractError {
            throw ValidationError("Config file \(path): \(error.issues.map(\.description).joined(separator: "; "))")
        }
        guard let root = value.objectValue else { throw ValidationError("Config file \(path) is not a mapping.") }
        var config = CLIConfig(currentContext: root["current-context"]?.stringValue)
        let folder = (path as NSString).deletingLastPathComponent
        func file(_ value: JSONValue?) -> String? {
            guard let name = value?.stringValue, !name.isEmpty else { return nil }
            return name.hasPrefix("/") ? name : (folder as NSString).appendingPathComponent(name)
        }
        for (name, entry) in root["contexts"]?.objectValue ?? JSONObject() {
            guard let fields = entry.objectValue else { throw ValidationError("Config file \(path): context '\(name)' is not a mapping.") }
            for key in fields.keys where !["broker", "ca", "cert", "key"].contains(key) {
                throw ValidationError("Config file \(path): context '\(name)' has an unknown setting '\(key)' (broker, ca, cert, key).")
            }
            config.contexts[name] = Context(
                broker: fields["broker"]?.stringValue, ca: file(fields["ca"]), cert: file(fields["cert"]), key: file(fields["key"])
            )
        }
        return config
    }

    /// Writes the config as YAML (strings quoted), creating the folder; private to the user.
    func save(_ path: String) throws {
        func quoted(_ text: String) -> String { JSONValue.string(text).serialized() }
        var lines: [String] = []
        if let currentContext { lines.append("current-context: \(quoted(currentContext))") }
        lines.append("contexts:")
        for (name, context) in contexts.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(quoted(name)):")
            for (key, value) in [("broker", context.broker), ("ca", context.ca), ("cert", context.cert), ("key", context.key)] {
                if let value { lines.append("    \(key): \(quoted(value))") }
            }
        }
        // A bare file name lives in the working directory.
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}

/// `rabt config`: named contexts for the operator and auditor commands.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Keep brokers and identities as named contexts, like kubectl.",
        discussion: """
            Settings are taken from flags first, then RABT_* environment variables, then the context \
            (--context, RABT_CONTEXT, or the file's current context).

            Examples:
              rabt config set-context ops --broker https://127.0.0.1:8443 --ca certs/dev/ca.pem \\
                  --cert certs/dev/operators/operator.pem --key certs/dev/operators/operator-key.pem
              rabt config use-context ops
              rabt config list
            """,
        subcommands: [SetContext.self, UseContext.self, List.self]
    )

    struct File: ParsableArguments {
        @Option(help: "Config file (or RABT_CONFIG; default ~/.config/rabt/config.yaml).") var config: String?
        var path: String { CLIConfig.path(flag: config) }
    }

    struct SetContext: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-context", abstract: "Create or change a context; given settings replace the old ones."
        )
        @Argument(help: "Context name.") var name: String
        @Option(help: "Broker URL.") var broker: String?
        @Option(help: "Exchange CA certificate.") var ca: String?
        @Option(help: "Client certificate.") var cert: String?
        @Option(help: "Client key.") var key: String?
        @Flag(help: "Also make it the current context.") var use = false
        @OptionGroup var file: File

        func run() throws {
            var config = try CLIConfig.load(file.path)
            var context = config.contexts[name] ?? CLIConfig.Context()
            // Files are stored absolute, so the context works from any folder.
            func absolute(_ path: String?) -> String? { path.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }
            context.broker = broker ?? context.broker
            context.ca = absolute(ca) ?? context.ca
            context.cert = absolute(cert) ?? context.cert
            context.key = absolute(key) ?? context.key
            config.contexts[name] = context
            if use || config.currentContext == nil { config.currentContext = name }
            try config.save(file.path)
            print("Context \(name) saved in \(file.path)\(config.currentContext == name ? " (current)" : "").")
        }
    }

    struct UseContext: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "use-context", abstract: "Make a context the current one.")
        @Argument(help: "Context name.") var name: String
        @OptionGroup var file: File

        func run() throws {
            var config = try CLIConfig.load(file.path)
            guard config.contexts[name] != nil else {
                throw ValidationError("No context '\(name)' in \(file.path); known: \(config.contexts.keys.sorted().joined(separator: ", ")).")
            }
            config.currentContext = name
            try config.save(file.path)
            print("Current context: \(name).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the contexts.")
        @OptionGroup var file: File

        func run() throws {
            let config = try CLIConfig.load(file.path)
            CLIOutput.table(["CURRENT", "NAME", "BROKER", "CERT"], config.contexts.sorted(by: { $0.key < $1.key }).map { name, context in
                [config.currentContext == name ? "*" : "", name, context.broker ?? "", context.cert ?? ""]
            })
        }
    }
}
