import Agencies
import HTTPTypes
import Broker
import Delivery
import Demo
import Eventually
import Foundation
import Logging
import Signing
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Fixtures of the tests that run the broker as real `rabt serve` processes and kill them.

/// A `rabt serve` process on a loopback port.
final class BrokerProcess: Sendable {
    let process: Process
    let log: URL

    /// Starts `rabt serve` with short leases and head intervals (and `arguments`, and `environment`
    /// over the test's own), logging to `log` (appended); with `--allow-private-endpoints` unless
    /// `allowPrivateEndpoints` is false, since the tests' providers listen on 127.0.0.1.
    init(
        pki: DevelopmentPKI, database: String, port: Int, log: URL, arguments: [String] = [], environment: [String: String] = [:],
        allowPrivateEndpoints: Bool = true
    ) throws {
        process = Process()
        process.executableURL = RabtExecutable.url
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.arguments = [
            "serve", "--pki", pki.directory.path, "--database", database, "--port", "\(port)",
            "--delivery-lease", "2", "--delivery-concurrency", "16", "--tree-head-interval", "1",
        ] + (allowPrivateEndpoints ? ["--allow-private-endpoints"] : []) + arguments
        self.log = log
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    func kill(_ signal: Int32) { _ = Glibc.kill(process.processIdentifier, signal) }

    /// Waits for the process to end (bounded); its exit status.
    func waitForExit(within limit: Duration = .seconds(30)) async -> Int32? {
        await poll(within: limit) { process.isRunning ? nil : process.terminationStatus }
    }
}

/// A provider that honours `Idempotency-Key`: the first request with a key is processed,
/// repeats get its answer, also those that arrive while it is being processed (a retry sent after
/// an attempt timed out can reach the provider together with the attempt it replaces). Counts how
/// often each key was processed, and keeps the `Exchange-Id` of every request that reached it
/// under each key.
final class IdempotentProvider: Sendable {
    let processed = Mutex<[String: Int]>([:])
    let received = Mutex<[String: [String]]>([:])
    /// The processing of each key, which every request with that key awaits.
    private let answers = Mutex<[String: Task<ProviderResponse, any Error>]>([:])

    func routes() -> [ProviderRoute] {
        let issue = JusticeMinistry.routes().first { $0.method == "POST" && $0.path == "/certificates" }!.handler
        return [ProviderRoute("POST", "/certificates") { [self] request in
            let key = request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value ?? "none"
            let exchangeId = request.headers.first { $0.name.canonicalName == "exchange-id" }?.value ?? "none"
            received.withLock { $0[key, default: []].append(exchangeId) }
            let (answer, first) = answers.withLock { answers in
                if let answer = answers[key] { return (answer, false) }
                let answer = Task { try await issue(request) }
                answers[key] = answer
                return (answer, true)
            }
            guard first else { return try await answer.value }
            do {
                let response = try await answer.value
                processed.withLock { $0[key, default: 0] += 1 }
                return response
            } catch {
                // Not processed: a repeat tries again.
                answers.withLock { $0[key] = nil }
                throw error
            }
        }]
    }
}

final class Accepted: Sendable {
    let ids = Mutex<[String]>([])
}

extension AdminClient {
    /// The development PKI's operator talking to a broker node.
    static func `operator`(of pki: DevelopmentPKI, brokerURL: String, transport: CurlTransport) -> AdminClient {
        AdminClient(
            connection: BrokerConnection(
                brokerURL: brokerURL, caFile: pki.caCertificate.path,
                certificateFile: pki.operatorCertificate("operator").path, keyFile: pki.operatorKey("operator").path
            ),
            transport: transport
        )
    }

    /// Waits (at most 60 s) until the node answers the admin API; records the node's log otherwise.
    func waitUntilUp(log: URL) async throws {
        if await eventually(within: .seconds(60), every: .milliseconds(100), { (try? await agencies()) != nil }) { return }
        Issue.record("the broker did not start: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")
    }

    /// Registers mol and moj with their keys, moj's endpoint and the certificate contract with
    /// short asynchronous retries (200 ms doubling to 1 s, for 10 minutes). The endpoint's timeout
    /// is 1 s unless told: short enough for the fault tests' hangs to time out, and too short for
    /// a test that counts attempts on a loaded machine, where an answer can take longer.
    func registerCertificateExchange(pki: DevelopmentPKI, providerPort: Int, providerTimeout milliseconds: Int = 1000) async throws {
        for (id, name, algorithm) in [("mol", "Ministry of Labour", "ed25519"), ("moj", "Ministry of Justice", "ecdsa-p256-sha256")] {
            _ = try await addAgency(AgencyRegistration(id: id, name: name))
            _ = try await addKey(agency: id, KeyRegistration(
                keyId: "\(id)-signing", algorithm: algorithm,
                publicKey: String(contentsOf: pki.agencySigningPublicKey(id), encoding: .utf8)
            ))
        }
        _ = try await setEndpoint(provider: "moj", EndpointSetting(urls: ["https://127.0.0.1:\(providerPort)"], timeoutMilliseconds: milliseconds))
        let v1 = try String(contentsOf: TestExchange.contracts.appendingPathComponent("moj/criminal-record-certificate.v1.yaml"), encoding: .utf8)
        _ = try await publishContract(Self.certificateContract(v1), fileName: "crc.yaml")
    }

    /// The certificate contract with asynchronous retries short enough for a test.
    static func certificateContract(_ document: String) -> String {
        document.replacingOccurrences(of: "async: {retryFor: 24h}", with: "async: {retryFor: 10m, initialBackoff: 200ms, maxBackoff: 1s}")
    }
}

/// What the fault tests start from: a temporary folder with a development PKI (mol, moj, an
/// operator and an auditor), moj's idempotent provider listening on loopback, and a transport.
final class FaultScene: Sendable {
    let folder: URL
    let pki: DevelopmentPKI
    let provider = IdempotentProvider()
    let server: ProviderServer
    let providerPort: Int
    let transport: CurlTransport

    init(name: String) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var logger = Logger(label: "rabt.tests")
        logger.logLevel = .critical
        pki = try DevelopmentPKI.create(
            in: folder.appendingPathComponent("pki"), agencies: [.init(id: "mol"), .init(id: "moj", signingAlgorithm: .ecdsaP256SHA256)],
            operators: ["operator"], auditors: ["auditor"]
        )
        server = ProviderServer(name: "moj", routes: provider.routes(), tls: .init(pki: pki, agency: "moj"), logger: logger)
        providerPort = try await server.start()
        transport = CurlTransport(logger: logger)
    }

    /// Creates the exchange in `database` (a file or a postgres:// URL) with the operator registered.
    func initialize(database: String) async throws {
        _ = try await initializeExchange(
            database: database, caFile: pki.caCertificate.path,
            operatorCertificatePEM: String(contentsOf: pki.operatorCertificate("operator"), encoding: .utf8), name: nil
        )
    }

    /// Stops the transport and deletes the folder (the provider is stopped by the test).
    func remove() {
        transport.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }
}
