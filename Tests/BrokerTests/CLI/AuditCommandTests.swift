import Agencies
import Audit
import Demo
import Eventually
import Foundation
import GRDB
import Logging
import Signing
import Synchronization
import Testing

/// `rabt audit` as an auditor runs it against a live broker, and what it says when someone has
/// tampered with the database or with an export.
@Suite(.serialized)
struct AuditCommandTests {
    /// A broker of its own (the tampering must not disturb other tests) with a few exchanges,
    /// a checkpoint saved by the auditor, and the environment the CLI reads.
    struct Log {
        let exchange: LocalExchange
        let folder: URL
        let checkpoint: String
        let environment: [String: String]

        static func start() async throws -> Log {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-audit-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var logger = Logger(label: "rabt.tests")
            logger.logLevel = .critical
            let exchange = try await LocalExchange.start(in: folder, providers: ["moj": JusticeMinistry.routes()], logger: logger)
            try await exchange.register(endpoints: ["moj": exchange.providers["moj"]?.baseURL ?? ""], contracts: TestExchange.contracts)
            for _ in 0..<4 {
                _ = try await AuditAPITests.exchangeOnce(exchange)
            }
            let environment = [
                "RABT_BROKER": exchange.brokerURL, "RABT_CA": exchange.pki.caCertificate.path,
                "RABT_CERT": exchange.pki.auditorCertificate("auditor").path, "RABT_KEY": exchange.pki.auditorKey("auditor").path,
            ]
            let saved = try await RabtExecutable.run(["audit", "checkpoint", "--sign"], environment: environment)
            #expect(saved.status == 0, "\(saved.standardError)")
            let checkpoint = folder.appendingPathComponent("saved.checkpoint").path
            try saved.standardOutput.write(toFile: checkpoint, atomically: true, encoding: .utf8)
            return Log(exchange: exchange, folder: folder, checkpoint: checkpoint, environment: environment)
        }

        func rabt(_ arguments: [String]) async throws -> RabtExecutable.Run {
            try await RabtExecutable.run(arguments, in: folder.path, environment: environment)
        }

        /// `rabt audit verify --live` with the pinned key and the saved checkpoint.
        func verifyLive() async throws -> RabtExecutable.Run {
            try await rabt(["audit", "verify", "--live", "--public-key", exchange.pki.rabtAuditPublicKey.path, "--checkpoint", checkpoint])
        }

        /// Changes the database behind the broker's back, as someone with file access could.
        func tamper(_ change: (Database) throws -> Void) throws {
            let database = try DatabaseQueue.beside(broker: exchange.databasePath)
            try database.write(change)
            try database.close()
        }

        /// Runs `body` against a fresh log and stops it whatever happens.
        static func with(_ body: (Log) async throws -> Void) async throws {
            let log = try await start()
            do {
                try await body(log)
            } catch {
                await log.stop()
                throw error
            }
            await log.stop()
        }

