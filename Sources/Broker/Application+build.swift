import Audit
import Delivery
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import Signing
import Store

/// Builds a broker node: the store, the audit writer, the libcurl transport and the HTTP server
/// with the exchange, admin and audit APIs, and the tree-head signer. The one composition root of Rabt, used by `rabt serve`,
/// the demo and the tests.
///
/// - Parameter onServerRunning: called with the bound port once the server listens.
public func buildApplication(
    configuration: BrokerConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let identity = configuration.identity
    // The head timer checks the sequencer session every interval; three silent intervals end it.
    let store = try await StoreLocation(configuration.database).open(
        busyTimeout: configuration.databaseBusyTimeout,
        maximumConnections: configuration.databaseConnections,
        sequencerSessionTimeout: max(configuration.auditLog.headInterval * 3, .seconds(10)),
        logger: logger
    )
    let audit = AuditLogWriter(store: store)
    let catalog = ContractCatalog()
    try await catalog.load(from: store, logger: logger)
    if try await !store.principals().contains(where: { $0.role == .operator }) {
        logger.warning("No operator is registered, so nobody can use the admin API; run `rabt init --operator-cert FILE` first.")
    }

    // Every address a delivery connects to is checked first; the admin API checks URLs by the same policy.
    let destinations = DestinationGuard(DestinationPolicy(allowsPrivate: configuration.endpoints.allowPrivate))
    let transport = CurlTransport(
        configuration: .init(maxResponseSize: configuration.exchange.maxResponseBody, destinations: destinations), logger: logger
    )
    let bodies = try AuditBodyKeeper(keyFile: configuration.auditLog.bodyKeyFile)
    let treeHeads = TreeHeadSigner(
        store: store,
        key: try AuditSigningKey(
            name: configuration.auditLog.origin,
            pemRepresentation: String(contentsOfFile: configuration.auditLog.signingKeyFile, encoding: .utf8)
        ),
        origin: configuration.auditLog.origin
    )
    let maintenance = MaintenanceMode()
    // Rabt reaches providers with its own certificate, trusting the exchange CA.
    let providerTLS = TLSSettings(
        caFile: identity.caFile, clientCertificateFile: identity.certificateFile, clientKeyFile: identity.privateKeyFile
    )
    let principals = PrincipalResolver(trustRoots: try PEMFiles.certificates(at: URL(fileURLWithPath: identity.caFile)), store: store)
    let signer = RabtSigner(
        key: try PEMFiles.signingKey(at: URL(fileURLWithPath: identity.signingKeyFile)), keyID: identity.signingKeyId
    )
    let publicNames = PublicNames(configuration.listener.publicNames)
    // Crash tests set RABT_TEST_CRASH_AT in the environment of `rabt serve`; nothing else does.
    let crashes = TestCrashPoint(environment: ProcessInfo.processInfo.environment) { name in
        logger.critical("\(TestCrashPoint.variable) names no step; the node will not crash on purpose", metadata: ["step": "\(name)"])
    }
    let delivery = ProviderDelivery(store: store, forwarder: Forwarder(transport: transport), signer: signer, tls: providerTLS)
    let exchange = ExchangeService(
        principals: principals,
        verifier: RequestVerifier(
            store: store,
            verifier: SignatureVerifier(policy: VerificationPolicy.exchangeRequest.withClockSkew(configuration.exchange.signatureSkew)),
            publicNames: publicNames
        ),
        gate: ContractGate(store: store, catalog: catalog),
        delivery: delivery,
        signer: signer,
        audit: audit,
        bodies: bodies,
        maintenance: maintenance,
        idempotency: IdempotencyGate(store: store, bodies: bodies, logger: logger),
        messages: AsyncMessages(store: store, bodies: bodies, crashes: crashes),
        maxRequestBody: configuration.exchange.maxRequestBody,
        agencyLimit: AgencyExchangeLimit(limit: configuration.exchange.maxExchangesPerAgency)
    )
    let worker = DeliveryWorker(
        store: store, delivery: delivery, catalog: catalog, maintenance: maintenance,
        configuration: .init(
            concurrency: max(1, configuration.asyncDelivery.concurrency), pollInterval: configuration.asyncDelivery.pollInterval,
            lease: configuration.asyncDelivery.lease
        ),
        logger: logger,
        crashes: crashes
    )
    let admin = AdminController(
        store: store, catalog: catalog, audit: audit, maintenance: maintenance,
        prober: EndpointProber(transport: transport, tls: providerTLS),
        gate: RoleGate(role: .operator, principals: principals, audit: audit, maxBody: 4 << 20),
        destinations: destinations, publicNames: publicNames
    )

    let refusals = RefusalRecorder(principals: principals, audit: audit, logger: logger)
    let limits = configuration.connections
    let connections = ConnectionCount()
    let router = Router(context: BrokerRequestContext.self)
    router.add(middleware: ProblemMiddleware(principals: principals, audit: audit))
    // The admin and audit API description, for any client of the exchange CA.
    router.get("/openapi.yaml") { _, _ in
        guard let document = APIDocument.bytes else {
            return Problem(.notFound, "The API description is not installed next to the rabt binary (rabt_Broker.resources).").response()
        }
        return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
    }
    // Liveness, and readiness for load balancers: false in maintenance so the node is drained.
    router.get("/health") { _, _ in "ok" }
    router.get("/health/ready") { _, _ in
        maintenance.current.enabled
            ? Response(status: .serviceUnavailable, headers: [.retryAfter: "\(maintenance.current.retryAfterSeconds)"],
                       body: .init(byteBuffer: ByteBuffer(string: "maintenance")))
            : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready")))
    }
    for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .head, .options] {
        router.on("/exchange/**", method: method) { request, context in
            await exchange.handle(request, context: context)
        }
    }
    admin.register(on: router)
    AuditController(
        store: store, signer: treeHeads, bodies: bodies, audit: audit,
        gate: RoleGate(role: .auditor, principals: principals, audit: audit, maxBody: 0)
    ).register(on: router)

    return Application(
        router: router,
        server: try .tls(
            .http1(configuration: .init(
                additionalChannelHandlers: [
                    AbsoluteFormGuardInstaller(),
                    ConnectionGuardInstaller(ConnectionGuard(
                        limits: limits, maxBody: configuration.exchange.maxRequestBody, count: connections, logger: logger,
                        refusals: refusals
                    )),
                ],
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes,
                    maxHeaderFieldCount: limits.maxHeaderCount
                )
            )),
            tlsConfiguration: try serverTLS(identity)
        ),
        configuration: .init(
            address: .hostname(configuration.listener.host, port: configuration.listener.port),
            serverName: "rabt"
        ),
        // Shut down in reverse order: refusals are recorded, deliveries in flight finish, then
        // the last tree head is signed, then the store closes.
        services: [
            ResourceCloser(transport: transport, store: store),
            PeriodicService(interval: configuration.auditLog.headInterval, runsOnShutdown: true) {
                await treeHeads.signOnSchedule(logger: logger)
            },
            // Other nodes sharing the store publish and deprecate contracts too.
            PeriodicService(interval: configuration.contractRefreshInterval) {
                await catalog.refresh(from: store, logger: logger)
            },
            worker,
            // Stops first, once what the connection guard refused is on the record.
            refusals,
        ],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? 0
            destinations.listening(on: channel.localAddress?.ipAddress.flatMap { IPAddress($0) }, port: port)
            publicNames.listening(host: configuration.listener.host, port: port, certificateFile: identity.certificateFile)
            // Requests signed for any other name are refused; behind a balancer on another port,
            // name it with --public-name.
            logger.notice("exchange requests are accepted when signed for these names", metadata: [
                "public.names": "\(publicNames.all.joined(separator: ", "))",
            ])
            await onServerRunning(port)
        },
        logger: logger
    )
}

/// TLS for the exchange and admin port: Rabt's certificate, client certificates required and
/// verified against the exchange CA during the handshake.
private func serverTLS(_ identity: BrokerConfiguration.Identity) throws -> TLSConfiguration {
    let chain = try NIOSSLCertificate.fromPEMFile(identity.certificateFile)
    let key = try NIOSSLPrivateKey(file: identity.privateKeyFile, format: .pem)
    var tls = TLSConfiguration.makeServerConfiguration(
        certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)
    )
    tls.certificateVerification = .noHostnameVerification
    tls.trustRoots = .file(identity.caFile)
    tls.minimumTLSVersion = .tlsv12
    return tls
}

/// Closes what the node opened, once the service group shuts down.
private struct ResourceCloser: Service {
    let transport: CurlTransport
    let store: any ExchangeStore

    func run() async throws {
        try? await gracefulShutdown()
        transport.shutdown()
        try? await store.close()
    }
}
