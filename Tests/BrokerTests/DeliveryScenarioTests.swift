import Agencies
import HTTPTypes
import Delivery
import Demo
import Eventually
import Audit
import Broker
import Foundation
import Signing
import Testing

/// Providers that fail, hang and refuse, behind the real broker.
@Suite(.serialized)
struct DeliveryScenarioTests {
    static let violations = "/exchange/rop/traffic-violations/violations/9861034521?from=2026-01-01"

    @Test func providerFailingTwiceIsRetriedAndTheAttemptsAreAudited() async throws {
        let exchange = try await TestExchange.faults.get()
        let rop = try #require(exchange.providers["rop"])
        rop.script("GET", "/violations/{nationalId}", .failTimes(2, status: 503))
        defer { rop.script("GET", "/violations/{nationalId}", nil) }
        let answer = try await exchange.client("mol").send("GET", Self.violations)
        #expect(answer.status == 200)
        let entries = try await exchange.auditEntries().filter { $0.event.exchangeId == answer.header("exchange-id") }
        let delivered = try #require(entries.first { $0.event.kind == .responseDelivered })
        #expect(delivered.event.attempts?.map(\.status) == [503, 503, 200])
    }

    @Test func hangingProviderEndsInProviderTimeoutWithinTheDeadline() async throws {
        let exchange = try await TestExchange.faults.get()
        let rop = try #require(exchange.providers["rop"])
        // The provider holds the request until the test lets it go: only the deadline can end it.
        rop.script("GET", "/violations/{nationalId}", .hold)
        defer { rop.script("GET", "/violations/{nationalId}", nil) }
        let started = ContinuousClock.now
        let answer = try await exchange.client("mol").send("GET", Self.violations)
        #expect(answer.status == 504)
        #expect(answer.header("exchange-error") == "provider-timeout")
        // The contract's deadline is 3 s. A wide bound, so a loaded machine cannot fail it: it
        // only proves the answer did not wait on the provider (the client gives up at 30 s).
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(try await exchange.audit(of: answer.header("exchange-id")) == ["request.accepted", "delivery.failed"])
    }

    @Test func providerThatRefusesConnectionsEndsInProviderUnavailable() async throws {
        let exchange = try await TestExchange.faults.get()
        let answer = try await exchange.client("mol").send(
            "GET", "/exchange/spf/contribution-record/contributors/9861034521/contributions?year=2025"
        )
        #expect(answer.status == 502)
        #expect(answer.header("exchange-error") == "provider-unavailable")
        let entries = try await exchange.auditEntries().filter { $0.event.exchangeId == answer.header("exchange-id") }
        let failed = try #require(entries.first { $0.event.kind == .deliveryFailed })
        #expect(failed.event.problemType == "provider-unavailable")
        #expect((failed.event.attempts?.count ?? 0) == 3)
        #expect(failed.event.attempts?.allSatisfy { $0.error == "connect-failed" } == true)

        // The consumer learns the provider and what failed, nothing of its network.
        let problem = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        let detail = try #require(problem["detail"] as? String)
        #expect(detail == "Provider 'spf' could not be reached; 3 attempt(s): connect-failed, connect-failed, connect-failed.")
        let port = try #require(failed.event.attempts?.first.flatMap { URL(string: $0.url)?.port })
        for hidden in ["127.0.0.1", "\(port)", "Failed to connect", "curl"] {
            #expect(!answer.text.contains(hidden), "the consumer's answer shows '\(hidden)'")
        }
        // The audit entry keeps libcurl's account of each attempt for operators.
        let recorded = try #require(failed.event.detail)
        #expect(recorded.hasPrefix(detail))
        #expect(recorded.contains("attempt 3 connect-failed: Failed to connect to 127.0.0.1 port \(port)"))
    }

