import Agencies
import Broker
import Demo
import Eventually
import Foundation
import GRDB
import Logging
import Synchronization
import Testing

/// The audit log's fail-closed promise on the exchange path: when the log cannot persist, the
/// exchange is refused with `audit-unavailable` and never forwarded, and the broker recovers by
/// itself once storage is back.
@Suite struct AuditUnavailableTests {
    @Test func lockedDatabaseRefusesExchangesUnforwardedAndRecovers() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-audit-down-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "rabt.tests")
        logger.logLevel = .critical
        let exchange = try await LocalExchange.start(in: folder, providers: ["moj": JusticeMinistry.routes()], logger: logger) { configuration in
            configuration.databaseBusyTimeout = .milliseconds(300)
        }
        try await exchange.register(endpoints: ["moj": exchange.providers["moj"]?.baseURL ?? ""], contracts: TestExchange.contracts)
        let moj = try #require(exchange.providers["moj"])
        let before = try await AuditAPITests.exchangeOnce(exchange)
        #expect(!before.isEmpty)
        let delivered = moj.receivedRequests.count

        // Another connection takes the write lock and keeps it: every write of the broker
        // (nonce, audit entry) now fails after its busy timeout.
        let lock = try await DatabaseLock.take(exchange.databasePath)
        for _ in 0..<3 {
            let refused = try await exchange.client("mol").send("POST", ExchangeTests.certificatePath, json: ExchangeTests.certificateRequest())
            #expect(refused.status == 503)
            #expect(refused.header("exchange-error") == "audit-unavailable")
            #expect(refused.header("retry-after") != nil)
        }
        #expect(moj.receivedRequests.count == delivered, "a request was forwarded while the audit log could not record it")

        // Storage returns: the next exchange goes through and is audited, with no restart.
        await lock.release()
        let after = try await AuditAPITests.exchangeOnce(exchange)
        #expect(try await exchange.audit(of: after) == ["request.accepted", "response.delivered"])
        #expect(moj.receivedRequests.count == delivered + 1)
        await exchange.stop()
    }
}

/// Holds SQLite's write lock from a connection of its own, on a thread of its own (the
/// transaction must stay open across awaits, which GRDB's async API does not allow).
final class DatabaseLock: Sendable {
    private let releasing = DispatchSemaphore(value: 0)
    private let released = Mutex(false)

    /// Takes the lock once the broker's own writes let it (its tree-head signer and delivery
    /// worker write on their own schedules).
    static func take(_ path: String) async throws -> DatabaseLock {
        let lock = DatabaseLock()
        let queue = try DatabaseQueue.beside(broker: path)
        try await withCheckedThrowingContinuation { (locked: CheckedContinuation<Void, any Error>) in
            Thread {
                var holding = false
                do {
                    try queue.inDatabase { db in
                        try db.execute(sql: "BEGIN IMMEDIATE")
                        holding = true
                        locked.resume()
                        // Bounded: the lock is dropped after 60 s even if the test never releases it.
                        _ = lock.releasing.wait(timeout: .now() + 60)
                        try db.execute(sql: "ROLLBACK")
                    }
                } catch {
                    if !holding { locked.resume(throwing: error) }
                }
                lock.released.withLock { $0 = true }
            }.start()
        }
        return lock
    }

    /// Gives the lock up and returns once it is given up, so the broker's next write finds the
    /// database free rather than racing the rollback against its busy timeout.
    func release() async {
        releasing.signal()
        let done = await eventually(within: .seconds(30)) { released.withLock { $0 } }
        #expect(done, "the database lock was not given up")
    }
}
