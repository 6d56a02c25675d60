import Agencies
import FieldLines
import HTTPTypes
import Audit
import Broker
import Delivery
import Demo
import Eventually
import Foundation
import Signing
import Store
import Synchronization
import Testing

/// `Prefer: respond-async`, status polling, idempotency keys and dead letters against a live broker.
@Suite(.serialized)
struct AsyncExchangeTests {
    typealias Node = LifecycleCommandTests.Node
    static let asyncHeaders = HTTPFields([("Prefer", "respond-async")])

    static func send(_ node: Node, agency: String = "mol", path: String = ExchangeTests.certificatePath, headers: HTTPFields = [:],
                     body: [UInt8] = ExchangeTests.certificateRequest()) async throws -> ExchangeClient.Answer {
        try await node.exchange.client(agency).send("POST", path, json: body, headers: headers)
    }

    /// The message (a signed GET as `agency`) once `done` holds for its state, polled for at most 60 s.
    static func message(_ node: Node, _ location: String, agency: String = "mol", until done: (String) -> Bool) async throws -> [String: Any] {
        let reached = try await poll(within: .seconds(60), every: .milliseconds(100)) { () async throws -> [String: Any]? in
            let answer = try await node.exchange.client(agency).send("GET", location)
            try #require(answer.status == 200, "\(answer.status) \(answer.text)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
            return done(json["state"] as? String ?? "") ? json : nil
        }
        guard let reached else {
            Issue.record("message \(location) did not reach the expected state")
            return [:]
        }
        return reached
    }