    @Test func anAsynchronousMessagesLastErrorShowsNoAddress() async throws {
        let exchange = try await TestExchange.faults.get()
        let accepted = try await exchange.client("mol").send(
            "GET", "/exchange/spf/contribution-record/contributors/9861034521/contributions?year=2025", headers: [.prefer: "respond-async"]
        )
        #expect(accepted.status == 202)
        let id = try #require(accepted.header("exchange-id"))
        let lastError = try await poll(within: .seconds(30), every: .milliseconds(100)) { () async throws -> String? in
            let status = try await exchange.client("mol").send("GET", "/exchange/messages/\(id)")
            let json = try JSONSerialization.jsonObject(with: Data(status.body)) as? [String: Any]
            return json?["lastError"] as? String
        }
        #expect(lastError == "Provider 'spf' could not be reached; 1 attempt(s): connect-failed.")
        let retried = try await exchange.auditEntries().first { $0.event.exchangeId == id && $0.event.kind == .messageRetryScheduled }
        #expect(retried?.event.detail?.contains("Failed to connect to 127.0.0.1") == true)
    }

    @Test func postWithoutIdempotencyKeyIsNotRetried() async throws {
        let exchange = try await TestExchange.faults.get()
        let moj = try #require(exchange.providers["moj"])
        moj.script("POST", "/certificates", .failTimes(1, status: 503))
        defer { moj.script("POST", "/certificates", nil) }
        let answer = try await exchange.client("mol").send(
            "POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest()
        )
        // One attempt only; the bare 503 (no problem body) also breaks the contract's 5XX response.
        #expect(answer.status == 502)
        #expect(answer.header("exchange-error") == "response-invalid")
        let entries = try await exchange.auditEntries().filter { $0.event.exchangeId == answer.header("exchange-id") }
        #expect(entries.first { $0.event.kind == .deliveryFailed }?.event.attempts?.map(\.status) == [503])
    }

    @Test func providerErrorThatFitsTheContractPassesThroughUnchanged() async throws {
        let exchange = try await TestExchange.faults.get()
        let answer = try await exchange.client("mol").send("GET", "/exchange/moj/criminal-record-certificate/certificates/CRC-2026-9999999")
        #expect(answer.status == 404)
        #expect(answer.header("exchange-error") == nil)
        #expect(answer.header("content-type")?.hasPrefix("application/problem+json") == true)
        #expect(answer.text.contains("Unknown certificate"))
        #expect(try await exchange.audit(of: answer.header("exchange-id")) == ["request.accepted", "response.delivered"])
    }

    @Test func postWithIdempotencyKeyIsRetried() async throws {
        let exchange = try await TestExchange.faults.get()
        let moj = try #require(exchange.providers["moj"])
        moj.script("POST", "/certificates", .failTimes(1, status: 503))
        defer { moj.script("POST", "/certificates", nil) }
        let answer = try await exchange.client("mol").send(
            "POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest(),
            headers: [.idempotencyKey: UUID().uuidString]
        )
        #expect(answer.status == 201)
        let entries = try await exchange.auditEntries().filter { $0.event.exchangeId == answer.header("exchange-id") }
        #expect(entries.first { $0.event.kind == .responseDelivered }?.event.attempts?.map(\.status) == [503, 201])
    }

    @Test func responseBreakingTheContractIsRefusedAsResponseInvalid() async throws {
        let exchange = try await TestExchange.faults.get()
        let moj = try #require(exchange.providers["moj"])
        moj.script("GET", "/certificates/{certificateNumber}", .status(200, body: "not json"))
        defer { moj.script("GET", "/certificates/{certificateNumber}", nil) }
        let answer = try await exchange.client("mol").send("GET", "/exchange/moj/criminal-record-certificate/certificates/CRC-2026-0004217")
        #expect(answer.status == 502)
        #expect(answer.header("exchange-error") == "response-invalid")
        #expect(try await exchange.audit(of: answer.header("exchange-id")) == ["request.accepted", "delivery.failed"])
    }
}
