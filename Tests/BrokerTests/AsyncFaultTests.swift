import Agencies
import Broker
import Delivery
import Demo
import Foundation
import Logging
import Signing
import Store
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The guarantees of asynchronous delivery, with the broker as a real `rabt serve` process:
/// killed with SIGKILL while hundreds of messages are in flight against a provider that fails,
/// hangs and resets at random, restarted, and stopped with SIGTERM. Nothing accepted is lost,
/// nothing is processed twice by a provider that honours the idempotency key, and the audit log
/// verifies.
@Suite(.serialized)
struct AsyncFaultTests {
    /// A `rabt serve` process on a loopback port.
    final class BrokerProcess: Sendable {
        let process: Process
        let log: URL

        init(pki: DevelopmentPKI, database: String, port: Int, log: URL) throws {
            process = Process()
            process.executableURL = RabtExecutable.url
            process.arguments = [
                "serve", "--pki", pki.directory.path, "--database", database, "--port", "\(port)",
                "--delivery-lease", "2", "--delivery-concurrency", "16", "--tree-head-interval", "1",
            ]
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
        func waitForExit(within seconds: Double = 30) async -> Int32? {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            return process.isRunning ? nil : process.terminationStatus
        }
    }

    /// A provider that honours `Idempotency-Key`: the first request with a key is processed,
    /// repeats get the stored answer. Counts how often each key was processed.
    final class IdempotentProvider: Sendable {
        let processed = Mutex<[String: Int]>([:])
        let answers = Mutex<[String: ProviderResponse]>([:])

        func routes() -> [ProviderRoute] {
            let issue = JusticeMinistry.routes().first { $0.method == "POST" && $0.path == "/certificates" }!.handler
            return [ProviderRoute("POST", "/certificates") { [self] request in
                let key = request.headers.first { $0.name.lowercased() == "idempotency-key" }?.value ?? "none"
                if let stored = answers.withLock({ $0[key] }) { return stored }
                let answer = try await issue(request)
                processed.withLock { $0[key, default: 0] += 1 }
                answers.withLock { $0[key] = answer }
                return answer
            }]
        }
    }

    final class Accepted: Sendable {
        let ids = Mutex<[String]>([])
    }

    @Test func killedBrokerLosesNoMessageAndDeliversNoneTwice() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-async-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "rabt.tests")
        logger.logLevel = .critical
        let pki = try DevelopmentPKI.create(
            in: folder.appendingPathComponent("pki"), agencies: [.init(id: "mol"), .init(id: "moj", signingAlgorithm: .ecdsaP256SHA256)],
            operators: ["operator"], auditors: ["auditor"]
        )
        let database = folder.appendingPathComponent("rabt.sqlite").path
        _ = try await initializeExchange(
            database: database, caFile: pki.caCertificate.path,
            operatorCertificatePEM: String(contentsOf: pki.operatorCertificate("operator"), encoding: .utf8), name: nil
        )
        let provider = IdempotentProvider()
        let server = ProviderServer(name: "moj", routes: provider.routes(), tls: .init(pki: pki, agency: "moj"), logger: logger)
        let providerPort = try await server.start()
        let port = try Loopback.unusedPort()
        let brokerURL = "https://127.0.0.1:\(port)"
        let log = folder.appendingPathComponent("broker.log")
        let transport = CurlTransport(logger: logger)
        defer { transport.shutdown() }
        let admin = AdminClient(
            connection: BrokerConnection(
                brokerURL: brokerURL, caFile: pki.caCertificate.path,
                certificateFile: pki.operatorCertificate("operator").path, keyFile: pki.operatorKey("operator").path
            ),
            transport: transport
        )
        func waitUntilUp() async throws {
            for _ in 0..<200 {
                if (try? await admin.agencies()) != nil { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("the broker did not start: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")
        }

        var broker = try BrokerProcess(pki: pki, database: database, port: port, log: log)
        try await waitUntilUp()
        for (id, name, algorithm) in [("mol", "Ministry of Labour", "ed25519"), ("moj", "Ministry of Justice", "ecdsa-p256-sha256")] {
            _ = try await admin.addAgency(AgencyRegistration(id: id, name: name))
            _ = try await admin.addKey(agency: id, KeyRegistration(
                keyId: "\(id)-signing", algorithm: algorithm,
                publicKey: String(contentsOf: pki.agencySigningPublicKey(id), encoding: .utf8)
            ))
        }
        _ = try await admin.setEndpoint(provider: "moj", EndpointSetting(urls: ["https://127.0.0.1:\(providerPort)"], timeoutMilliseconds: 1000))
        let v1 = try String(contentsOf: TestExchange.contracts.appendingPathComponent("moj/criminal-record-certificate.v1.yaml"), encoding: .utf8)
        let contract = v1.replacingOccurrences(of: "async: {retryFor: 24h}", with: "async: {retryFor: 10m, initialBackoff: 200ms, maxBackoff: 1s}")
        _ = try await admin.publishContract(contract, fileName: "crc.yaml")
        server.script("POST", "/certificates", .chaos(failPercent: 20, hangPercent: 10, hang: .milliseconds(1500), resetPercent: 10))

        let client = ExchangeClient(brokerURL: brokerURL, identity: try .development(pki, agency: "mol"), transport: transport)
        let accepted = Accepted()
        /// Sends `count` asynchronous requests, 16 at a time; keeps the ids answered 202.
        func send(_ count: Int, killing target: BrokerProcess? = nil, after killAfter: Int = 0) async {
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    if index >= 16 { await group.next() }
                    if index == killAfter, let target { target.kill(SIGKILL) }
                    group.addTask {
                        let body = ExchangeTests.certificateRequest()
                        guard let answer = try? await client.send(
                            "POST", ExchangeTests.certificatePath, json: body, headers: AsyncExchangeTests.asyncHeaders
                        ), answer.status == 202, let id = answer.header("exchange-id") else { return }
                        accepted.ids.withLock { $0.append(id) }
                    }
                }
            }
        }

