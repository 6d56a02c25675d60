import Agencies
import Audit
import Broker
import Delivery
import Demo
import Eventually
import Foundation
import Logging
import Signing
import Testing

/// Operators suspending agencies, rotating and revoking keys and changing grants with `rabt`,
/// and the effect on the very next exchange.
@Suite(.serialized)
struct LifecycleCommandTests {
    /// A broker of its own, since these commands refuse agencies other tests rely on.
    struct Node {
        let exchange: LocalExchange
        let folder: URL
        let environment: [String: String]

        static func with(
            providerRoutes: [ProviderRoute] = JusticeMinistry.routes(), otherServers: [String: [ProviderRoute]] = [:],
            configure: (inout BrokerConfiguration) -> Void = { _ in },
            _ body: (Node) async throws -> Void
        ) async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-lifecycle-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var logger = Logger(label: "rabt.tests")
            logger.logLevel = .critical
            let exchange = try await LocalExchange.start(
                in: folder, providers: otherServers.merging(["moj": providerRoutes]) { $1 }, logger: logger, configure: configure
            )
            let node = Node(exchange: exchange, folder: folder, environment: [
                "RABT_BROKER": exchange.brokerURL, "RABT_CA": exchange.pki.caCertificate.path,
                "RABT_CERT": exchange.pki.operatorCertificate("operator").path, "RABT_KEY": exchange.pki.operatorKey("operator").path,
            ])
            do {
                try await exchange.register(endpoints: ["moj": exchange.providers["moj"]?.baseURL ?? ""], contracts: TestExchange.contracts)
                try await body(node)
            } catch {
                await exchange.stop()
                try? FileManager.default.removeItem(at: folder)
                throw error
            }
            await exchange.stop()
            try? FileManager.default.removeItem(at: folder)
        }

