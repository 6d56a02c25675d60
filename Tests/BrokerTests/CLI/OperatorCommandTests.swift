import Agencies
import Audit
import Demo
import Eventually
import Foundation
import GRDB
import Signing
import Testing

/// Principals, contract lifecycle and per-endpoint TLS with `rabt`, against a live broker, and
/// the README's onboarding walkthrough run as a script.
@Suite(.serialized)
struct OperatorCommandTests {
    typealias Node = LifecycleCommandTests.Node

    @Test func onlyRegisteredOperatorsAdministerAndTheLastOneStays() async throws {
        try await Node.with { node in
            let pki = node.exchange.pki
            let issue = try await node.rabt(["pki", "issue", "--pki", pki.directory.path, "--operator", "bob"])
            #expect(issue.status == 0, "\(issue.standardError)")
            var asBob = node.environment
            asBob["RABT_CERT"] = pki.operatorCertificate("bob").path
            asBob["RABT_KEY"] = pki.operatorKey("bob").path

            // An OU=operator certificate of the exchange CA is not enough on its own.
            let unregistered = try await RabtExecutable.run(["agency", "list"], in: node.folder.path, environment: asBob)
            #expect(unregistered.status == 1)
            #expect(unregistered.standardError.contains("not registered"))

            let mismatch = try await node.rabt(["principal", "add", "--role", "auditor", "--certificate", pki.operatorCertificate("bob").path])
            #expect(mismatch.status == 2)
            #expect(mismatch.standardError.contains("OU=operator"))
            let garbage = node.folder.appendingPathComponent("garbage.pem")
            try "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".write(to: garbage, atomically: true, encoding: .utf8)
            #expect(try await node.rabt(["principal", "add", "--role", "operator", "--certificate", garbage.path]).status == 2)

            let add = try await node.rabt(["principal", "add", "--role", "operator", "--certificate", pki.operatorCertificate("bob").path])
            #expect(add.status == 0, "\(add.standardError)")
            #expect(try await RabtExecutable.run(["agency", "list"], in: node.folder.path, environment: asBob).status == 0)
            let list = try await node.rabt(["principal", "list", "--output", "json"])
            #expect(list.standardOutput.contains("\"name\" : \"bob\"") && list.standardOutput.contains("\"name\" : \"auditor\""))

            // Bob removes the first operator, whose next request is refused; bob himself is the last one.
            #expect(try await RabtExecutable.run(["principal", "remove", "operator", "--yes"], in: node.folder.path, environment: asBob).status == 0)
            #expect(try await node.rabt(["agency", "list"]).status == 1)
            let last = try await RabtExecutable.run(["principal", "remove", "bob", "--yes"], in: node.folder.path, environment: asBob)
            #expect(last.status == 1)
            #expect(last.standardError.contains("last operator"))

            let again = try await node.rabt(["init", "--pki", pki.directory.path, "--database", node.exchange.databasePath])
            #expect(again.status == 1)
            #expect(again.standardError.contains("has an operator already"))

            let entries = try await node.exchange.auditEntries()
            let added = entries.filter { $0.event.kind == .principalAdded }
            #expect(added.map(\.event.actor) == ["system:init", "operator:operator", "operator:operator"])
            #expect(added.allSatisfy { $0.event.before == nil && $0.event.after != nil })
            let removed = try #require(entries.last { $0.event.kind == .principalRemoved })
            #expect(removed.event.actor == "operator:bob" && removed.event.target == "operator")
            #expect(removed.event.before == added[0].event.after && removed.event.after == nil)
            #expect(entries.contains { $0.event.kind == .requestRejected && $0.event.detail?.contains("not registered") == true })
        }
    }

