import Agencies
import Audit
import Broker
import Delivery
import Demo
import Foundation
import Signing
import Store
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Where an endpoint may lead, against `rabt serve` processes: by default never this host, its
/// link or the node itself — refused when set, through the admin API and `rabt endpoint set`,
/// and when Rabt connects; with `--allow-private-endpoints` loopback too, never the node; and a
/// credential in a URL reaches neither the registry, the audit log nor the node's log.
@Suite(.serialized)
struct EndpointCommandTests {
    /// A `rabt serve` process on a fresh SQLite database of `scene`, mol and moj registered with
    /// their keys, and the certificate contract published; moj has no endpoint yet.
    struct Node {
        let process: BrokerProcess
        let port: Int
        let database: String
        let log: URL
        let admin: AdminClient
        let environment: [String: String]

        static func start(
            _ scene: FaultScene, allowPrivateEndpoints: Bool, environment: [String: String] = [:]
        ) async throws -> Node {
            let database = scene.folder.appendingPathComponent("rabt-\(UUID().uuidString).sqlite").path
            try await scene.initialize(database: database)
            let port = try Loopback.unusedPort()
            let log = scene.folder.appendingPathComponent("broker-\(port).log")
            let process = try BrokerProcess(
                pki: scene.pki, database: database, port: port, log: log, environment: environment,
                allowPrivateEndpoints: allowPrivateEndpoints
            )
            let admin = AdminClient.operator(of: scene.pki, brokerURL: "https://127.0.0.1:\(port)", transport: scene.transport)
            try await admin.waitUntilUp(log: log)
            for (id, name, algorithm) in [("mol", "Ministry of Labour", "ed25519"), ("moj", "Ministry of Justice", "ecdsa-p256-sha256")] {
                _ = try await admin.addAgency(AgencyRegistration(id: id, name: name))
                _ = try await admin.addKey(agency: id, KeyRegistration(
                    keyId: "\(id)-signing", algorithm: algorithm,
                    publicKey: String(contentsOf: scene.pki.agencySigningPublicKey(id), encoding: .utf8)
                ))
            }
            let contract = try String(contentsOf: TestExchange.contracts.appendingPathComponent("moj/criminal-record-certificate.v1.yaml"), encoding: .utf8)
            _ = try await admin.publishContract(contract, fileName: "crc.yaml")
            return Node(process: process, port: port, database: database, log: log, admin: admin, environment: [
                "RABT_BROKER": "https://127.0.0.1:\(port)", "RABT_CA": scene.pki.caCertificate.path,
                "RABT_CERT": scene.pki.operatorCertificate("operator").path, "RABT_KEY": scene.pki.operatorKey("operator").path,
            ])
        }

        func rabt(_ arguments: [String], in scene: FaultScene) async throws -> RabtExecutable.Run {
            try await RabtExecutable.run(arguments, in: scene.folder.path, environment: environment)
        }

        /// The problem type `url` is refused with, or nil when it is accepted.
        func refusal(_ url: String) async -> String? {
            do {
                _ = try await admin.setEndpoint(provider: "moj", EndpointSetting(urls: [url]))
                return nil
            } catch {
                return error.problemType ?? "unexpected: \(error)"
            }
        }

        func stop() async {
            process.kill(SIGTERM)
            _ = await process.waitForExit()
        }
    }