        func stop() async {
            await exchange.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func searchShowExportAndVerifyAnUntouchedLog() async throws {
        try await Log.with { log in
            let search = try await log.rabt(["audit", "search", "--consumer", "mol", "--provider", "moj", "--kind", "request.accepted"])
            #expect(search.status == 0, "\(search.standardError)")
            #expect(search.standardOutput.hasPrefix("SEQ"))
            #expect(search.standardOutput.split(separator: "\n").count == 5)  // header + 4 exchanges
            #expect(search.standardOutput.contains("mol→moj"))

            let show = try await log.rabt(["audit", "show", "2", "--public-key", log.exchange.pki.rabtAuditPublicKey.path])
            #expect(show.status == 0, "\(show.standardError)")
            #expect(show.standardOutput.contains("proof of"))

            let day = Timestamp.format(Date()).prefix(10)
            let export = try await log.rabt(["audit", "export", "--since", String(day), "--out", "day.jsonl"])
            #expect(export.status == 0, "\(export.standardError)")
            #expect(export.standardOutput.contains("signed tree heads to day.jsonl"))
            let mode = try FileManager.default.attributesOfItem(atPath: log.folder.appendingPathComponent("day.jsonl").path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "the export is \(String(mode ?? 0, radix: 8))")
            let offline = try await log.rabt(["audit", "verify", "day.jsonl", "--public-key", log.exchange.pki.rabtAuditPublicKey.path])
            #expect(offline.status == 0, "\(offline.standardError)")
            #expect(offline.standardOutput.contains("Verified"))

            let live = try await log.verifyLive()
            #expect(live.status == 0, "\(live.standardError)")

            // The export handed to someone else, edited on the way: one digit of one entry.
            let path = log.folder.appendingPathComponent("day.jsonl").path
            var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let target = try #require(lines.firstIndex { $0.contains("\"status\":201") })
            lines[target] = lines[target].replacingOccurrences(of: "\"status\":201", with: "\"status\":200")
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let edited = try await log.rabt(["audit", "verify", "day.jsonl", "--public-key", log.exchange.pki.rabtAuditPublicKey.path])
            #expect(edited.status == 1)
            #expect(edited.standardError.contains("verification FAILED: head-root-mismatch"))
        }
    }

    @Test func tailFollowsNewEntries() async throws {
        try await Log.with { log in
            let last = try await log.rabt(["audit", "tail", "-n", "2"])
            #expect(last.status == 0, "\(last.standardError)")
            #expect(last.standardOutput.split(separator: "\n").count == 3)  // header + 2

            // However long the CLI takes to start, exchanges keep coming until it has stopped, so
            // some are recorded after its first page: those it can only have printed by following.
            let finished = Mutex(false)
            let followed = Task {
                defer { finished.withLock { $0 = true } }
                return try await log.rabt(["audit", "tail", "-n", "1", "-f", "--seconds", "6"])
            }
            let stopped = try await eventually(within: .seconds(120), every: .milliseconds(200)) {
                _ = try await AuditAPITests.exchangeOnce(log.exchange)
                return finished.withLock { $0 }
            }
            #expect(stopped, "rabt audit tail -f did not stop")
            let run = try await followed.value
            #expect(run.status == 0, "\(run.standardError)")
            let lines = run.standardOutput.split(separator: "\n")
            #expect(lines.count >= 4, "\(run.standardOutput)")  // header + 1, then at least one new exchange's two steps
            #expect(lines.dropFirst(2).contains { $0.contains("request.accepted") })
            #expect(lines.dropFirst(2).contains { $0.contains("response.delivered") })
        }
    }

    /// Each way someone with write access to the database could rewrite history, and what
    /// `rabt audit verify --live` reports.
    enum Tampering: String, CaseIterable {
        case changeField, deleteEntry, reorderTwo, truncateTail, forgeHead, editHeadRoot
    }

    @Test(arguments: Tampering.allCases)
    func verifyCatchesTamperingWithTheDatabase(_ tampering: Tampering) async throws {
        try await Log.with { log in
            var expected: String
            switch tampering {
            case .changeField:
                try log.tamper { db in
                    try db.execute(sql: "UPDATE audit_entry SET entry = replace(entry, '\"status\":201', '\"status\":200') WHERE sequence = (SELECT MIN(sequence) FROM audit_entry WHERE entry LIKE '%\"status\":201%')")
                }
                expected = "head-root-mismatch"
            case .deleteEntry:
                try log.tamper { db in try db.execute(sql: "DELETE FROM audit_entry WHERE sequence = 3") }
                expected = "entry-sequence-mismatch"
            case .reorderTwo:
                try log.tamper { db in
                    let second = try String.fetchOne(db, sql: "SELECT entry FROM audit_entry WHERE sequence = 2") ?? ""
                    let third = try String.fetchOne(db, sql: "SELECT entry FROM audit_entry WHERE sequence = 3") ?? ""
                    try db.execute(sql: "UPDATE audit_entry SET entry = ? WHERE sequence = 2", arguments: [third])
                    try db.execute(sql: "UPDATE audit_entry SET entry = ? WHERE sequence = 3", arguments: [second])
                }
                expected = "entry-sequence-mismatch"
            case .truncateTail:
                // Cut the last entries with every tree node and head that covered them: only the
                // auditor's saved checkpoint still remembers the longer log.
                try log.tamper { db in
                    let kept = (try Int.fetchOne(db, sql: "SELECT MAX(sequence) + 1 FROM audit_entry") ?? 0) - 3
                    try db.execute(sql: "DELETE FROM audit_entry WHERE sequence >= ?", arguments: [kept])
                    try db.execute(sql: "DELETE FROM audit_node WHERE ((idx + 1) << level) > ?", arguments: [kept])
                    try db.execute(sql: "DELETE FROM audit_tree_head WHERE size > ?", arguments: [kept])
                }
                expected = "head-beyond-entries"
            case .forgeHead:
                // A head re-signed with a key that is not Rabt's.
                let forger = try AuditSigningKey.generate(name: LocalExchange.auditOrigin)
                try log.tamper { db in
                    let row = try #require(try Row.fetchOne(db, sql: "SELECT size, note FROM audit_tree_head ORDER BY size DESC LIMIT 1"))
                    let genuine = try SignedTreeHead(note: row["note"])
                    let forged = try SignedTreeHead(signing: genuine.head, origin: genuine.origin, key: forger)
                    try db.execute(sql: "UPDATE audit_tree_head SET note = ? WHERE size = ?", arguments: [forged.note, row["size"] as Int])
                }
                expected = "head-signature-invalid"
            case .editHeadRoot:
                // The root inside a genuine head edited to match rewritten entries, signature left as is.
                try log.tamper { db in
                    let row = try #require(try Row.fetchOne(db, sql: "SELECT size, note FROM audit_tree_head ORDER BY size DESC LIMIT 1"))
                    var lines = (row["note"] as String).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    lines[2] = MerkleHash.leaf(Array("forged".utf8)).base64
                    try db.execute(sql: "UPDATE audit_tree_head SET note = ? WHERE size = ?", arguments: [lines.joined(separator: "\n"), row["size"] as Int])
                }
                expected = "head-signature-invalid"
            }
            let run = try await log.verifyLive()
            #expect(run.status != 0, "tampering (\(tampering)) went unnoticed: \(run.standardOutput)")
            #expect(run.standardError.contains(expected), "\(tampering): \(run.standardError)")
        }
    }

    @Test func aLogCutBackWithItsHeadsKeptIsRefusedByTheBroker() async throws {
        try await Log.with { log in
            try log.tamper { db in
                let count = try Int.fetchOne(db, sql: "SELECT MAX(sequence) + 1 FROM audit_entry") ?? 0
                try db.execute(sql: "DELETE FROM audit_entry WHERE sequence >= ?", arguments: [count - 2])
            }
            let run = try await log.verifyLive()
            #expect(run.status != 0)
            #expect(run.standardError.contains("entries were removed"))
        }
    }
}
