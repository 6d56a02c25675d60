import ArgumentParser
import Broker
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import Signing

/// `rabt serve`: runs one broker node until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a broker node: exchange and admin APIs over TLS with client certificates.",
        discussion: """
            Every option may also come from the environment (RABT_HOST, RABT_PORT, RABT_PUBLIC_NAMES, RABT_DATABASE, \
            RABT_DATABASE_CONNECTIONS, \
            RABT_CA, RABT_CERT, RABT_KEY, RABT_SIGNING_KEY, RABT_AUDIT_KEY, RABT_AUDIT_BODY_KEY, \
            RABT_AUDIT_ORIGIN, RABT_ALLOW_PRIVATE_ENDPOINTS=1). With --pki, the files of a development \
            PKI made by `rabt pki create` are used unless named one by one.

            Endpoint URLs must lead to other systems: loopback and link-local addresses \
            (127.0.0.0/8, ::1, 169.254.0.0/16, fe80::/10) are refused when an endpoint is set \
            and when Rabt connects, unless --allow-private-endpoints is given — for development \
            and the demo, where providers run on the same machine. The node's own address and \
            port are always refused.

            A new database has no operator: register the first one with `rabt init` before \
            serving, or nobody can use the admin API.

            Examples:
              rabt pki create --out certs/dev
              rabt init --pki certs/dev --database rabt.sqlite
              rabt serve --pki certs/dev --database rabt.sqlite --port 8443
              rabt serve --pki certs/dev --allow-private-endpoints     # providers on 127.0.0.1 (development)
              rabt serve --pki certs/dev --database postgres://rabt:secret@db/rabt
              rabt serve --pki certs/dev --host 0.0.0.0 --public-name rabt.example --public-name rabt.example:8443
              rabt serve --pki certs/dev \\
                  --database 'postgres://rabt:secret@db/rabt?sslmode=verify-full&sslrootcert=db-ca.pem'
              rabt serve --ca ca.pem --cert rabt.pem --key rabt-key.pem --signing-key rabt-signing-key.pem \\
                  --audit-key rabt-audit-key.pem --audit-body-key rabt-audit-body.key
            """
    )

    @Option(help: "Address to listen on.")
    var host: String = ProcessInfo.processInfo.environment["RABT_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = Int(ProcessInfo.processInfo.environment["RABT_PORT"] ?? "") ?? 8443

    @Option(
        name: .customLong("public-name"),
        help: "A name (host or host:port) agencies address this node by and sign for; repeat for several. Default: the certificate's names and the bound address, with the port. RABT_PUBLIC_NAMES takes a comma-separated list."
    )
    var publicNames: [String] = (ProcessInfo.processInfo.environment["RABT_PUBLIC_NAMES"] ?? "")
        .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }

    @Option(help: "SQLite database file (created when missing), or postgres://user:password@host:port/database shared by several nodes (TLS: ?sslmode=verify-full&sslrootcert=CA.pem).")
    var database: String = ProcessInfo.processInfo.environment["RABT_DATABASE"] ?? "rabt.sqlite"

    @Option(name: .customLong("database-connections"), help: "The most pooled connections this node opens to a PostgreSQL database (plus one for the audit sequencer).")
    var databaseConnections: Int = Int(ProcessInfo.processInfo.environment["RABT_DATABASE_CONNECTIONS"] ?? "") ?? 10

    @Option(help: "A development PKI folder made by `rabt pki create`.")
    var pki: String?

    @Option(help: "The exchange CA certificate (PEM).")
    var ca: String?

    @Option(help: "Rabt's certificate (PEM).")
    var cert: String?

    @Option(help: "Rabt's TLS private key (PEM).")
    var key: String?

    @Option(name: .customLong("signing-key"), help: "Rabt's RFC 9421 signing key (PEM) for countersignatures and receipts.")
    var signingKey: String?

    @Option(name: .customLong("audit-key"), help: "Rabt's Ed25519 audit key (PEM) that signs the audit log's tree heads.")
    var auditKey: String?

    @Option(name: .customLong("audit-body-key"), help: "File with the base64 AES-256 key for bodies kept by contracts with audit body: full.")
    var auditBodyKey: String?

    @Option(name: .customLong("audit-origin"), help: "The audit log's name in its signed tree heads.")
    var auditOrigin: String = ProcessInfo.processInfo.environment["RABT_AUDIT_ORIGIN"] ?? "rabt.local/audit"

    @Option(name: .customLong("tree-head-interval"), help: "Seconds between signed tree heads while the log grows.")
    var treeHeadInterval: Int = 60

    @Option(name: .customLong("delivery-concurrency"), help: "Asynchronous messages delivered at once by this node.")
    var deliveryConcurrency: Int = 16

    @Option(name: .customLong("delivery-lease"), help: "Seconds a claimed asynchronous message is this node's; after a crash it is delivered again once this has passed.")
    var deliveryLease: Int = 60

    @Flag(
        name: .customLong("allow-private-endpoints"),
        help: "Allow endpoints on loopback and link-local addresses (development, the demo); also RABT_ALLOW_PRIVATE_ENDPOINTS=1."
    )
    var allowPrivateEndpoints = false

    @OptionGroup(title: "Limits (docs/limits.md)")
    var limits: LimitOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let layout = pki.map { DevelopmentPKI(directory: URL(fileURLWithPath: $0)) }
        func pick(_ flag: String?, _ variable: String, _ fromPKI: (DevelopmentPKI) -> URL, _ what: String) throws -> String {
            if let flag { return flag }
            if let value = environment[variable] { return value }
            if let layout { return fromPKI(layout).path }
            throw ValidationError("Name \(what) with --\(variable.dropFirst(5).lowercased().replacingOccurrences(of: "_", with: "-")), \(variable), or --pki.")
        }
        let identity = BrokerConfiguration.Identity(
            caFile: try pick(ca, "RABT_CA", \.caCertificate, "the exchange CA"),
            certificateFile: try pick(cert, "RABT_CERT", \.rabtCertificate, "Rabt's certificate"),
            privateKeyFile: try pick(key, "RABT_KEY", \.rabtKey, "Rabt's private key"),
            signingKeyFile: try pick(signingKey, "RABT_SIGNING_KEY", \.rabtSigningKey, "Rabt's signing key")
        )
        guard treeHeadInterval > 0 else { throw ValidationError("--tree-head-interval must be at least 1 second.") }
        guard deliveryConcurrency > 0, deliveryLease > 0 else {
            throw ValidationError("--delivery-concurrency and --delivery-lease must be at least 1.")
        }
        guard databaseConnections > 0 else { throw ValidationError("--database-connections must be at least 1.") }
        let bodyKey = auditBodyKey ?? environment["RABT_AUDIT_BODY_KEY"] ?? layout?.rabtAuditBodyKey.path
        var configuration = BrokerConfiguration(
            listener: .init(host: host, port: port, publicNames: publicNames),
            identity: identity,
            database: database,
            auditLog: .init(
                origin: auditOrigin,
                signingKeyFile: try pick(auditKey, "RABT_AUDIT_KEY", \.rabtAuditKey, "Rabt's audit key"),
                bodyKeyFile: bodyKey,
                headInterval: .seconds(treeHeadInterval)
            )
        )
        configuration.databaseConnections = databaseConnections
        configuration.asyncDelivery.concurrency = deliveryConcurrency
        configuration.asyncDelivery.lease = .seconds(deliveryLease)
        let allowedByEnvironment = ["1", "true", "yes"].contains(environment["RABT_ALLOW_PRIVATE_ENDPOINTS"]?.lowercased() ?? "")
        configuration.endpoints.allowPrivate = allowPrivateEndpoints || allowedByEnvironment
        limits.apply(to: &configuration)
        var logger = Logger(label: "rabt")
        logger.logLevel = .info
        if configuration.endpoints.allowPrivate {
            logger.warning("endpoints on loopback and link-local addresses are allowed (--allow-private-endpoints): for development only")
        }
        let started = logger
        let host = configuration.listener.host
        let application = try await buildApplication(configuration: configuration, logger: logger) { port in
            started.info("rabt is listening", metadata: ["host": "\(host)", "port": "\(port)"])
        }
        // Runs until SIGTERM or SIGINT, then drains in-flight exchanges and closes the store.
        let group = ServiceGroup(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