    @Test func byDefaultAnEndpointMustLeadToAnotherSystem() async throws {
        let scene = try await FaultScene(name: "endpoints-default")
        defer { scene.remove() }
        let node = try await Node.start(scene, allowPrivateEndpoints: false)
        let refused = [
            "https://127.0.0.1:\(scene.providerPort)", "https://[::1]:9443", "https://169.254.169.254/latest/meta-data",
            "https://[fe80::1]:9443", "https://localhost:9443", "https://moj.localhost", "https://LOCALHOST.:9443",
            "https://0.0.0.0:9443", "https://[::ffff:127.0.0.1]:9443", "https://[::ffff:169.254.169.254]", "https://224.0.0.1",
            "https://127.0.0.1:\(node.port)",
        ]
        for url in refused {
            #expect(await node.refusal(url) == "endpoint-not-permitted", "\(url)")
        }
        for url in ["https://127.1:9443", "https://2130706433", "https://0x7f.0.0.1", "http://moj.example", "https://moj.example/?a=1"] {
            #expect(await node.refusal(url) == "bad-request", "\(url)")
        }
        // Agencies' own networks and names are where endpoints are.
        for url in ["https://10.20.30.40:9443", "https://[fd00::1]:9443", "https://moj.example:9443/base"] {
            #expect(await node.refusal(url) == nil, "\(url)")
        }

        // The command line says why, names the switch, and exits 1 (refused) or 2 (malformed).
        let metadata = try await node.rabt(["endpoint", "set", "moj", "--url", "https://169.254.169.254"], in: scene)
        #expect(metadata.status == 1)
        #expect(metadata.standardError.contains("link-local address"))
        #expect(metadata.standardError.contains("--allow-private-endpoints"))
        let short = try await node.rabt(["endpoint", "set", "moj", "--url", "https://127.1"], in: scene)
        #expect(short.status == 2)
        #expect(short.standardError.contains("four decimal numbers"))

        // A loopback endpoint stored anyway (by a node that allowed it, or before the check) is
        // refused when Rabt connects — here by name, resolved at connect time — and nothing reaches it.
        let store = try await SQLiteStore(path: node.database)
        try await store.setEndpoint(ProviderEndpoint(providerId: "moj", urls: ["https://localhost:\(scene.providerPort)"]), recording: nil)
        try await store.close()
        let test = try await node.rabt(["endpoint", "test", "moj"], in: scene)
        #expect(test.status == 1)
        #expect(test.standardOutput.contains("a loopback address"), "\(test.standardOutput)")
        let client = ExchangeClient(brokerURL: "https://127.0.0.1:\(node.port)", identity: try .development(scene.pki, agency: "mol"), transport: scene.transport)
        let answer = try await client.send("POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest())
        #expect(answer.status == 502)
        #expect(answer.header("exchange-error") == "provider-unavailable")
        #expect(answer.text.contains("destination-refused") && !answer.text.contains("127.0.0.1"), "\(answer.text)")
        #expect(scene.server.receivedRequests.isEmpty)
        await node.stop()
        await scene.server.stop()
    }

    @Test func allowingPrivateEndpointsAdmitsLoopbackButNeverTheNodeItself() async throws {
        let scene = try await FaultScene(name: "endpoints-private")
        defer { scene.remove() }
        // The environment variable, as compose and scripts set it.
        let node = try await Node.start(scene, allowPrivateEndpoints: false, environment: ["RABT_ALLOW_PRIVATE_ENDPOINTS": "1"])
        #expect(await node.refusal("https://127.0.0.1:\(node.port)") == "endpoint-not-permitted")
        #expect(await node.refusal("https://localhost:\(node.port)") == "endpoint-not-permitted")
        #expect(await node.refusal("https://0.0.0.0:\(scene.providerPort)") == "endpoint-not-permitted")
        #expect(await node.refusal("https://127.0.0.1:\(scene.providerPort)") == nil)
        let test = try await node.rabt(["endpoint", "test", "moj"], in: scene)
        #expect(test.status == 0, "\(test.standardOutput) \(test.standardError)")
        let logged = String(decoding: try Data(contentsOf: node.log), as: UTF8.self)
        #expect(logged.contains("--allow-private-endpoints"))
        await node.stop()
        await scene.server.stop()
    }

    @Test func aCredentialInAnEndpointURLIsRefusedBeforeAnythingRecordsIt() async throws {
        let scene = try await FaultScene(name: "endpoints-credential")
        defer { scene.remove() }
        let node = try await Node.start(scene, allowPrivateEndpoints: true)
        let secret = "S3cr3t-Passw0rd"
        let cli = try await node.rabt(["endpoint", "set", "moj", "--url", "https://rabt:\(secret)@127.0.0.1:\(scene.providerPort)"], in: scene)
        #expect(cli.status == 2)
        #expect(cli.standardError.contains("user information"))
        #expect(!cli.standardError.contains(secret) && !cli.standardOutput.contains(secret))
        for url in ["http://rabt:\(secret)@moj.example", "rabt:\(secret)@moj.example", "https://\(secret)@moj.example/x@y", "https://a%40b:\(secret)@moj.example"] {
            do {
                _ = try await node.admin.setEndpoint(provider: "moj", EndpointSetting(urls: [url]))
                Issue.record("\(url) was accepted")
            } catch {
                #expect(error.problemType == "bad-request", "\(url)")
                #expect(!error.message.contains(secret), "\(error.message)")
            }
        }
        await node.stop()
        // Nowhere at rest: not in the registry or the audit log (the database and its WAL), not in the node's log.
        for path in [node.database, node.database + "-wal", node.log.path] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(path)")
        }
        let store = try await SQLiteStore(path: node.database)
        let rejected = try await store.auditEntries(after: nil, limit: 1000).filter { $0.event.kind == .requestRejected }
        #expect(rejected.count == 5)
        #expect(try await store.endpoint(provider: "moj") == nil)
        try await store.close()
        await scene.server.stop()
    }
}