        // Hundreds accepted, then SIGKILL while they are being delivered (and more are arriving).
        await send(250)
        #expect(accepted.ids.withLock { $0.count } == 250)
        await send(60, killing: broker, after: 20)
        #expect(await broker.waitForExit() == SIGKILL)
        let beforeRestart = accepted.ids.withLock { $0.count }
        #expect(beforeRestart >= 250)
        // The kill caught messages still waiting and in delivery.
        let killed = try await SQLiteStore(path: database)
        let atKill = try await killed.outboxCounts()
        try await killed.close()
        #expect(atKill[.pending, default: 0] + atKill[.delivering, default: 0] >= 100, "\(atKill)")
        #expect(atKill[.delivered, default: 0] + atKill[.pending, default: 0] + atKill[.delivering, default: 0] >= beforeRestart)

        broker = try BrokerProcess(pki: pki, database: database, port: port, log: log)
        try await waitUntilUp()
        await send(50)
        let ids = accepted.ids.withLock { $0 }

        // Everything accepted is delivered (the horizon is far), within a bounded wait.
        var counts: [String: Int] = [:]
        for _ in 0..<600 {
            counts = try await admin.messages(limit: 1).counts
            if counts["pending", default: 0] + counts["delivering", default: 0] == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(counts["pending"] == 0 && counts["delivering"] == 0, "\(counts)")
        #expect(counts["dead"] == 0, "\(counts)")
        for id in ids {
            let message = try await admin.message(id)
            #expect(message.state == "delivered", "\(id): \(message.state)")
        }
        // Each accepted message was processed by the provider exactly once.
        let processed = provider.processed.withLock { $0 }
        #expect(processed.values.allSatisfy { $0 == 1 })
        #expect(ids.allSatisfy { processed[$0] == 1 })
        let retried = try await admin.messages(states: ["delivered"], limit: 1000).messages.filter { $0.attempts > 1 }.count
        #expect(retried > 0, "the chaos should have forced retries")

        // SIGTERM while deliveries run: the node stops cleanly and leaves nothing claimed.
        server.script("POST", "/certificates", .hang(for: .milliseconds(300)))
        await send(40)
        try await Task.sleep(for: .milliseconds(300))
        broker.kill(SIGTERM)
        #expect(await broker.waitForExit() == 0)
        let store = try await SQLiteStore(path: database)
        let afterStop = try await store.outboxCounts()
        #expect(afterStop[.delivering] == 0, "\(afterStop)")
        let check = try await store.verifyAuditTree()
        #expect(check.isIntact, "\(check)")
        try await store.close()
        await server.stop()
    }
}
