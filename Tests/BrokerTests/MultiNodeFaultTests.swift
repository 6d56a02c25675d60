import Agencies
import FieldLines
import HTTPTypes
import Audit
import Broker
import Delivery
import Demo
import Eventually
import Foundation
import PostgresNIO
import PostgresTestSupport
import Signing
import Store
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two `rabt serve` processes sharing one PostgreSQL database, as behind a load balancer: a
/// replay or a repeated idempotency key sent to the other node is caught, a contract published
/// through one node is served by the other at once and a deprecation reaches it, and when the
/// node holding the audit sequencer role is SIGKILLed mid-stream, nothing it accepted is lost or
/// delivered twice, the other node takes over signing tree heads, and the log verifies.
@Suite(.serialized, .enabled(if: PostgresTestServer.isConfigured || PostgresTestServer.isRequired))
struct MultiNodeFaultTests {
    /// Exchange ids answered 201 and 202, by the test's senders.
    final class Outcomes: Sendable {
        let completed = Mutex<[String]>([])
        let accepted = Mutex<[String]>([])
    }

    @Test func twoNodesLoseNothingWhenOneIsKilled() async throws {
        try await PostgresTestServer.withDatabase { database in
            let scene = try await FaultScene(name: "multi-node")
            defer { scene.remove() }
            try await scene.initialize(database: database)
            let pki = scene.pki
            let ports = [try Loopback.unusedPort(), try Loopback.unusedPort()]
            let urls = ports.map { "https://127.0.0.1:\($0)" }
            let logs = ["a", "b"].map { scene.folder.appendingPathComponent("node-\($0).log") }
            let admins = urls.map { AdminClient.operator(of: pki, brokerURL: $0, transport: scene.transport) }
            let clients = try urls.map { ExchangeClient(brokerURL: $0, identity: try .development(pki, agency: "mol"), transport: scene.transport) }
            let observer = try await PostgresStore(url: database)

            // Node A starts first and signs the first heads: it holds the sequencer role.
            // Behind a load balancer, every node answers to the names clients sign for.
            let names = urls.flatMap { ["--public-name", String($0.dropFirst("https://".count))] }
            let nodeA = try BrokerProcess(pki: pki, database: database, port: ports[0], log: logs[0], arguments: names)
            try await admins[0].waitUntilUp(log: logs[0])
            try await admins[0].registerCertificateExchange(pki: pki, providerPort: scene.providerPort)
            #expect(try await Self.eventually { try await observer.latestTreeHead() != nil })
            let nodeB = try BrokerProcess(pki: pki, database: database, port: ports[1], log: logs[1], arguments: names)
            try await admins[1].waitUntilUp(log: logs[1])

            // A request node A admitted is a replay at node B, reached under A's name as a load
            // balancer would (the signature covers the authority).
            var prepared = try clients[0].prepare("POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest())
            #expect(try await clients[0].send(prepared).status == 201)
            prepared.request.connectTo = "127.0.0.1:\(ports[1])"
            let replay = try await clients[1].send(prepared)
            #expect(replay.status == 401)
            #expect(replay.header("exchange-error") == "replay")

            // An idempotency key used at node A is known at node B: the contract keeps no response
            // bodies (`audit: {body: digest}`), so B refuses the repeat naming A's exchange.
            let key = HTTPFields([("Idempotency-Key", "mol-multi-node-1")])
            let first = try await clients[0].send("POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest(), headers: key)
            let again = try await clients[1].send("POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest(), headers: key)
            #expect(first.status == 201 && again.status == 409)
            #expect(again.header("exchange-error") == "idempotency-outcome-not-kept")
            #expect(Self.names(again, first))

            // A version published through node A is served by node B as soon as the publication
            // returns: B looks in the store before refusing a contract it has not compiled. From
            // here on, requests without a version go to v2, with the same settings as v1.
            try await Self.publishVersion2(through: admins[0], thenCall: clients[1])

            // A deprecation made through node A reaches node B's answers (catalogue refresh, every 2 s).
            _ = try await admins[0].deprecateContract(
                provider: "moj", service: "criminal-record-certificate", version: 2, sunset: Date().addingTimeInterval(86_400)
            )
            #expect(try await Self.eventually {
                try await clients[1].send("POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest())
                    .header("deprecation") != nil
            })

            // Traffic to both nodes, half of it asynchronous, against a provider that fails, hangs
            // and resets; node A is killed after 150 requests and the rest go to node B.
            scene.server.script("POST", "/certificates", .chaos(failPercent: 15, hangPercent: 5, hang: .milliseconds(1500), resetPercent: 5))
            let outcomes = Outcomes()
            let killedAt = Mutex<Date?>(nil)
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<300 {
                    if index >= 16 { await group.next() }
                    if index == 150 {
                        nodeA.kill(SIGKILL)
                        killedAt.withLock { $0 = Date() }
                    }
                    let client = index < 150 && index.isMultiple(of: 2) ? clients[0] : clients[1]
                    let async = index % 4 < 2
                    group.addTask {
                        guard let answer = try? await client.send(
                            "POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest(),
                            headers: async ? AsyncExchangeTests.asyncHeaders : [:]
                        ), let id = answer.header("exchange-id") else { return }
                        if answer.status == 202 { outcomes.accepted.withLock { $0.append(id) } }
                        if answer.status == 201 { outcomes.completed.withLock { $0.append(id) } }
                    }
                }
            }
            #expect(await nodeA.waitForExit() == SIGKILL)
            let accepted = outcomes.accepted.withLock { $0 }
            let completed = outcomes.completed.withLock { $0 }
            #expect(accepted.count >= 100, "\(accepted.count) accepted")
            #expect(completed.count >= 50, "\(completed.count) completed")

            // Node B delivers everything accepted, node A's claims included once their leases lapse.
            var counts: [String: Int] = [:]
            _ = try await Eventually.eventually(within: .seconds(180), every: .milliseconds(200)) {
                counts = try await admins[1].messages(limit: 1).counts
                return counts["pending", default: 0] + counts["delivering", default: 0] == 0
            }
            #expect(counts["pending", default: 0] + counts["delivering", default: 0] == 0, "\(counts)")
            #expect(counts["dead", default: 0] == 0, "\(counts)")
            let processed = scene.provider.processed.withLock { $0 }
            #expect(processed.values.allSatisfy { $0 == 1 }, "a request was processed twice")
            for id in accepted {
                #expect(processed[id] == 1, "\(id) processed \(processed[id] ?? 0) times")
                let kinds = try await observer.auditEntries(exchangeId: id).map(\.event.kind)
                #expect(kinds.filter { $0 == .requestAccepted }.count == 1 && kinds.filter { $0 == .messageDelivered }.count == 1, "\(id): \(kinds)")
            }
            for id in completed {
                let kinds = try await observer.auditEntries(exchangeId: id).map(\.event.kind.rawValue)
                #expect(kinds == ["request.accepted", "response.delivered"], "\(id): \(kinds)")
            }

            // Node B took over the sequencer role: it signs a head covering the whole log after the kill.
            let kill = try #require(killedAt.withLock { $0 })
            #expect(try await Self.eventually {
                let size = try await observer.auditCount()
                guard let head = try await observer.latestTreeHead() else { return false }
                return head.size == size && head.timestamp > kill
            })
            nodeB.kill(SIGTERM)
            #expect(await nodeB.waitForExit() == 0)
            let check = try await observer.verifyAuditTree()
            #expect(check.isIntact, "\(check)")
            #expect(check.headsChecked > 1)
            await observer.close()
            await scene.server.stop()
        }
    }

    @Test func aNodeKeepsToItsDatabaseConnections() async throws {
        try await PostgresTestServer.withDatabase { database in
            let scene = try await FaultScene(name: "connections")
            defer { scene.remove() }
            try await scene.initialize(database: database)
            let port = try Loopback.unusedPort()
            let log = scene.folder.appendingPathComponent("node.log")
            let node = try BrokerProcess(pki: scene.pki, database: database, port: port, log: log, arguments: ["--database-connections", "3"])
            let admin = AdminClient.operator(of: scene.pki, brokerURL: "https://127.0.0.1:\(port)", transport: scene.transport)
            try await admin.waitUntilUp(log: log)
            // Every exchange is to succeed, however slowly the provider answers on a loaded machine.
            try await admin.registerCertificateExchange(pki: scene.pki, providerPort: scene.providerPort, providerTimeout: 60_000)
            let client = try ExchangeClient(brokerURL: "https://127.0.0.1:\(port)", identity: try .development(scene.pki, agency: "mol"), transport: scene.transport)

            // 48 exchanges, 16 at a time, while the node's sessions are counted every 20 ms. Only
            // client sessions count: the server's own workers (autovacuum) show up in
            // pg_stat_activity under the database too, whenever the server decides.
            let finished = Mutex(false)
            let sending = Task {
                defer { finished.withLock { $0 = true } }
                return try await withThrowingTaskGroup(of: Int.self) { group in
                    var statuses: [Int] = []
                    for index in 0..<48 {
                        if index >= 16, let status = try await group.next() { statuses.append(status) }
                        group.addTask { try await client.send("POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest()).status }
                    }
                    return try await group.reduce(into: statuses) { $0.append($1) }
                }
            }
            var most = 0
            try await PostgresTestServer.withConnection(database) { connection, logger in
                _ = try await Eventually.eventually(within: .seconds(120), every: .milliseconds(20)) {
                    let rows = try await connection.query("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
                        """, logger: logger)
                    for try await count in rows.decode(Int.self) { most = max(most, count) }
                    return finished.withLock { $0 }
                }
            }
            let statuses = try await sending.value
            #expect(statuses.count == 48 && statuses.allSatisfy { $0 == 201 }, "\(statuses)")
            // Three pooled connections and the sequencer session.
            #expect(most >= 2 && most <= 4, "\(most) sessions at most")
            node.kill(SIGTERM)
            #expect(await node.waitForExit() == 0)
            await scene.server.stop()
        }
    }

    /// Publishes v2 of the certificate contract (v1's settings) through one node and calls v2 at
    /// another at once.
    static func publishVersion2(through admin: AdminClient, thenCall client: ExchangeClient) async throws {
        let v1 = try String(contentsOf: TestExchange.contracts.appendingPathComponent("moj/criminal-record-certificate.v1.yaml"), encoding: .utf8)
        let contract = AdminClient.certificateContract(v1).replacingOccurrences(of: "\n  version: 1\n", with: "\n  version: 2\n")
        _ = try await admin.publishContract(contract, fileName: "crc-v2.yaml")
        let path = ExchangeTests.certificatePath.replacingOccurrences(of: "criminal-record-certificate/", with: "criminal-record-certificate.v2/")
        let answer = try await client.send("POST", path, json: ExchangeTests.certificateRequest())
        let error = answer.header("exchange-error") ?? "none"
        #expect(answer.status == 201, "v2 at the other node: \(answer.status), exchange-error \(error)")
    }

    /// Whether `refusal` names the exchange of `first`.
    static func names(_ refusal: ExchangeClient.Answer, _ first: ExchangeClient.Answer) -> Bool {
        guard let id = first.header("exchange-id") else { return false }
        return refusal.text.contains(id)
    }

    /// Whether `condition` holds within 60 s (``Eventually/eventually(within:every:_:)``).
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        try await Eventually.eventually(within: .seconds(60), every: .milliseconds(200), condition)
    }
}