        /// Publishes v2 of the sample certificate service with `rabt`: v1's text with the version
        /// changed and `replacements` (v1 text → v2 text) applied.
        func publishVersion2(_ replacements: [(String, String)]) async throws {
            let v1 = try String(contentsOf: TestExchange.contracts.appendingPathComponent("moj/criminal-record-certificate.v1.yaml"), encoding: .utf8)
            var text = v1.replacingOccurrences(of: "  version: 1\n", with: "  version: 2\n")
            for (old, new) in replacements {
                try #require(text.contains(old), "v1 has no '\(old)'")
                text = text.replacingOccurrences(of: old, with: new)
            }
            let file = folder.appendingPathComponent("crc.v2.yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let run = try await rabt(["contract", "publish", file.path])
            #expect(run.status == 0, "\(run.standardError)")
        }

        func rabt(_ arguments: [String]) async throws -> RabtExecutable.Run {
            try await RabtExecutable.run(arguments, in: folder.path, environment: environment)
        }

        /// A certificate request from `agency`, signed with `identity` (the development one by default).
        func call(_ agency: String = "mol", identity: ExchangeClient.Identity? = nil) async throws -> ExchangeClient.Answer {
            let id = try identity ?? .development(exchange.pki, agency: agency)
            return try await ExchangeClient(brokerURL: exchange.brokerURL, identity: id, transport: exchange.transport)
                .send("POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest())
        }
    }

    @Test func suspendedAgencyIsRefusedUntilReactivated() async throws {
        try await Node.with { node in
            #expect(try await node.call().status == 201)
            let unconfirmed = try await node.rabt(["agency", "suspend", "mol"])
            #expect(unconfirmed.status == 2)
            #expect(unconfirmed.standardError.contains("--yes"))

            let suspend = try await node.rabt(["agency", "suspend", "mol", "--yes"])
            #expect(suspend.status == 0, "\(suspend.standardError)")
            #expect(suspend.standardOutput.contains("suspended"))
            let refused = try await node.call()
            #expect(refused.status == 403)
            #expect(refused.header("exchange-error") == "agency-suspended")

            let show = try await node.rabt(["agency", "show", "mol", "--output", "json"])
            #expect(show.standardOutput.contains("\"status\" : \"suspended\""))
            #expect(try await node.rabt(["agency", "reactivate", "mol"]).status == 0)
            #expect(try await node.call().status == 201)

            let changes = try await node.exchange.auditEntries().filter { $0.event.kind == .agencyStatusSet }
            #expect(changes.map(\.event.detail) == ["status: active → suspended", "status: suspended → active"])
            #expect(changes.allSatisfy { $0.event.actor == "operator:operator" && $0.event.target == "mol" })
        }
    }

    @Test func rotatedKeyTakesOverAndARevokedKeyIsRefusedOnTheNextRequest() async throws {
        try await Node.with { node in
            let pki = node.exchange.pki
            let newKey = try SigningKey.generate(.ed25519)
            let publicKey = node.folder.appendingPathComponent("mol-2027.pub.pem")
            try newKey.publicKey.pemRepresentation.write(to: publicKey, atomically: true, encoding: .utf8)
            var rotated = try ExchangeClient.Identity.development(pki, agency: "mol")
            rotated.signingKey = newKey
            rotated.keyID = "mol-2027"

            let later = Timestamp.format(Date().addingTimeInterval(3600))
            let rotate = try await node.rabt([
                "key", "rotate", "mol", "mol-signing", "--new-key-id", "mol-2027", "--algorithm", "ed25519",
                "--public-key", publicKey.path, "--old-valid-until", later,
            ])
            #expect(rotate.status == 0, "\(rotate.standardError)")
            // Both keys verify during the overlap.
            #expect(try await node.call().status == 201)
            #expect(try await node.call(identity: rotated).status == 201)
            let list = try await node.rabt(["key", "list", "mol"])
            #expect(list.standardOutput.contains("mol-signing") && list.standardOutput.contains("valid until"))
            let expiring = try await node.rabt(["key", "expiring", "--days", "1"])
            #expect(expiring.standardOutput.contains("mol-signing"))

            let revoke = try await node.rabt(["key", "revoke", "mol", "mol-signing", "--yes"])
            #expect(revoke.status == 0, "\(revoke.standardError)")
            let refused = try await node.call()
            #expect(refused.status == 401)
            #expect(try await node.call(identity: rotated).status == 201)

            let unknown = try await node.rabt(["key", "revoke", "mol", "no-such-key", "--yes"])
            #expect(unknown.status == 1)
            #expect(unknown.standardError.contains("no key 'no-such-key'"))
            let malformed = try await node.rabt([
                "key", "rotate", "mol", "mol-2027", "--new-key-id", "x", "--algorithm", "ed25519",
                "--public-key", pki.caCertificate.path.replacingOccurrences(of: "ca.pem", with: "rabt-audit-body.key"),
                "--old-valid-until", later,
            ])
            #expect(malformed.status == 2, "\(malformed.standardError)")
        }
    }

    @Test func revokedGrantIsRefusedAndAnAddedOneAllowed() async throws {
        try await Node.with { node in
            #expect(try await node.call("spf").header("exchange-error") == "consumer-not-allowed")
            let add = try await node.rabt(["grant", "add", "spf", "moj/criminal-record-certificate/v1"])
            #expect(add.status == 0, "\(add.standardError)")
            #expect(try await node.call("spf").status == 201)

            let list = try await node.rabt(["grant", "list", "--provider", "moj"])
            #expect(list.standardOutput.contains("spf") && list.standardOutput.contains("mol"))

            let revoke = try await node.rabt(["grant", "revoke", "mol", "moj/criminal-record-certificate/v1", "--yes"])
            #expect(revoke.status == 0, "\(revoke.standardError)")
            let refused = try await node.call("mol")
            #expect(refused.status == 403)
            #expect(refused.header("exchange-error") == "consumer-not-allowed")

            let again = try await node.rabt(["grant", "revoke", "mol", "moj/criminal-record-certificate/v1", "--yes"])
            #expect(again.status == 1)
            let badTarget = try await node.rabt(["grant", "add", "spf", "moj/criminal-record-certificate"])
            #expect(badTarget.status == 2)
            let unknownService = try await node.rabt(["grant", "add", "spf", "moj/no-such-service/v1"])
            #expect(unknownService.status == 1)
            #expect(unknownService.standardError.contains("No contract"))
        }
    }

    @Test func auditorCertificateIsRefusedOnTheAdminAPI() async throws {
        try await Node.with { node in
            var environment = node.environment
            environment["RABT_CERT"] = node.exchange.pki.auditorCertificate("auditor").path
            environment["RABT_KEY"] = node.exchange.pki.auditorKey("auditor").path
            let run = try await RabtExecutable.run(["agency", "suspend", "mol", "--yes"], environment: environment)
            #expect(run.status == 1)
            #expect(run.standardError.contains("forbidden") || run.standardError.contains("operators"))
            #expect(try await node.call().status == 201)
        }
    }

    @Test func contextsFromTheConfigFileWithFlagsWinning() async throws {
        try await Node.with { node in
            let config = node.folder.appendingPathComponent("config/rabt.yaml").path
            let pki = node.exchange.pki
            let set = try await RabtExecutable.run([
                "config", "set-context", "ops", "--config", config, "--broker", node.exchange.brokerURL,
                "--ca", pki.caCertificate.path, "--cert", pki.operatorCertificate("operator").path,
                "--key", pki.operatorKey("operator").path,
            ])
            #expect(set.status == 0, "\(set.standardError)")
            #expect(set.standardOutput.contains("(current)"))

            // No flags, no RABT_* variables: the current context is used.
            let list = try await RabtExecutable.run(["agency", "list", "--config", config])
            #expect(list.status == 0, "\(list.standardError)")
            #expect(list.standardOutput.contains("mol"))
            // A flag wins over the context.
            let elsewhere = try await RabtExecutable.run(["agency", "list", "--config", config, "--broker", "https://127.0.0.1:\(try Loopback.unusedPort())"])
            #expect(elsewhere.status == 3)
            let missing = try await RabtExecutable.run(["agency", "list", "--config", config, "--context", "nope"])
            #expect(missing.status == 2)
            #expect(missing.standardError.contains("No context 'nope'"))
            let contexts = try await RabtExecutable.run(["config", "list", "--config", config])
            #expect(contexts.standardOutput.contains("*        ops"))
        }
    }

    @Test func maintenanceRefusesNewExchangesAndTurnsReadinessFalse() async throws {
        try await Node.with { node in
            let ready = OutboundRequest(method: "GET", url: node.exchange.brokerURL + "/health/ready", tls: TLSSettings(
                caFile: node.exchange.pki.caCertificate.path, clientCertificateFile: node.exchange.pki.agencyCertificate("mol").path,
                clientKeyFile: node.exchange.pki.agencyKey("mol").path))
            #expect(try await node.exchange.transport.send(ready).status == 200)

            let on = try await node.rabt(["maintenance", "on", "--reason", "upgrade", "--retry-after", "120", "--yes"])
            #expect(on.status == 0, "\(on.standardError)")
            #expect(on.standardOutput.contains("Maintenance on"))
            #expect(try await node.exchange.transport.send(ready).status == 503)
            let refused = try await node.call()
            #expect(refused.status == 503)
            #expect(refused.header("exchange-error") == "maintenance")
            #expect(refused.header("retry-after") == "120")

            let status = try await node.rabt(["maintenance", "status", "--output", "json"])
            #expect(status.standardOutput.contains("\"enabled\" : true"))
            #expect(status.standardOutput.contains("\"exchangesInFlight\" : 0"))
            #expect(try await node.rabt(["maintenance", "off"]).status == 0)
            #expect(try await node.exchange.transport.send(ready).status == 200)
            #expect(try await node.call().status == 201)
            let changes = try await node.exchange.auditEntries().filter { $0.event.kind.rawValue == "admin.maintenance.set" }
            #expect(changes.map(\.event.detail) == ["maintenance: off → on (upgrade)", "maintenance: on → off"])
        }
    }

    @Test func exchangesInFlightFinishWhenMaintenanceStarts() async throws {
        try await Node.with { node in
            let moj = try #require(node.exchange.providers["moj"])
            moj.script("POST", "/certificates", .hold)
            async let inFlight = node.call()
            let admin = node.exchange.admin
            // The provider holds the request until maintenance has started.
            #expect(await eventually(within: .seconds(30)) { moj.scriptedHits("POST", "/certificates") > 0 })
            let draining = try await admin.setMaintenance(MaintenanceSetting(enabled: true))
            #expect(draining.exchangesInFlight == 1)
            moj.script("POST", "/certificates", nil)
            let finished = try await inFlight
            #expect(finished.status == 201, "\(finished.header("exchange-error") ?? "") \(String(decoding: finished.body, as: UTF8.self))")
            #expect(try await admin.maintenance().exchangesInFlight == 0)
            #expect(try await node.call().header("exchange-error") == "maintenance")
        }
    }

    @Test func endpointTestSaysWhatFails() async throws {
        try await Node.with { node in
            let ok = try await node.rabt(["endpoint", "test", "moj"])
            #expect(ok.status == 0, "\(ok.standardError)")
            #expect(ok.standardOutput.contains("TLS handshake with Rabt's client certificate succeeded"))

            let closed = "https://127.0.0.1:\(try Loopback.unusedPort())"
            _ = try await node.exchange.admin.setEndpoint(provider: "spf", EndpointSetting(urls: [closed]))
            let refused = try await node.rabt(["endpoint", "test", "spf"])
            #expect(refused.status == 1)
            #expect(refused.standardOutput.contains("FAIL \(closed)"))
            #expect(refused.standardOutput.contains("Nothing accepts connections"))

            let none = try await node.rabt(["endpoint", "test", "mol"])
            #expect(none.status == 1)
            #expect(none.standardError.contains("has no endpoint"))
        }
    }
}
