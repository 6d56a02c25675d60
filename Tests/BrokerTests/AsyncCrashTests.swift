import Agencies
import FieldLines
import HTTPTypes
import Audit
import Broker
import Delivery
import Demo
import Eventually
import Foundation
import PostgresTestSupport
import Store
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An asynchronous request with an `Idempotency-Key` is delivered once however the broker dies:
/// a `rabt serve` process is SIGKILLed at each step of the request's life (`RABT_TEST_CRASH_AT`,
/// see `TestCrashPoint`), restarted on the same database, and the consumer retries the same
/// request (a fresh signature, the same key and body) until it is answered. On SQLite and on
/// PostgreSQL, each step ends with exactly one message for the key, delivered, processed once by
/// the provider under one exchange id, a retry answered with the first message when it had
/// committed, and an audit log that verifies.
@Suite(.serialized)
struct AsyncCrashTests {
    @Test func aRetriedRequestIsDeliveredOnceWhereverTheSQLiteBrokerDies() async throws {
        let scene = try await FaultScene(name: "async-crash-sqlite")
        defer { scene.remove() }
        for step in Self.steps {
            try await Self.crash(at: step, database: scene.folder.appendingPathComponent("\(step).sqlite").path, scene: scene)
        }
        await scene.server.stop()
    }

    @Test(.enabled(if: PostgresTestServer.isConfigured || PostgresTestServer.isRequired))
    func aRetriedRequestIsDeliveredOnceWhereverThePostgreSQLBrokerDies() async throws {
        let scene = try await FaultScene(name: "async-crash-postgres")
        defer { scene.remove() }
        for step in Self.steps {
            try await PostgresTestServer.withDatabase { database in
                try await Self.crash(at: step, database: database, scene: scene)
            }
        }
        await scene.server.stop()
    }

    /// Every step `TestCrashPoint` knows, in the order a request passes them.
    static let steps = ["before-enqueue", "after-enqueue", "after-claim", "after-provider-answer"]

