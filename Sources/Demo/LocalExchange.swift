import Agencies
import Audit
import Broker
import Delivery
import Foundation
import Logging
import ServiceLifecycle
import Signing
import Store
import Synchronization

/// A complete exchange on loopback: a development PKI, a broker node over mTLS with its SQLite
/// database, and sample provider agencies serving HTTPS. The demo tells its story on one; the
/// integration tests run against one.
public final class LocalExchange: Sendable {
    /// The sample agencies: ids, names and the signature algorithm each one uses.
    public static let agencies: [(id: String, name: String, algorithm: SignatureAlgorithm)] = [
        ("mol", "Ministry of Labour", .ed25519),
        ("moj", "Ministry of Justice", .ecdsaP256SHA256),
        ("rop", "Royal Police, Traffic Directorate", .rsaPSSSHA512),
        ("spf", "Social Protection Fund", .ed25519),
    ]

    public let directory: URL
    public let pki: DevelopmentPKI
    /// The SQLite file of the exchange, or the PostgreSQL URL its nodes share.
    public let databasePath: String
    /// `https://127.0.0.1:PORT` of the broker (its first node).
    public let brokerURL: String
    /// The running sample providers by agency id.
    public let providers: [String: ProviderServer]
    /// The libcurl transport shared by the admin client and the agency clients.
    public let transport: CurlTransport
    private let configuration: BrokerConfiguration
    private let logger: Logger
    private let nodes: Mutex<[Node]>

    /// One running broker node.
    private struct Node {
        let task: Task<Void, any Error>
        let group: ServiceGroup
    }

    private init(
        directory: URL, pki: DevelopmentPKI, configuration: BrokerConfiguration, logger: Logger, brokerURL: String,
        providers: [String: ProviderServer], transport: CurlTransport, node: Node
    ) {
        self.directory = directory
        self.pki = pki
        self.databasePath = configuration.database
        self.configuration = configuration
        self.logger = logger
        self.brokerURL = brokerURL
        self.providers = providers
        self.transport = transport
        self.nodes = Mutex([node])
    }

    /// Creates the PKI in `directory`, starts the broker and the given providers (by agency id).
    /// `unregisteredAgencies` get certificates and keys from the CA but are never registered.
    public static func start(
        in directory: URL, providers providerRoutes: [String: [ProviderRoute]], unregisteredAgencies: [String] = [],
        logger: Logger,
        configure: (inout BrokerConfiguration) -> Void = { _ in }
    ) async throws -> LocalExchange {
        let pki = try DevelopmentPKI.create(
            in: directory.appendingPathComponent("pki"),
            agencies: agencies.map { DevelopmentPKI.Agency(id: $0.id, signingAlgorithm: $0.algorithm) }
                + unregisteredAgencies.map { DevelopmentPKI.Agency(id: $0) },
            operators: ["operator"], auditors: ["auditor"]
        )
        let databasePath = directory.appendingPathComponent("rabt.sqlite").path
        var configuration = BrokerConfiguration(
            listener: .init(host: "127.0.0.1", port: 0),
            identity: .init(
                caFile: pki.caCertificate.path, certificateFile: pki.rabtCertificate.path,
                privateKeyFile: pki.rabtKey.path, signingKeyFile: pki.rabtSigningKey.path
            ),
            database: databasePath,
            auditLog: .init(
                origin: Self.auditOrigin, signingKeyFile: pki.rabtAuditKey.path, bodyKeyFile: pki.rabtAuditBodyKey.path
            )
        )
        // Everything here runs on loopback, providers included.
        configuration.endpoints.allowPrivate = true
        configure(&configuration)
        // What `rabt init` does: the database and its first operator, before the broker starts.
        _ = try await initializeExchange(
            database: configuration.database, caFile: pki.caCertificate.path,
            operatorCertificatePEM: String(contentsOf: pki.operatorCertificate("operator"), encoding: .utf8), name: nil
        )

        let (node, brokerPort) = try await startNode(configuration, logger: logger)

        var servers: [String: ProviderServer] = [:]
        for (agency, routes) in providerRoutes.sorted(by: { $0.key < $1.key }) {
            let server = ProviderServer(
                name: agency, routes: routes,
                tls: .init(
                    certificateChainFile: pki.agencyServerCertificate(agency).path,
                    privateKeyFile: pki.agencyServerKey(agency).path, clientCAFile: pki.caCertificate.path
                ),
                logger: logger
            )
            _ = try await server.start()
            servers[agency] = server
        }
        let exchange = LocalExchange(
            directory: directory, pki: pki, configuration: configuration, logger: logger,
            brokerURL: "https://127.0.0.1:\(brokerPort)", providers: servers, transport: CurlTransport(logger: logger), node: node
        )
        // The operator registers the auditor, as on a real exchange.
        do {
            _ = try await exchange.admin.addPrincipal(PrincipalRegistration(
                name: nil, role: "auditor", certificate: String(contentsOf: pki.auditorCertificate("auditor"), encoding: .utf8)
            ))
        } catch {
            await exchange.stop()
            throw error
        }
        return exchange
    }