    @Test func aDeprecatedVersionAnnouncesItsSunsetAndIsRefusedAfterIt() async throws {
        try await Node.with { node in
            let show = try await node.rabt(["contract", "show", "moj/criminal-record-certificate/v1", "--output", "json"])
            #expect(show.status == 0, "\(show.standardError)")
            #expect(show.standardOutput.contains("x-exchange"))
            #expect(try await node.rabt(["contract", "show", "moj/criminal-record-certificate/v9"]).status == 1)
            #expect(try await node.rabt(["contract", "show", "moj/criminal-record-certificate"]).status == 2)

            let past = try await node.rabt(["contract", "deprecate", "moj/criminal-record-certificate/v1", "--sunset", "2020-01-01", "--yes"])
            #expect(past.status == 2)
            #expect(past.standardError.contains("has passed"))
            #expect(try await node.rabt(["contract", "deprecate", "moj/criminal-record-certificate/v1", "--sunset", "2099-01-01"]).status == 2)

            let sunset = Date().addingTimeInterval(86_400)
            let deprecate = try await node.rabt(["contract", "deprecate", "moj/criminal-record-certificate/v1", "--sunset", Timestamp.format(sunset), "--yes"])
            #expect(deprecate.status == 0, "\(deprecate.standardError)")
            let warned = try await node.call()
            #expect(warned.status == 201)
            #expect(warned.header("deprecation")?.hasPrefix("@") == true)
            #expect(warned.header("sunset")?.hasSuffix(" GMT") == true)

            // The day passes. Nothing sets a sunset in the past (the API refuses it), so the
            // stored one is moved there by hand, as time would leave it; the node sees the change
            // on its next catalogue refresh and from then on refuses the version.
            try await DatabaseQueue.beside(broker: node.exchange.databasePath).write { db in
                try db.execute(
                    sql: "UPDATE contract SET sunset_at = ? WHERE provider = 'moj' AND service = 'criminal-record-certificate' AND version = 1",
                    arguments: [Int64((Date().timeIntervalSince1970 - 1) * 1000)]
                )
            }
            let refused = try #require(try await poll(within: .seconds(30), every: .milliseconds(200)) {
                let answer = try await node.call()
                return answer.status == 201 ? nil : answer
            })
            #expect(refused.status == 410)
            #expect(refused.header("exchange-error") == "contract-sunset")
            #expect(refused.text.contains("retired"))

            let deprecation = try #require(try await node.exchange.auditEntries().last { $0.event.kind == .contractDeprecated })
            #expect(deprecation.event.target == "moj/criminal-record-certificate/v1")
            #expect(deprecation.event.before != nil && deprecation.event.after != nil && deprecation.event.before != deprecation.event.after)
        }
    }

    @Test func diffNamesWhatWouldBreakConsumers() async throws {
        try await Node.with { node in
            try await node.publishVersion2([("consumers: [mol, rop]", "consumers: [mol]")])

            let json = try await node.rabt(["contract", "diff", "moj/criminal-record-certificate/v1", "moj/criminal-record-certificate/v2", "--output", "json"])
            #expect(json.status == 0, "\(json.standardError)")
            #expect(json.standardOutput.contains("consumer removed: rop"))
            let table = try await node.rabt(["contract", "diff", "moj/criminal-record-certificate/v1", "moj/criminal-record-certificate/v2"])
            #expect(table.standardOutput.contains("- consumers: rop"))
            #expect(try await node.rabt(["contract", "diff", "moj/criminal-record-certificate/v1", "rop/traffic-violations/v1"]).status == 2)
        }
    }

    @Test func endpointTLSSettingsAreCheckedAndUsedForDelivery() async throws {
        try await Node.with { node in
            let url = try #require(node.exchange.providers["moj"]?.baseURL)
            let relative = try await node.rabt(["endpoint", "set", "moj", "--url", url, "--tls-ca", "ca.pem"])
            #expect(relative.status == 2)
            #expect(relative.standardError.contains("absolute path"))
            let lone = try await node.rabt(["endpoint", "set", "moj", "--url", url, "--tls-cert", node.exchange.pki.rabtCertificate.path])
            #expect(lone.status == 2)

            // A CA that did not issue moj's certificate: delivery and the endpoint test fail at TLS.
            let other = node.folder.appendingPathComponent("other-pki")
            #expect(try await node.rabt(["pki", "create", "--out", other.path, "--agency", "x"]).status == 0)
            let foreign = try await node.rabt(["endpoint", "set", "moj", "--url", url, "--tls-ca", other.appendingPathComponent("ca.pem").path])
            #expect(foreign.status == 0, "\(foreign.standardError)")
            #expect(try await node.call().status == 502)
            let test = try await node.rabt(["endpoint", "test", "moj", "--output", "json"])
            #expect(test.standardOutput.contains("\"stage\" : \"tls\""))

            let own = try await node.rabt([
                "endpoint", "set", "moj", "--url", url, "--tls-ca", node.exchange.pki.caCertificate.path,
                "--tls-cert", node.exchange.pki.rabtCertificate.path, "--tls-key", node.exchange.pki.rabtKey.path, "--output", "json",
            ])
            #expect(own.status == 0, "\(own.standardError)")
            #expect(own.standardOutput.contains("clientCertificateFile"))
            #expect(try await node.call().status == 201)
        }
    }

    @Test func theReadmeOnboardingWalkthroughRunsWithTheCLIOnly() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/onboarding.sh")
        let run = try await RabtExecutable.run(
            [script.path, RabtExecutable.url.path], executable: URL(fileURLWithPath: "/bin/bash")
        )
        let log = run.standardOutput + run.standardError
        #expect(run.status == 0, "\(log)")
        #expect(log.contains("HTTP 201") && log.contains("Receipt: verified"))
        #expect(log.contains("onboarding walkthrough completed"))
    }
}
