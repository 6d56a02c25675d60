import Agencies
import Audit
import Broker
import Demo
import Eventually
import Foundation
import HTTPTypes
import Signing
import Testing

/// What one client connection may hold of a node (docs/limits.md), tried with raw clients
/// (scripts/interop/slow_client.py) against a node whose limits are set low. Every wait is
/// bounded; the assertions are on outcomes, never on how long something took.
@Suite(.serialized)
struct ConnectionLimitTests {
    typealias Node = LifecycleCommandTests.Node

    static func hostAndPort(_ exchange: LocalExchange) throws -> (String, String) {
        let url = try #require(URL(string: exchange.brokerURL))
        return (url.host ?? "127.0.0.1", String(url.port ?? 0))
    }

    static func tlsArguments(_ exchange: LocalExchange, agency: String = "mol") -> [String] {
        [exchange.pki.caCertificate.path, exchange.pki.agencyCertificate(agency).path, exchange.pki.agencyKey(agency).path]
    }

    /// Whether the log comes to hold (within a bounded wait: the guard records off the event loop)
    /// a refusal of `problemType` naming `actor`, with `target` when given.
    static func refusalAudited(_ node: Node, _ problemType: String, actor: String = "agency:mol", target: String? = nil) async -> Bool {
        await eventually(within: .seconds(30)) {
            let entries = (try? await node.exchange.auditEntries()) ?? []
            return entries.contains { entry in
                entry.event.kind == .requestRejected && entry.event.problemType == problemType && entry.event.actor == actor
                    && (target == nil || entry.event.target == target)
            }
        }
    }

    static func file(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-head-\(UUID().uuidString)")
        try Data(text.utf8).write(to: file)
        return file
    }

    @Test func aSilentConnectionIsClosedAtTheHeadDeadline() async throws {
        try await Node.with(configure: { $0.connections.requestHeadTimeout = .seconds(1) }) { node in
            let (host, port) = try Self.hostAndPort(node.exchange)
            // No TLS, no bytes: before, such connections stayed open for good.
            let (_, output, errors) = try await PythonScript.run("slow_client.py", ["silent", host, port, "3"])
            #expect(output.split(separator: "\n") == ["closed", "closed", "closed"], "\(errors)")
            #expect(try await node.call().status == 201)
        }
    }

    @Test func connectionsBeyondTheNodesLimitAreClosedOnArrival() async throws {
        try await Node.with(configure: {
            $0.connections.maxConnections = 3
            $0.connections.requestHeadTimeout = .seconds(120)
        }) { node in
            let (host, port) = try Self.hostAndPort(node.exchange)
            let (_, output, errors) = try await PythonScript.run("slow_client.py", ["cap", host, port, "5", "2"])
            let lines = output.split(separator: "\n")
            // The test's own client may keep a pooled connection to the node, which counts too;
            // whichever event loop admits first wins a place. Beyond three, every one is closed.
            #expect(lines.count == 5, "\(errors)")
            #expect(lines.filter { $0 == "open" }.count <= 3, "\(lines)")
            #expect(lines.filter { $0 == "closed" }.count >= 2, "\(lines)")
            // The held connections are gone with the script: the node serves again.
            #expect(await eventually(within: .seconds(30)) { (try? await node.call())?.status == 201 })
        }
    }

    @Test func oneCertificateCannotHoldMoreConnectionsThanItsShare() async throws {
        try await Node.with(configure: { $0.connections.maxConnectionsPerCertificate = 1 }) { node in
            let moj = try #require(node.exchange.providers["moj"])
            moj.script("POST", "/certificates", .hold)
            async let first = node.call()
            #expect(await eventually(within: .seconds(30)) { moj.scriptedHits("POST", "/certificates") > 0 })
            // mol's one connection is busy: a second one is closed after the handshake names mol.
            await #expect(throws: (any Error).self) { try await node.call() }
            #expect(await Self.refusalAudited(node, "too-many-requests"))
            // Other certificates are not affected.
            #expect(try await node.exchange.admin.maintenance().enabled == false)
            moj.script("POST", "/certificates", nil)
            #expect(try await first.status == 201)
            #expect(await eventually(within: .seconds(30)) { (try? await node.call())?.status == 201 })
        }
    }

