import Agencies
import HTTPTypes
import Delivery
import Demo
import Audit
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