    @Test func anAsyncRequestIsStoredAnsweredWith202DeliveredAndPolled() async throws {
        try await Node.with { node in
            let accepted = try await Self.send(node, headers: Self.asyncHeaders)
            #expect(accepted.status == 202, "\(accepted.text)")
            let id = try #require(accepted.header("exchange-id"))
            let location = try #require(accepted.header("location"))
            #expect(location == "/exchange/messages/\(id)")
            #expect(accepted.header("preference-applied") == "respond-async")
            #expect(accepted.text.contains("\"state\":\"pending\"") || accepted.text.contains("\"state\":\"delivering\"") || accepted.text.contains("\"state\" : \"pending\""))

            let delivered = try await Self.message(node, location) { $0 == "delivered" }
            let response = try #require(delivered["response"] as? [String: Any])
            #expect(response["status"] as? Int == 201)
            #expect((response["body"] as? String)?.contains("certificateNumber") == true)

            // The provider got it once, with the exchange id as its idempotency key.
            let received = try #require(node.exchange.providers["moj"]).receivedRequests.filter { request in
                request.headers.contains { $0.name.canonicalName == "exchange-id" && $0.value == id }
            }
            #expect(received.count == 1)
            #expect(received.first?.headers.contains { $0.name.canonicalName == "idempotency-key" && $0.value == id } == true)

            // Another agency cannot read it.
            let foreign = try await node.exchange.client("rop").send("GET", location)
            #expect(foreign.status == 404)
            #expect(foreign.header("exchange-error") == "message-not-found")

            let kinds = try await node.exchange.auditEntries().filter { $0.event.exchangeId == id }.map(\.event.kind)
            #expect(kinds == [.requestAccepted, .messageDelivered])
        }
    }

    /// The idempotency record of `key` for mol's certificate requests under `version`, as the store keeps it.
    static func idempotencyRecord(_ node: Node, key: String, version: Int) async throws -> IdempotencyRecord? {
        let store = try await StoreLocation(node.exchange.databasePath).open()
        let record = try await store.idempotencyRecord(
            consumer: "mol", scope: "moj/criminal-record-certificate/v\(version) POST /certificates", key: key
        )
        try await store.close()
        return record
    }

    /// How many requests with `key` reached moj.
    static func delivered(_ node: Node, key: String) throws -> Int {
        try #require(node.exchange.providers["moj"]).receivedRequests.filter { request in
            request.headers.contains { $0.name.canonicalName == "idempotency-key" && $0.value == key }
        }.count
    }

    @Test func anIdempotencyKeyGetsTheFirstOutcomeAgain() async throws {
        try await Node.with { node in
            // Under `audit: {body: full}` the first answer is kept sealed, as the audit log keeps it, and given again.
            try await node.publishVersion2([("audit: {body: digest}", "audit: {body: full}")])
            let kept = ExchangeTests.certificatePath.replacingOccurrences(of: "criminal-record-certificate/", with: "criminal-record-certificate.v2/")
            let key = HTTPFields([("Idempotency-Key", "mol-case-118204")])
            let first = try await Self.send(node, path: kept, headers: key)
            #expect(first.status == 201)
            let again = try await Self.send(node, path: kept, headers: key)
            #expect(again.status == 201)
            #expect(again.body == first.body)
            #expect(again.header("exchange-id") == first.header("exchange-id"))
            #expect(again.header("idempotent-replayed") == "?1")
            #expect(try Self.delivered(node, key: "mol-case-118204") == 1)
            let sealed = try #require(try await Self.idempotencyRecord(node, key: "mol-case-118204", version: 2))
            #expect(sealed.bodyForm == .sealed)
            #expect(sealed.body != nil && sealed.body != first.body)

            // Under `audit: {body: digest}` (v1) Rabt keeps the status alone: a repeat is refused,
            // naming the first exchange, and never delivered a second time.
            let digestOnly = ExchangeTests.certificatePath.replacingOccurrences(of: "criminal-record-certificate/", with: "criminal-record-certificate.v1/")
            let digestKey = HTTPFields([("Idempotency-Key", "mol-case-118205")])
            let answered = try await Self.send(node, path: digestOnly, headers: digestKey)
            #expect(answered.status == 201)
            let refused = try await Self.send(node, path: digestOnly, headers: digestKey)
            #expect(refused.status == 409)
            #expect(refused.header("exchange-error") == "idempotency-outcome-not-kept")
            let answeredId = try #require(answered.header("exchange-id"))
            #expect(refused.text.contains(answeredId))
            #expect(refused.text.contains("answered 201"))
            #expect(try Self.delivered(node, key: "mol-case-118205") == 1)
            let withheld = try #require(try await Self.idempotencyRecord(node, key: "mol-case-118205", version: 1))
            #expect(withheld.bodyForm == .withheld && withheld.body == nil && withheld.headers.isEmpty && withheld.status == 201)
            let refusals = try await node.exchange.auditEntries().filter { $0.event.exchangeId == refused.header("exchange-id") }
            #expect(refusals.map(\.event.kind) == [.requestRejected])
            #expect(refusals.first?.event.problemType == "idempotency-outcome-not-kept")

            let other = try await Self.send(node, path: kept, headers: key, body: ExchangeTests.certificateRequest(nationalId: "9751122334"))
            #expect(other.status == 422)
            #expect(other.header("exchange-error") == "idempotency-key-reused")

            // Another consumer's key of the same name is its own.
            #expect(try await Self.send(node, agency: "rop", headers: key).status == 201)

            let asyncKey = Self.asyncHeaders + HTTPFields([("Idempotency-Key", "mol-batch-7")])
            let queued = try await Self.send(node, headers: asyncKey)
            let queuedAgain = try await Self.send(node, headers: asyncKey)
            #expect(queued.status == 202 && queuedAgain.status == 202)
            #expect(queued.header("location") == queuedAgain.header("location"))

            // A repeat while the first is still with the provider (it has claimed the key by then).
            let provider = try #require(node.exchange.providers["moj"])
            provider.script("POST", "/certificates", .hold)
            let slowKey = HTTPFields([("Idempotency-Key", "mol-slow-1")])
            async let slow = Self.send(node, headers: slowKey)
            let held = await eventually(within: .seconds(30)) { provider.scriptedHits("POST", "/certificates") > 0 }
            #expect(held, "the first request did not reach the provider")
            let during = try await Self.send(node, headers: slowKey)
            #expect(during.status == 409)
            #expect(during.header("exchange-error") == "idempotency-in-flight")
            provider.script("POST", "/certificates", nil)
            #expect(try await slow.status == 201)

            let replays = try await node.exchange.auditEntries().filter { $0.event.kind == .requestReplayed }
            #expect(replays.count == 2)
        }
    }

    @Test func aFailingProviderIsRetriedThenDeadLetteredAndOperatorsResendOrDiscard() async throws {
        try await Node.with { node in
            // v2 of the service with a short delivery horizon.
            try await node.publishVersion2([("async: {retryFor: 24h}", "async: {retryFor: 2s, initialBackoff: 200ms, maxBackoff: 400ms}")])
            let provider = try #require(node.exchange.providers["moj"])
            provider.script("POST", "/certificates", .always(503))

            let path = "/exchange/moj/criminal-record-certificate.v2/certificates"
            var ids: [String] = []
            for _ in 0..<2 {
                let accepted = try await Self.send(node, path: path, headers: Self.asyncHeaders)
                #expect(accepted.status == 202)
                ids.append(try #require(accepted.header("exchange-id")))
            }
            for id in ids {
                let dead = try await Self.message(node, "/exchange/messages/\(id)") { $0 == "dead" }
                #expect((dead["attempts"] as? Int ?? 0) >= 2)
                #expect((dead["lastError"] as? String)?.contains("503") == true)
            }
            let kinds = try await node.exchange.auditEntries().filter { $0.event.exchangeId == ids[0] }.map(\.event.kind)
            #expect(kinds.first == .requestAccepted && kinds.last == .messageDeadLettered)
            #expect(kinds.contains(.messageRetryScheduled))

            let list = try await node.rabt(["message", "list", "--state", "dead"])
            #expect(list.status == 0, "\(list.standardError)")
            #expect(ids.allSatisfy { list.standardOutput.contains($0) })
            #expect(try await node.rabt(["message", "resend", ids[0]]).status == 2)

            provider.script("POST", "/certificates", nil)
            #expect(try await node.rabt(["message", "resend", ids[0], "--yes"]).status == 0)
            _ = try await Self.message(node, "/exchange/messages/\(ids[0])") { $0 == "delivered" }
            let discard = try await node.rabt(["message", "discard", ids[1], "--yes", "--output", "json"])
            #expect(discard.standardOutput.contains("\"state\" : \"discarded\""))
            let notDead = try await node.rabt(["message", "resend", ids[0], "--yes"])
            #expect(notDead.status == 1)
            #expect(notDead.standardError.contains("not a dead letter"))

            let admin = try await node.exchange.auditEntries().filter { [.messageResent, .messageDiscarded].contains($0.event.kind) }
            #expect(admin.map(\.event.target) == [ids[0], ids[1]])
            #expect(admin.allSatisfy { $0.event.actor == "operator:operator" && $0.event.before != $0.event.after })
        }
    }

    /// Counts how many requests the provider handles at once. The first requests wait (at most
    /// 10 s) until two are in hand together, so a worker that delivers concurrently is seen to,
    /// whatever the machine's speed; later ones are answered at once.
    final class Gauge: Sendable {
        let state = Mutex<(current: Int, peak: Int, handled: Int)>((0, 0, 0))

        func routes() -> [ProviderRoute] {
            let issue = JusticeMinistry.routes().first { $0.method == "POST" && $0.path == "/certificates" }!.handler
            return [ProviderRoute("POST", "/certificates") { [self] request in
                state.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) }
                defer { state.withLock { $0.current -= 1; $0.handled += 1 } }
                _ = await eventually(within: .seconds(10), every: .milliseconds(5)) { state.withLock { $0.peak >= 2 } }
                return try await issue(request)
            }]
        }
    }

    @Test func aBacklogFromAnOutageDrainsAtTheWorkersPaceWhenTheProviderReturns() async throws {
        let gauge = Gauge()
        try await Node.with(providerRoutes: gauge.routes(), configure: { $0.asyncDelivery.concurrency = 8 }) { node in
            try await node.publishVersion2([("async: {retryFor: 24h}", "async: {retryFor: 10m, initialBackoff: 100ms, maxBackoff: 500ms}")])
            let provider = try #require(node.exchange.providers["moj"])
            provider.script("POST", "/certificates", .always(503))

            let path = "/exchange/moj/criminal-record-certificate.v2/certificates"
            let total = 120
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<total {
                    if index >= 8 { await group.next() }
                    group.addTask { _ = try? await Self.send(node, path: path, headers: Self.asyncHeaders) }
                }
            }
            // The outage: every message is tried and waits for its retry, none is lost.
            let tried = await eventually(within: .seconds(60), every: .milliseconds(100)) {
                Set(provider.receivedRequests.compactMap { $0.header("exchange-id") }).count == total
            }
            #expect(tried, "not every message was tried during the outage")
            let admin = node.exchange.admin
            let during = try await admin.messages(limit: 1).counts
            #expect(during["pending", default: 0] + during["delivering", default: 0] == total, "\(during)")
            #expect(gauge.state.withLock { $0.handled } == 0)

            provider.script("POST", "/certificates", nil)
            _ = try await eventually(within: .seconds(60), every: .milliseconds(100)) {
                try await admin.messages(limit: 1).counts["delivered", default: 0] == total
            }
            #expect(try await admin.messages(limit: 1).counts["delivered"] == total)
            let seen = gauge.state.withLock { $0 }
            #expect(seen.handled == total)
            // No thundering herd: never more at once than the worker's concurrency.
            #expect(seen.peak <= 8, "peak \(seen.peak)")
            #expect(seen.peak >= 2)
        }
    }

    @Test func aCallbackBringsTheOutcomeToTheConsumersEndpointSignedByRabt() async throws {
        let inbox = ProviderRoute("POST", "/rabt-callbacks") { _ in ProviderResponse(status: 204, headers: [:], body: []) }
        try await Node.with(otherServers: ["mol": [inbox]]) { node in
            try await node.publishVersion2([("async: {retryFor: 24h}", "async: {retryFor: 10m, initialBackoff: 100ms, maxBackoff: 500ms, callback: /rabt-callbacks}")])
            let molServer = try #require(node.exchange.providers["mol"])
            #expect(try await node.rabt(["endpoint", "set", "mol", "--url", try #require(molServer.baseURL)]).status == 0)

            let accepted = try await Self.send(node, path: "/exchange/moj/criminal-record-certificate.v2/certificates", headers: Self.asyncHeaders)
            #expect(accepted.status == 202)
            let id = try #require(accepted.header("exchange-id"))
            let callback = await poll(within: .seconds(60), every: .milliseconds(100)) {
                molServer.receivedRequests.first { $0.path == "/rabt-callbacks" }
            }
            let received = try #require(callback)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(received.body)) as? [String: Any])
            #expect(json["exchangeId"] as? String == id)
            #expect(json["state"] as? String == "delivered")
            #expect((json["response"] as? [String: Any])?["status"] as? Int == 201)

            // Signed by Rabt: method, target, exchange id, consumer, idempotency key and body digest.
            let rabtKey = try PEMFiles.verificationKey(at: node.exchange.pki.rabtSigningPublicKey)
            let policy = VerificationPolicy(
                requiresNonce: false, requiresContentDigestForBody: true, fieldsCoveredWhenPresent: [],
                requiredComponents: [.method, .targetURI, .field("exchange-id"), .field("content-digest"), .field("idempotency-key")]
            )
            let fields = received.headers
            let message = SignableMessage.request(try RequestComponents(
                method: "POST", targetURI: try #require(molServer.baseURL) + "/rabt-callbacks", fields: fields
            ))
            let verified = try await SignatureVerifier(policy: policy).verify(message, body: Data(received.body), label: "rabt", now: Date()) { keyID in
                RegisteredKey(keyID: keyID, key: rabtKey)
            }
            #expect(verified.label == "rabt")
            #expect(received.headers.contains { $0.name.canonicalName == "exchange-id" && $0.value == id })

            let admin = node.exchange.admin
            let state = try await poll(within: .seconds(60), every: .milliseconds(100)) {
                let state = try await admin.message(id + ".callback").state
                return state == "delivered" ? state : nil
            }
            #expect(state == "delivered")
            let entries = try await node.exchange.auditEntries().filter { $0.event.exchangeId == id + ".callback" }
            #expect(entries.map(\.event.kind) == [.messageDelivered])
            #expect(entries.first?.event.detail?.contains("callback to mol") == true)
        }
    }
}
