import Agencies
import Audit
import Broker
import Delivery
import Foundation
import HTTPTypes
import Signing

/// The exchanges of the demo, each with what Rabt should answer.
struct DemoScenes {
    let exchange: LocalExchange
    let out: DemoPrinter

    static let certificatePath = "/exchange/moj/criminal-record-certificate/certificates"

    static func certificateRequest(nationalId: String = "9861034521", purpose: String? = "work-permit") -> [UInt8] {
        var request: [String: Any] = [
            "applicant": [
                "nationalId": nationalId,
                "fullName": ["first": "Layla", "father": "Omar", "grandfather": "Khalil", "family": "Haddad"],
                "dateOfBirth": "1986-04-17",
            ],
            "caseReference": "MOL-2026-118204",
        ]
        if let purpose { request["purpose"] = purpose }
        return Array((try? JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])) ?? Data())
    }

    func accepted() async throws {
        out.scene("A", "mol asks moj for a non-conviction certificate (valid, signed with ed25519)")
        let answer = try await exchange.client("mol").send("POST", Self.certificatePath, json: Self.certificateRequest())
        out.answer(answer)
        let rabtKey = try PEMFiles.verificationKey(at: exchange.pki.rabtSigningPublicKey)
        let receipt = try await answer.verifyReceipt(rabtKey: rabtKey)
        out.line("    receipt: Signature-Input \(answer.header("signature-input") ?? "")")
        out.line("    receipt verified with Rabt's public key (\(receipt.algorithm.wireName)); it binds status, body digest and exchange id to POST \(answer.request.path)")
        out.expect(answer.status == 201, "201 Created from the provider, with Rabt's signed receipt")
    }

    func invalidPayload() async throws {
        out.scene("B", "mol sends a payload that breaks the contract (bad national id, no purpose)")
        let answer = try await exchange.client("mol").send(
            "POST", Self.certificatePath, json: Self.certificateRequest(nationalId: "98610X4521", purpose: nil)
        )
        out.answer(answer)
        out.expect(answer.status == 422 && answer.header("exchange-error") == "request-invalid", "422 request-invalid naming each JSON pointer and keyword; nothing forwarded")
    }

    func consumerNotAllowed() async throws {
        out.scene("C", "spf asks for a certificate, but the contract grants only mol and rop")
        let answer = try await exchange.client("spf").send("POST", Self.certificatePath, json: Self.certificateRequest())
        out.answer(answer)
        out.expect(answer.status == 403 && answer.header("exchange-error") == "consumer-not-allowed", "403 consumer-not-allowed")
    }

    func tamperedBody() async throws {
        out.scene("D", "mol's request is altered in transit: the body no longer matches what was signed")
        let altered = Self.certificateRequest(nationalId: "9861034599")
        let answer = try await exchange.client("mol").send(
            "POST", Self.certificatePath, json: Self.certificateRequest(), tampering: .replaceBody(altered)
        )
        out.answer(answer)
        out.expect(answer.status == 400 && answer.header("exchange-error") == "digest-mismatch", "400 digest-mismatch")
    }

    func wrongKey() async throws {
        out.scene("E", "someone signs as mol's key mol-signing with a different private key")
        var identity = try ExchangeClient.Identity.development(exchange.pki, agency: "mol")
        identity.signingKey = try SigningKey.generate(.ed25519)
        let impostor = ExchangeClient(brokerURL: exchange.brokerURL, identity: identity, transport: exchange.transport)
        let answer = try await impostor.send("POST", Self.certificatePath, json: Self.certificateRequest())
        out.answer(answer)
        out.expect(answer.status == 401 && answer.header("exchange-error") == "signature-invalid", "401 signature-invalid")
    }

    func retried() async throws {
        out.scene("F", "mol asks rop for traffic violations; rop answers 503 twice, then 200")
        exchange.providers["rop"]?.script("GET", "/violations/{nationalId}", .failTimes(2, status: 503))
        let answer = try await exchange.client("mol").send(
            "GET", "/exchange/rop/traffic-violations/violations/9861034521?from=2026-01-01&status=unpaid"
        )
        exchange.providers["rop"]?.script("GET", "/violations/{nationalId}", nil)
        out.answer(answer)
        let entry = try await exchange.auditEntries().last { $0.event.exchangeId == answer.header("exchange-id") && $0.event.kind == .responseDelivered }
        let attempts = entry?.event.attempts ?? []
        out.line("    audit: \(attempts.map { "\($0.status.map(String.init) ?? $0.error ?? "?") in \($0.durationMs) ms" }.joined(separator: " → "))")
        out.expect(answer.status == 200 && attempts.count == 3, "200 after 3 attempts, each in the audit entry")
    }

    func providerDown() async throws {
        out.scene("G", "mol asks spf for a contribution record, but spf's endpoint is down")
        let answer = try await exchange.client("mol").send(
            "GET", "/exchange/spf/contribution-record/contributors/9861034521/contributions?year=2025"
        )
        out.answer(answer)
        out.expect(answer.status == 502 && answer.header("exchange-error") == "provider-unavailable", "502 provider-unavailable after the contract's retry budget")
    }

    func asynchronous() async throws {
        out.scene("H", "mol sends a certificate request with Prefer: respond-async while moj is briefly down (503 twice)")
        let moj = exchange.providers["moj"]
        moj?.script("POST", "/certificates", .failTimes(2, status: 503))
        defer { moj?.script("POST", "/certificates", nil) }
        let client = try exchange.client("mol")
        let headers: HTTPFields = [.prefer: "respond-async", .idempotencyKey: "MOL-2026-118204-async"]
        let accepted = try await client.send("POST", Self.certificatePath, json: Self.certificateRequest(), headers: headers)
        out.answer(accepted)
        let location = accepted.header("location") ?? ""
        var state = "", attempts = 0, polls = 0
        while polls < 150, state != "delivered", state != "dead" {
            try await Task.sleep(for: .milliseconds(100))
            polls += 1
            let status = try await client.send("GET", location)
            let json = (try? JSONSerialization.jsonObject(with: Data(status.body))) as? [String: Any]
            state = json?["state"] as? String ?? ""
            attempts = json?["attempts"] as? Int ?? 0
        }
        out.line("    polled GET \(location) \(polls) times (signed): \(state) after \(attempts) attempt(s)")
        let again = try await client.send("POST", Self.certificatePath, json: Self.certificateRequest(), headers: headers)
        out.line("    the same request again with the same Idempotency-Key: \(again.status), \(again.header("location") ?? "-")\(again.header("idempotent-replayed") == nil ? "" : " (replayed)")")
        out.expect(
            accepted.status == 202 && state == "delivered" && attempts == 3 && again.header("location") == location,
            "202 at once; delivered on the third attempt once moj recovered; the repeat answered from the first outcome"
        )
    }
}
