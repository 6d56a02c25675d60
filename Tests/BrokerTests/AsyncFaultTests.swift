import Agencies
import Broker
import Delivery
import Demo
import Eventually
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
    @Test func killedBrokerLosesNoMessageAndDeliversNoneTwice() async throws {
        let scene = try await FaultScene(name: "async-fault")
        defer { scene.remove() }
        let (pki, provider, server, transport) = (scene.pki, scene.provider, scene.server, scene.transport)
        let database = scene.folder.appendingPathComponent("rabt.sqlite").path
        try await scene.initialize(database: database)
        let port = try Loopback.unusedPort()
        let brokerURL = "https://127.0.0.1:\(port)"
        let log = scene.folder.appendingPathComponent("broker.log")
        let admin = AdminClient.operator(of: pki, brokerURL: brokerURL, transport: transport)
        func waitUntilUp() async throws { try await admin.waitUntilUp(log: log) }

        var broker = try BrokerProcess(pki: pki, database: database, port: port, log: log)
        try await waitUntilUp()
        try await admin.registerCertificateExchange(pki: pki, providerPort: scene.providerPort)
        let chaos = ProviderFault.chaos(failPercent: 20, hangPercent: 10, hang: .milliseconds(1500), resetPercent: 10)
        server.script("POST", "/certificates", chaos)

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

        // Hundreds accepted and delivered against the chaos; then the provider holds every
        // attempt, so whatever the machine's speed the node is killed (while more requests are
        // arriving) with messages still waiting and in delivery.
        await send(250)
        #expect(accepted.ids.withLock { $0.count } == 250)
        server.script("POST", "/certificates", .hold)
        await send(60, killing: broker, after: 20)
        #expect(await broker.waitForExit() == SIGKILL)
        let beforeRestart = accepted.ids.withLock { $0.count }
        #expect(beforeRestart >= 250)
        let killed = try await SQLiteStore(path: database)
        let atKill = try await killed.outboxCounts()
        try await killed.close()
        #expect(atKill[.pending, default: 0] + atKill[.delivering, default: 0] > 0, "\(atKill)")
        #expect(atKill[.delivered, default: 0] + atKill[.pending, default: 0] + atKill[.delivering, default: 0] >= beforeRestart)

        // The chaos again; the held attempts go on to the provider, which answers a key it has
        // already processed from its own store.
        server.script("POST", "/certificates", chaos)

        broker = try BrokerProcess(pki: pki, database: database, port: port, log: log)
        try await waitUntilUp()
        await send(50)
        let ids = accepted.ids.withLock { $0 }

        // Everything accepted is delivered (the horizon is far), within a bounded wait.
        var counts: [String: Int] = [:]
        _ = try await eventually(within: .seconds(180), every: .milliseconds(200)) {
            counts = try await admin.messages(limit: 1).counts
            return counts["pending", default: 0] + counts["delivering", default: 0] == 0
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

        // SIGTERM while deliveries run (the provider holds them): the node stops cleanly and
        // leaves nothing claimed.
        server.script("POST", "/certificates", .hold)
        await send(40)
        #expect(await eventually(within: .seconds(30)) { server.scriptedHits("POST", "/certificates") > 0 })
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
