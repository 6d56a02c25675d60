import Broker
import Delivery
import Demo
import Audit
import Foundation
import Signing
import Testing

/// The admin API over mTLS, as the `rabt` CLI calls it.
@Suite(.serialized)
struct AdminTests {
    static func contractText(_ name: String) throws -> String {
        try String(contentsOf: TestExchange.contracts.appendingPathComponent(name), encoding: .utf8)
    }

    /// An admin client that presents an agency's certificate instead of an operator's.
    static func agencyAdmin(_ exchange: LocalExchange) -> AdminClient {
        AdminClient(
            connection: BrokerConnection(
                brokerURL: exchange.brokerURL, caFile: exchange.pki.caCertificate.path,
                certificateFile: exchange.pki.agencyCertificate("mol").path, keyFile: exchange.pki.agencyKey("mol").path
            ),
            transport: exchange.transport
        )
    }

    @Test func agencyCertificateIsRefusedOnTheAdminAPIAndTheRefusalIsAudited() async throws {
        let exchange = try await TestExchange.shared.get()
        let before = try await exchange.auditEntries().count
        await #expect {
            _ = try await Self.agencyAdmin(exchange).addAgency(AgencyRegistration(id: "evil", name: "Evil"))
        } throws: { error in
            (error as? BrokerClientError)?.status == 403 && (error as? BrokerClientError)?.problemType == "forbidden"
        }
        // Other suites write to the same log meanwhile: look for this refusal among the new entries.
        let refusals = try await exchange.auditEntries().dropFirst(before).filter {
            $0.event.kind == .requestRejected && $0.event.actor == "agency:mol" && $0.event.target == "POST /admin/agencies"
        }
        #expect(refusals.count == 1)
    }

    /// A refusal on the admin and audit APIs is on the record once, whether the role gate or the
    /// handler behind it refused: the router's own problem middleware must not record it again.
    @Test func eachRefusalOnTheAdminAndAuditAPIsIsAuditedOnce() async throws {
        let exchange = try await TestExchange.shared.get()
        let before = try await exchange.auditEntries().count
        let unknown = "nobody-\(UUID().uuidString.prefix(8).lowercased())"
        let key = try String(contentsOf: exchange.pki.agencySigningPublicKey("moj"), encoding: .utf8)
        let pki = exchange.pki

        // The gate admits the operator; the handler refuses the key of an unknown agency.
        await #expect {
            _ = try await exchange.admin.addKey(agency: unknown, KeyRegistration(keyId: "k1", algorithm: "ecdsa-p256-sha256", publicKey: key))
        } throws: { error in
            (error as? BrokerClientError)?.status == 404 && (error as? BrokerClientError)?.problemType == "not-found"
        }
        // The gate refuses an agency on the audit API.
        let agencyAuditor = AuditClient(
            connection: BrokerConnection(
                brokerURL: exchange.brokerURL, caFile: pki.caCertificate.path,
                certificateFile: pki.agencyCertificate("mol").path, keyFile: pki.agencyKey("mol").path
            ),
            transport: exchange.transport
        )
        await #expect {
            _ = try await agencyAuditor.bodies(exchangeId: unknown)
        } throws: { error in
            (error as? BrokerClientError)?.status == 403 && (error as? BrokerClientError)?.problemType == "forbidden"
        }
        // The gate refuses an auditor's request with a body: the audit API reads none.
        let withBody = try await exchange.transport.send(OutboundRequest(
            method: "POST", url: exchange.brokerURL + "/audit/checkpoint", body: [0x20],
            tls: TLSSettings(
                caFile: pki.caCertificate.path, clientCertificateFile: pki.auditorCertificate("auditor").path,
                clientKeyFile: pki.auditorKey("auditor").path
            )
        ))
        #expect(withBody.status == 413)

        // Other suites write to the same log meanwhile: look for these refusals among the new entries.
        let rejected = try await exchange.auditEntries().dropFirst(before).filter { $0.event.kind == .requestRejected }
        let byHandler = rejected.filter { $0.event.target == "POST /admin/agencies/\(unknown)/keys" }
        #expect(byHandler.map(\.event.problemType) == ["not-found"])
        #expect(byHandler.first?.event.actor == "operator:operator")
        let byRole = rejected.filter { $0.event.target == "GET /audit/exchanges/\(unknown)/bodies" }
        #expect(byRole.map(\.event.problemType) == ["forbidden"])
        #expect(byRole.first?.event.actor == "agency:mol")
        let byBody = rejected.filter { $0.event.target == "POST /audit/checkpoint" }
        #expect(byBody.map(\.event.problemType) == ["payload-too-large"])
        #expect(byBody.first?.event.actor == "auditor:auditor")
    }

    @Test func adminActionsAreAuditedWithTheOperator() async throws {
        let exchange = try await TestExchange.shared.get()
        let added = try await exchange.admin.addAgency(AgencyRegistration(id: "mof", name: "Ministry of Finance"))
        #expect(added.status == "active")
        let entry = try #require(try await exchange.auditEntries().last { $0.event.target == "mof" })
        #expect(entry.event.kind == .agencyAdded)
        #expect(entry.event.actor == "operator:operator")
        #expect(entry.event.target == "mof")
        let agencies = try await exchange.admin.agencies()
        #expect(agencies.contains { $0.id == "mof" })
    }

    @Test func invalidContractIsRefusedWithLocatedFaults() async throws {
        let exchange = try await TestExchange.shared.get()
        let broken = try Self.contractText("moj/criminal-record-certificate.v1.yaml")
            .replacingOccurrences(of: "version: 1\n", with: "version: 0\n")
            .replacingOccurrences(of: "pattern: '^[0-9]{10}$'", with: "pattern: '^[0-9{10}$'")
        await #expect {
            _ = try await exchange.admin.publishContract(broken, fileName: "broken.yaml")
        } throws: { error in
            guard let error = error as? BrokerClientError else { return false }
            let pointers = error.violations.map(\.pointer)
            return error.status == 422 && error.problemType == "contract-invalid"
                && pointers.contains("/x-exchange/version") && pointers.contains("/components/schemas/NationalId/pattern")
        }
    }

    @Test func publishedVersionIsImmutable() async throws {
        let exchange = try await TestExchange.shared.get()
        let text = try Self.contractText("spf/contribution-record.v1.yaml")
        let again = try await exchange.admin.publishContract(text, fileName: "contribution-record.v1.yaml")
        #expect(again.created == false)
        let changed = text.replacingOccurrences(of: "consumers: [mol]", with: "consumers: [mol, moj]")
        await #expect {
            _ = try await exchange.admin.publishContract(changed, fileName: "contribution-record.v1.yaml")
        } throws: { error in
            (error as? BrokerClientError)?.status == 409
        }
    }

    @Test func badKeysAndEndpointsAreRefusedWithReasons() async throws {
        let exchange = try await TestExchange.shared.get()
        let admin = exchange.admin
        await #expect {
            _ = try await admin.addKey(agency: "mol", KeyRegistration(keyId: "mol-bad", algorithm: "ed25519", publicKey: "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----"))
        } throws: { ($0 as? BrokerClientError)?.problemType == "bad-request" }
        let ecdsaKey = try String(contentsOf: exchange.pki.agencySigningPublicKey("moj"), encoding: .utf8)
        await #expect {
            _ = try await admin.addKey(agency: "mol", KeyRegistration(keyId: "mol-mismatch", algorithm: "ed25519", publicKey: ecdsaKey))
        } throws: { ($0 as? BrokerClientError)?.problemType == "bad-request" }
        await #expect {
            _ = try await admin.addKey(agency: "nobody", KeyRegistration(keyId: "x", algorithm: "ed25519", publicKey: ecdsaKey))
        } throws: { ($0 as? BrokerClientError)?.status == 404 }
        await #expect {
            _ = try await admin.setEndpoint(provider: "moj", EndpointSetting(urls: ["http://plain.example"]))
        } throws: { ($0 as? BrokerClientError)?.problemType == "bad-request" }

        // A certificate with its private key in one file: refused, and the key is never stored or quoted.
        let privateKey = try String(contentsOf: exchange.pki.agencyKey("mol"), encoding: .utf8)
        let bundle = try String(contentsOf: exchange.pki.agencyCertificate("mol"), encoding: .utf8) + privateKey
        await #expect {
            _ = try await admin.addKey(agency: "mol", KeyRegistration(keyId: "mol-bundle", algorithm: "ed25519", publicKey: bundle))
        } throws: { error in
            guard let error = error as? BrokerClientError else { return false }
            return error.problemType == "bad-request" && error.message.contains("private key")
                && !error.message.contains(privateKey.split(separator: "\n")[1])
        }
        #expect(try await admin.keys(agency: "mol").allSatisfy { $0.keyId != "mol-bundle" })
    }
}