    /// One request's life in a fresh `database`, with the broker killed at `step`.
    static func crash(at step: String, database: String, scene: FaultScene) async throws {
        try await scene.initialize(database: database)
        let port = try Loopback.unusedPort()
        let brokerURL = "https://127.0.0.1:\(port)"
        let log = scene.folder.appendingPathComponent("broker-\(step)-\(UUID().uuidString).log")
        let admin = AdminClient.operator(of: scene.pki, brokerURL: brokerURL, transport: scene.transport)
        let client = ExchangeClient(brokerURL: brokerURL, identity: try .development(scene.pki, agency: "mol"), transport: scene.transport)
        let key = "mol-crash-\(step)-\(UUID().uuidString)"
        /// The same request every time; the client signs it afresh (a new nonce) on each send.
        func send() async -> ExchangeClient.Answer? {
            try? await client.send(
                "POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest(),
                headers: AsyncExchangeTests.asyncHeaders + HTTPFields([("Idempotency-Key", key)]), timeout: .seconds(10)
            )
        }

        // The node that dies at `step`. At the steps after the commit the worker may claim the
        // message before the 202 is written, so the first answer may be lost with the node.
        let doomed = try BrokerProcess(
            pki: scene.pki, database: database, port: port, log: log, environment: ["RABT_TEST_CRASH_AT": step]
        )
        try await admin.waitUntilUp(log: log)
        // An attempt ends when the provider answers, never at a timeout: the provider's count of
        // requests below is then the broker's doing, not the machine's speed.
        try await admin.registerCertificateExchange(pki: scene.pki, providerPort: scene.providerPort, providerTimeout: 60_000)
        let first = await send()
        #expect(await doomed.waitForExit() == SIGKILL, "\(step): the node did not die")
        if step == "before-enqueue" || step == "after-enqueue" {
            #expect(first == nil, "\(step): the node answered \(first?.status ?? 0) before dying")
        }
        let firstId = first?.status == 202 ? first?.header("exchange-id") : nil

        // What the node left behind: nothing, or the message with its key and entry, then claimed.
        let atKill = try await Self.messages(in: database)
        let sentBeforeKill = scene.provider.received.withLock { $0[key] ?? [] }
        switch step {
        case "before-enqueue":
            #expect(atKill.isEmpty, "\(step): \(atKill.map(\.id))")
        case "after-enqueue":
            // Pending, unless the worker claimed it in the instant between the commit and the kill.
            #expect(atKill.count == 1 && [.pending, .delivering].contains(atKill.first?.state), "\(step): \(atKill)")
        case "after-claim":
            #expect(atKill.count == 1 && atKill.first?.state == .delivering && atKill.first?.attempts == 1, "\(step): \(atKill)")
            #expect(sentBeforeKill.isEmpty, "\(step): the provider was reached before the kill")
        default:
            #expect(atKill.count == 1 && atKill.first?.state == .delivering && atKill.first?.attempts == 1, "\(step): \(atKill)")
            #expect(scene.provider.processed.withLock { $0[key] } == 1, "\(step): the provider had not answered before the kill")
        }
        if let firstId { #expect(atKill.map(\.id) == [firstId], "\(step)") }

        // The node again, without the hook; the consumer retries until it is answered.
        let restarted = try BrokerProcess(pki: scene.pki, database: database, port: port, log: log)
        try await admin.waitUntilUp(log: log)
        let retry = await poll(within: .seconds(60)) { await send() }
        let answer = try #require(retry, "\(step): the retry was never answered")
        #expect(answer.status == 202, "\(step): \(answer.status) \(answer.header("exchange-error") ?? "")")
        let id = try #require(answer.header("exchange-id"))
        if let committed = atKill.first {
            // The first request had committed: the retry is its answer again, not a new message.
            #expect(id == committed.id && answer.header("idempotent-replayed") == "?1", "\(step)")
            #expect(answer.header("location") == "/exchange/messages/\(committed.id)")
        } else {
            #expect(answer.header("idempotent-replayed") == nil, "\(step)")
        }

        // Delivered, within a bounded wait (a claim cut short waits for its 2 s lease to lapse).
        var state = ""
        _ = await eventually(within: .seconds(30)) {
            state = (try? await admin.message(id))?.state ?? ""
            return state == "delivered"
        }
        #expect(state == "delivered", "\(step): \(state)")
        // Everything checked below is committed; killing the node spares the graceful drain.
        restarted.kill(SIGKILL)
        #expect(await restarted.waitForExit() == SIGKILL)

        // One message for the key, processed once. The provider sees the key again only where an
        // attempt may have reached it before the kill (the worker had claimed the message), and
        // then under the same exchange id: it answers the repeat from its own idempotency store.
        let store = try await StoreLocation(database).open()
        let messages = try await store.outboxMessages(states: [], provider: nil, limit: 10, after: nil)
        #expect(messages.map(\.id) == [id] && messages.first?.idempotencyKey == key, "\(step): \(messages.map(\.id))")
        let received = scene.provider.received.withLock { $0[key] ?? [] }
        #expect(scene.provider.processed.withLock { $0[key] } == 1, "\(step): processed \(scene.provider.processed.withLock { $0[key] ?? 0 }) times")
        #expect(Set(received) == [id], "\(step): exchange ids \(received)")
        // Every attempt the store counted reached the provider, but a claim the kill cut short
        // before sending. Slow answers on a loaded machine may add attempts (a lease that lapses
        // mid-attempt); they add requests the same, so the count of attempts is the reference.
        let attempts = messages.first?.attempts ?? 0
        switch step {
        case "after-provider-answer":
            #expect(received.count == attempts && attempts >= 2, "\(step): \(received.count) requests, \(attempts) attempts")
        case "after-claim":
            #expect(received.count == attempts - 1, "\(step): \(received.count) requests, \(attempts) attempts")
        case "after-enqueue" where atKill.first?.state == .delivering:
            #expect((attempts - 1...attempts).contains(received.count), "\(step): \(received.count) requests, \(attempts) attempts")
        default:
            #expect(received.count == attempts, "\(step): \(received.count) requests, \(attempts) attempts")
        }
        // The database holds this request's entries only (and the set-up's admin entries).
        let events = try await store.auditEntries(after: nil, limit: 1000).map(\.event)
        let exchangeEvents = events.filter { $0.kind == .requestAccepted || $0.kind == .messageDelivered }
        #expect(exchangeEvents.map(\.kind) == [.requestAccepted, .messageDelivered], "\(step): \(events.map(\.kind))")
        #expect(exchangeEvents.allSatisfy { $0.exchangeId == id }, "\(step)")
        // A replay is audited under the retry's own exchange id, naming the first.
        let replays = events.filter { $0.kind == .requestReplayed }
        #expect(replays.count == (atKill.isEmpty ? 0 : 1), "\(step): \(events.map(\.kind))")
        #expect(replays.allSatisfy { $0.detail == "first exchange: \(id)" && $0.status == 202 }, "\(step)")
        let check = try await store.verifyAuditTree()
        #expect(check.isIntact, "\(step): \(check)")
        try await store.close()
    }

    /// Every outbox message in `database`, read with no node running.
    static func messages(in database: String) async throws -> [OutboxMessage] {
        let store = try await StoreLocation(database).open()
        let messages = try await store.outboxMessages(states: [], provider: nil, limit: 10, after: nil)
        try await store.close()
        return messages
    }
}