    @Test func aBodyBelowTheMinimumRateIsRequestTimeout() async throws {
        try await Node.with(configure: {
            $0.connections.bodyGrace = .seconds(1)
            $0.connections.minBodyRate = 1024
        }) { node in
            let (host, port) = try Self.hostAndPort(node.exchange)
            let head = try Self.file("POST \(ExchangeTests.certificatePath) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            defer { try? FileManager.default.removeItem(at: head) }
            let (_, output, errors) = try await PythonScript.run(
                "slow_client.py", ["slow-body", host, port] + Self.tlsArguments(node.exchange) + [head.path]
            )
            #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "408 request-timeout", "\(errors)")
            #expect(await Self.refusalAudited(node, "request-timeout", target: "POST \(ExchangeTests.certificatePath)"))
            // The exchange had the head already: it saw its body fail, not end, so it refused what
            // arrived instead of taking it for the whole body, and forwarded nothing.
            #expect(await eventually(within: .seconds(30)) {
                ((try? await node.exchange.auditEntries()) ?? []).contains { $0.event.problemType == "malformed-request" && $0.event.detail?.contains("did not arrive whole") == true }
            })
            #expect(try await node.exchange.auditEntries().allSatisfy { $0.event.kind != .requestAccepted || $0.event.exchangeId == nil })
        }
    }

    @Test func expectContinueIsAnsweredAtOnce() async throws {
        try await Node.with { node in
            let (host, port) = try Self.hostAndPort(node.exchange)
            let large = try Self.file("POST \(ExchangeTests.certificatePath) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n")
            let small = try Self.file("POST \(ExchangeTests.certificatePath) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\nContent-Length: 200\r\nExpect: 100-continue\r\n\r\n")
            defer { try? FileManager.default.removeItem(at: large); try? FileManager.default.removeItem(at: small) }
            let refused = try await PythonScript.run("slow_client.py", ["expect", host, port] + Self.tlsArguments(node.exchange) + [large.path])
            #expect(refused.output.trimmingCharacters(in: .whitespacesAndNewlines) == "413 payload-too-large", "\(refused.errors)")
            #expect(await Self.refusalAudited(node, "payload-too-large", target: "POST \(ExchangeTests.certificatePath)"))
            let invited = try await PythonScript.run("slow_client.py", ["expect", host, port] + Self.tlsArguments(node.exchange) + [small.path])
            #expect(invited.output.trimmingCharacters(in: .whitespacesAndNewlines) == "100 -", "\(invited.errors)")
        }
    }

    @Test func whatTheHTTPParserRefusesAnIdentifiedCallerIsAudited() async throws {
        try await Node.with { node in
            let (host, port) = try Self.hostAndPort(node.exchange)
            // Two Content-Length values: the HTTP/1.1 parser refuses the request before any handler runs.
            let head = try Self.file("POST \(ExchangeTests.certificatePath) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello")
            defer { try? FileManager.default.removeItem(at: head) }
            let (_, output, errors) = try await PythonScript.run("slow_client.py", ["expect", host, port] + Self.tlsArguments(node.exchange) + [head.path])
            #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "400 malformed-request", "\(errors)")
            #expect(await Self.refusalAudited(node, "malformed-request", actor: "agency:mol"))
            #expect(try await node.call().status == 201)
        }
    }

    @Test func oneAgencyCannotHoldMoreExchangesThanItsShare() async throws {
        try await Node.with(configure: { $0.exchange.maxExchangesPerAgency = 1 }) { node in
            let moj = try #require(node.exchange.providers["moj"])
            moj.script("POST", "/certificates", .hold)
            async let first = node.call()
            #expect(await eventually(within: .seconds(30)) { moj.scriptedHits("POST", "/certificates") > 0 })
            let second = try await node.call()
            #expect(second.status == 429)
            #expect(second.header("exchange-error") == "too-many-requests")
            #expect(second.header("retry-after") == "1")
            moj.script("POST", "/certificates", nil)
            #expect(try await first.status == 201)
            #expect(try await node.call().status == 201)
            let refusals = try await node.exchange.auditEntries().filter { $0.event.problemType == "too-many-requests" }
            #expect(refusals.count == 1)
        }
    }
}
