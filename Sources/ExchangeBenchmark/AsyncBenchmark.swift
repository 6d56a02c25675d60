import Agencies
import Audit
import Broker
import Delivery
import Demo
import Foundation
import HTTPTypes
import Signing
import Store

/// Asynchronous exchange figures: how fast `respond-async` requests are accepted (stored durably
/// and answered 202) against the synchronous call of the same operation, and how fast a backlog
/// drains against a healthy provider, with the process's resident memory along the way.
enum AsyncBenchmark {
    static func run(exchange: LocalExchange, options: Options) async throws {
        let client = try exchange.client("mol")
        let path = "/exchange/moj/criminal-record-certificate/certificates"
        let body = Array(#"{"applicant":{"nationalId":"9861034521","fullName":{"first":"Layla","family":"Haddad"},"dateOfBirth":"1986-04-17"},"purpose":"employment","caseReference":"MOL-2026-1"}"#.utf8)
        let prefer: HTTPFields = [.prefer: "respond-async"]
        let concurrency = options.concurrency

        print("\nAsynchronous exchange — POST a certificate request, concurrency \(concurrency), \(options.asyncRequests) requests each")
        let sync = await measure("synchronous through Rabt", count: options.asyncRequests, concurrency: concurrency) {
            (try? await client.send("POST", path, json: body))?.status == 201
        }
        let accepted = await measure("respond-async (202)", count: options.asyncRequests, concurrency: concurrency) {
            (try? await client.send("POST", path, json: body, headers: prefer))?.status == 202
        }
        report(sync, accepted, concurrency: concurrency, ratio: "respond-async / synchronous")
        print("  (every 202 is sent after the message and its audit entry are committed and flushed to disk)")

        let admin = exchange.admin
        guard try await waitForDrain(admin, deadline: .seconds(300)) else {
            print("  the accepted messages did not drain within 5 minutes; backlog measurement skipped")
            return
        }

        // A backlog: the node stops claiming (maintenance), the outbox is filled, then released.
        _ = try await admin.setMaintenance(MaintenanceSetting(enabled: true, retryAfterSeconds: 5, reason: "benchmark backlog"))
        let template = try client.prepare("POST", path, json: body)
        let headers = [OutboxHeader](template.request.headers)
        let rssBefore = residentMegabytes()
        let fillStart = ContinuousClock.now
        let store = try await SQLiteStore(path: exchange.databasePath, configuration: .init(flushEveryCommit: false))
        let now = Date()
        for index in 0..<options.backlog {
            let id = "backlog-\(index)"
            let message = OutboxMessage(
                id: id, consumer: "mol", provider: "moj", service: "criminal-record-certificate", version: 1,
                operation: "POST /certificates", method: "POST", pathAndQuery: "/certificates", headers: headers, body: body,
                idempotencyKey: nil, nextAttemptAt: now, expiresAt: now.addingTimeInterval(86_400), createdAt: now
            )
            _ = try await store.enqueue(message, auditing: [AuditEvent(
                kind: .requestAccepted, exchangeId: id, consumer: "mol", provider: "moj", service: "criminal-record-certificate",
                serviceVersion: 1, operation: "POST /certificates", status: 202
            )])
        }
        try await store.close()
        let fill = seconds(ContinuousClock.now - fillStart)
        let rssFilled = residentMegabytes()
        let delivered = try await admin.messages(limit: 1).counts["delivered", default: 0]

        // Baseline: the same POST sent directly to the provider with the worker's concurrency.
        let providerURL = exchange.providers["moj"]?.baseURL ?? ""
        let transport = exchange.transport
        let direct = OutboundRequest(
            method: "POST", url: providerURL + "/certificates",
            headers: [.contentType: "application/json"], body: body,
            tls: TLSSettings(
                caFile: exchange.pki.caCertificate.path, clientCertificateFile: exchange.pki.rabtCertificate.path,
                clientKeyFile: exchange.pki.rabtKey.path
            )
        )
        let baseline = await measure("direct POST to provider", count: min(options.backlog, 5000), concurrency: 16) {
            (try? await transport.send(direct))?.status == 201
        }

        _ = try await admin.setMaintenance(MaintenanceSetting(enabled: false))
        let drainStart = ContinuousClock.now
        var peak = rssFilled
        var done = 0
        while ContinuousClock.now - drainStart < .seconds(900) {
            try await Task.sleep(for: .milliseconds(500))
            peak = max(peak, residentMegabytes())
            done = try await admin.messages(limit: 1).counts["delivered", default: 0] - delivered
            if done >= options.backlog { break }
        }
        let drain = seconds(ContinuousClock.now - drainStart)
        print("\nBacklog of \(options.backlog) messages against a healthy provider (worker concurrency 16)")
        print(String(format: "  filled in %.1f s (%.0f msg/s, one transaction each, not flushed)", fill, Double(options.backlog) / fill))
        print(String(format: "  drained %d in %.1f s: %.0f msg/s   direct POST baseline %.0f req/s   ratio %.2f",
                     done, drain, Double(done) / drain, baseline.throughput, Double(done) / drain / baseline.throughput))
        print(String(format: "  resident memory: %.0f MB before the backlog, %.0f MB with it stored, %.0f MB peak while draining",
                     rssBefore, rssFilled, peak))
        print("  (the in-process sample provider keeps every certificate it issues in memory: part of the growth while draining)")
    }

    /// Waits until nothing is pending or being delivered.
    static func waitForDrain(_ admin: AdminClient, deadline: Duration) async throws -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < deadline {
            let counts = try await admin.messages(limit: 1).counts
            if counts["pending", default: 0] + counts["delivering", default: 0] == 0 { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Resident set size of this process, from /proc/self/statm.
    static func residentMegabytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