    /// The admin client with the operator's certificate.
    public var admin: AdminClient {
        AdminClient(
            connection: BrokerConnection(
                brokerURL: brokerURL, caFile: pki.caCertificate.path,
                certificateFile: pki.operatorCertificate("operator").path, keyFile: pki.operatorKey("operator").path
            ),
            transport: transport
        )
    }

    /// The audit log's origin (name in its signed tree heads).
    public static let auditOrigin = "rabt.demo/audit"

    /// The audit client with the auditor's certificate.
    public var auditor: AuditClient {
        AuditClient(
            connection: BrokerConnection(
                brokerURL: brokerURL, caFile: pki.caCertificate.path,
                certificateFile: pki.auditorCertificate("auditor").path, keyFile: pki.auditorKey("auditor").path
            ),
            transport: transport
        )
    }

    /// A signing client for `agency` with its development identity.
    public func client(_ agency: String) throws -> ExchangeClient {
        ExchangeClient(brokerURL: brokerURL, identity: try .development(pki, agency: agency), transport: transport)
    }

    /// Starts another broker node on the same store and PKI (a PostgreSQL exchange's second node);
    /// returns its `https://127.0.0.1:PORT`. `stop()` stops it too.
    public func addNode() async throws -> String {
        let (node, port) = try await Self.startNode(configuration, logger: logger)
        nodes.withLock { $0.append(node) }
        return "https://127.0.0.1:\(port)"
    }

    /// Runs a broker node until its group shuts down; returns it once it listens, with its port.
    private static func startNode(_ configuration: BrokerConfiguration, logger: Logger) async throws -> (Node, Int) {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let application = try await buildApplication(configuration: configuration, logger: logger) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let group = ServiceGroup(services: [application], gracefulShutdownSignals: [], logger: logger)
        // Kept and awaited by `stop()`.
        let task = Task { try await group.run() }
        var port = 0
        for await bound in ports { port = bound }
        guard port > 0 else {
            task.cancel()
            throw DemoError("the broker did not start: \(String(describing: await task.result))")
        }
        return (Node(task: task, group: group), port)
    }

    /// Stops providers and broker nodes and waits for them.
    public func stop() async {
        for server in providers.values { await server.stop() }
        let running = nodes.withLock { nodes in
            defer { nodes = [] }
            return nodes
        }
        for node in running { await node.group.triggerGracefulShutdown() }
        for node in running { _ = await node.task.result }
        transport.shutdown()
    }

    /// The audit log as the store holds it, oldest first.
    public func auditEntries() async throws -> [AuditEntry] {
        let store = try await StoreLocation(databasePath).open()
        let entries = try await store.auditEntries(after: nil, limit: 100_000)
        try await store.close()
        return entries
    }
}

/// A failure of the demo's own set-up.
public struct DemoError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
