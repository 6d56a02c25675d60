import ArgumentParser
import Audit
import Broker
import Foundation

/// `rabt audit`: the auditor's tools over the audit API (auditor certificate), and offline verification.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Search, prove, export and verify the tamper-evident exchange log.",
        discussion: """
            Connection: --broker, --ca, --cert, --key (or RABT_BROKER, RABT_CA, RABT_CERT, RABT_KEY) \
            with an auditor certificate (OU=auditor). `verify FILE` needs no broker.

            A day of exchanges between two agencies, exported and verified elsewhere:
              rabt audit search --consumer mol --provider moj --since 2026-11-25 --until 2026-11-26
              rabt audit export --since 2026-11-25 --until 2026-11-26 --out mol-moj-2026-11-25.jsonl
              rabt audit verify mol-moj-2026-11-25.jsonl --public-key rabt-audit.pub.pem

            Exit codes: 0 ok (and verified), 1 refused, not found or verification failed, 2 usage \
            error, 3 cannot reach the broker, 4 the broker failed.
            """,
        subcommands: [Search.self, Show.self, Proof.self, Export.self, Verify.self, Tail.self, Checkpoint.self]
    )

    /// Filters shared by `search` and `tail`.
    struct Filters: ParsableArguments {
        @Option(help: "Consumer agency id.") var consumer: String?
        @Option(help: "Provider agency id.") var provider: String?
        @Option(help: "Service name.") var service: String?
        @Option(help: "Contract version (with --service).") var version: Int?
        @Option(help: "Operation, e.g. \"POST /certificates\".") var operation: String?
        @Option(help: "HTTP status answered to the consumer.") var status: Int?
        @Option(name: .customLong("problem-type"), help: "Problem type, e.g. signature-invalid.") var problemType: String?
        @Option(name: .customLong("exchange-id"), help: "One exchange.") var exchangeId: String?
        @Option(help: "Entry kind, e.g. request.rejected or admin.contract.published.") var kind: String?
        @Option(help: "From this RFC 3339 time or date (UTC midnight), inclusive.") var since: String?
        @Option(help: "Until this RFC 3339 time or date (UTC midnight), exclusive.") var until: String?

        func search() throws -> AuditSearch {
            for (name, value) in [("since", since), ("until", until)] {
                if let value, AuditTime.parse(value) == nil {
                    throw ValidationError("--\(name) '\(value)' is not an RFC 3339 time (2026-11-25T08:00:00Z) or a date (2026-11-25).")
                }
            }
            var search = AuditSearch()
            search.consumer = consumer
            search.provider = provider
            search.service = service
            search.version = version
            search.operation = operation
            search.status = status
            search.problemType = problemType
            search.exchangeId = exchangeId
            search.kind = kind
            search.since = since
            search.until = until
            return search
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find entries, newest first.",
            discussion: """
                Examples:
                  rabt audit search --consumer mol --provider moj --since 2026-11-25 --until 2026-11-26
                  rabt audit search --problem-type signature-invalid --limit 20
                  rabt audit search --exchange-id 3f0c…   (every step of one exchange)
                """
        )
        @OptionGroup var filters: Filters
        @Option(help: "Entries per page (1–1000).") var limit: Int = 50
        @Option(help: "Continue after a previous page (its cursor).") var cursor: String?
        @Flag(help: "Follow cursors to the last page (at most 100 pages).") var all = false
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit must be 1–1000.") }
            var search = try filters.search()
            search.limit = limit
            search.cursor = cursor
            var entries: [AuditEntry] = []
            var next: String?
            for _ in 0..<(all ? 100 : 1) {
                let request = search
                let page = try await connection.audit { client throws(BrokerClientError) in try await client.search(request) }
                entries += page.entries
                next = page.nextCursor
                guard let next else { break }
                search.cursor = next
            }
            if connection.output == .json {
                return CLIOutput.json(SearchOutput(entries: entries, nextCursor: next))
            }
            AuditTable.print(entries)
            if let next { print("More entries: add --cursor \(next) (or --all).") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one entry and check its inclusion proof against a signed tree head.",
            discussion: "Example:\n  rabt audit show 42 --public-key certs/dev/rabt-audit.pub.pem"
        )
        @Argument(help: "The entry's sequence number.") var sequence: Int
        @OptionGroup var key: PublicKeyOption
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let proven = try await connection.audit { client throws(BrokerClientError) in try await client.entry(sequence) }
            let origin = (try? SignedTreeHead(note: proven.treeHead).origin) ?? ""
            let keys = try await key.keys(origin: origin, connection: connection)
            let head: SignedTreeHead
            do {
                head = try proven.verify(keys: keys.keys)
            } catch {
                CLIOutput.failure("entry \(sequence) does not verify: \(error.message)", hint: nil, exitCode: 1)
            }
            if connection.output == .json { return CLIOutput.json(proven.entry) }
            AuditTable.describe(proven.entry)
            print("")
            print("Included in the tree of \(head.head.size) entries (root \(head.head.rootHash.base64)),")
            print("signed by \(head.origin) at \(Timestamp.format(milliseconds: head.head.timestampMilliseconds)); proof of \(proven.inclusionProof.path.count) hashes verified.")
            if let warning = keys.warning { print(warning) }
        }
    }

    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an inclusion proof (for an entry) or a consistency proof (between two tree sizes).",
            discussion: """
                Examples:
                  rabt audit proof 42                      inclusion of entry 42 in the latest signed tree
                  rabt audit proof --from 1000 --to 2000   consistency of tree 1000 with tree 2000
                """
        )
        @Argument(help: "The entry's sequence number.") var sequence: Int?
        @Option(help: "Smaller tree size of a consistency proof.") var from: Int?
        @Option(help: "Larger tree size of a consistency proof.") var to: Int?
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            switch (sequence, from, to) {
            case (_?, nil, nil), (nil, _?, _?): break
            default: throw ValidationError("Give an entry sequence, or --from and --to for a consistency proof.")
            }
        }

        func run() async throws {
            if let sequence {
                let proven = try await connection.audit { client throws(BrokerClientError) in try await client.entry(sequence) }
                CLIOutput.json(InclusionOutput(
                    leafIndex: proven.inclusionProof.leafIndex, treeSize: proven.inclusionProof.treeSize,
                    leafHash: proven.leafHash, path: proven.inclusionProof.path, treeHead: proven.treeHead
                ))
            } else if let from, let to {
                let proof = try await connection.audit { client throws(BrokerClientError) in try await client.consistency(from: from, to: to) }
                CLIOutput.json(ConsistencyOutput(firstSize: proof.firstSize, secondSize: proof.secondSize, path: proof.path))
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a self-contained, verifiable export of a range of the log.",
            discussion: """
                The file holds the entries exactly as hashed, every signed tree head in the range and \
                Rabt's audit key; the range ends at a signed head so every entry is covered. Exports \
                are contiguous ranges (verification needs every leaf): narrow them by time, then use \
                `search` to find the exchanges you care about.

                Examples:
                  rabt audit export --out log.jsonl
                  rabt audit export --since 2026-11-25 --until 2026-11-26 --out 2026-11-25.jsonl
                  rabt audit export --from 1000 --to 2000 --out part.jsonl
                """
        )
        @Option(help: "The export file to write.") var out: String
        @Option(help: "First sequence number.") var from: Int?
        @Option(help: "End sequence number (exclusive); extended to the next signed head.") var to: Int?
        @Option(help: "Start at the first entry recorded at or after this time or date.") var since: String?
        @Option(help: "End before the first entry recorded at or after this time or date.") var until: String?
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if since != nil && from != nil || until != nil && to != nil {
                throw ValidationError("Give the range by sequence (--from/--to) or by time (--since/--until), not both.")
            }
        }

        func run() async throws {
            let (from, to) = try await range()
            let file = out
            try await connection.audit { client throws(BrokerClientError) in try await client.export(from: from, to: to, file: file) }
            let summary: AuditVerificationResult
            do {
                summary = try AuditVerifier.verifyExport(atPath: out, pinned: nil)
            } catch {
                CLIOutput.failure("the export written to \(out) does not verify: \(error)", hint: nil, exitCode: 1)
            }
            if connection.output == .json { return CLIOutput.json(VerifyOutput(summary, file: out)) }
            print("Wrote \(summary.entriesChecked) entries and \(summary.headsChecked) signed tree heads to \(out).")
            print("Anyone can check it offline: rabt audit verify \(out) --public-key rabt-audit.pub.pem")
        }

        /// The sequence range, found by time through the search API when asked by time.
        private func range() async throws -> (Int, Int?) {
            var start = from ?? 0
            var end = to
            if let since {
                guard AuditTime.parse(since) != nil else { throw ValidationError("--since '\(since)' is not a time or date.") }
                var search = AuditSearch()
                search.since = since
                search.until = until
                search.limit = 1
                search.oldestFirst = true
                let request = search
                let page = try await connection.audit { client throws(BrokerClientError) in try await client.search(request) }
                guard let first = page.entries.first else {
                    CLIOutput.failure("no entries were recorded in that time range", hint: nil, exitCode: 1)
                }
                start = first.sequence
            }
            if let until {
                guard AuditTime.parse(until) != nil else { throw ValidationError("--until '\(until)' is not a time or date.") }
                var search = AuditSearch()
                search.until = until
                search.limit = 1
                let request = search
                let page = try await connection.audit { client throws(BrokerClientError) in try await client.search(request) }
                end = (page.entries.first?.sequence ?? -1) + 1
            }
            if let end, end < start { CLIOutput.failure("no entries were recorded in that range", hint: nil, exitCode: 1) }
            return (start, end)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify an export offline, or the live log through the audit API.",
            discussion: """
                Recomputes every leaf and every root, checks every signed tree head's signature and \
                that successive heads are consistent. On tampering it names the first entry or head \
                that does not match and exits 1.

                Examples:
                  rabt audit verify export.jsonl --public-key rabt-audit.pub.pem
                  rabt audit verify --live --public-key rabt-audit.pub.pem --checkpoint saved.checkpoint

                A checkpoint saved earlier (`rabt audit checkpoint > saved.checkpoint`) must still be \
                part of the log: this catches a log that was cut back or rewritten since.
                """
        )
        @Argument(help: "An export file written by `rabt audit export`.") var file: String?
        @Flag(help: "Verify the whole live log (exported through the audit API to a temporary file).") var live = false
        @Option(name: .customLong("public-key"), help: "Rabt's audit public key: a PEM file or a verifier key (name+id+key).")
        var publicKey: String?
        @Option(help: "A checkpoint saved earlier that the log must still contain (repeatable).") var checkpoint: [String] = []
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard (file != nil) != live else { throw ValidationError("Give an export file, or --live (not both).") }
        }

        func run() async throws {
            let pinned = try publicKey.map(PinnedKey.init(argument:))
            let checkpoints = try checkpoint.map { path in
                do {
                    return try SignedTreeHead(note: try String(contentsOfFile: path, encoding: .utf8))
                } catch {
                    throw ValidationError("--checkpoint \(path) is not a readable checkpoint: \(error)")
                }
            }
            var path = file ?? ""
            if live {
                path = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-audit-\(UUID().uuidString).jsonl").path
                let target = path
                try await connection.audit { client throws(BrokerClientError) in try await client.export(file: target) }
            }
            defer { if live { try? FileManager.default.removeItem(atPath: path) } }
            let result: AuditVerificationResult
            do {
                result = try AuditVerifier.verifyExport(atPath: path, pinned: pinned, checkpoints: checkpoints)
            } catch {
                if live { try? FileManager.default.removeItem(atPath: path) }
                CLIOutput.failure("verification FAILED: \(error)", hint: nil, exitCode: 1)
            }
            if connection.output == .json { return CLIOutput.json(VerifyOutput(result, file: file)) }
            print("Verified \(result.entriesChecked) entries and \(result.headsChecked) signed tree head\(result.headsChecked == 1 ? "" : "s")\(live ? " of the live log" : "").")
            print("Tree size \(result.size), root \(result.rootHash.base64).")
            if let head = result.lastHead {
                print("Last head signed by \(head.origin) at \(Timestamp.format(milliseconds: head.head.timestampMilliseconds)).")
            }
            if pinned == nil {
                print("Checked with the key named in the export; pass --public-key to pin Rabt's published audit key.")
            }
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the latest entries, oldest first; with -f keep following new ones.",
            discussion: "Examples:\n  rabt audit tail -n 20\n  rabt audit tail -f --provider moj"
        )
        @OptionGroup var filters: Filters
        @Option(name: .short, help: "How many recent entries to print first.") var n: Int = 10
        @Flag(name: .short, help: "Follow: poll for new entries until interrupted.") var follow = false
        @Option(help: "With -f, stop after this many seconds.") var seconds: Int?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            guard (1...1000).contains(n) else { throw ValidationError("-n must be 1–1000.") }
            var search = try filters.search()
            search.limit = n
            let latest = search
            let recent = try await connection.audit { client throws(BrokerClientError) in try await client.search(latest) }
            let first = Array(recent.entries.reversed())
            emit(first, header: true)
            guard follow else { return }
            // Follow from the newest entry printed: by its time until the broker hands out a cursor.
            search.oldestFirst = true
            search.limit = 200
            if let last = first.last { search.since = Timestamp.format(milliseconds: last.timeMilliseconds) }
            var after = first.last?.sequence ?? -1
            let deadline = seconds.map { ContinuousClock.now + .seconds($0) }
            while deadline.map({ ContinuousClock.now < $0 }) ?? true {
                try await Task.sleep(for: .seconds(1))
                let poll = search
                let page = try await connection.audit { client throws(BrokerClientError) in try await client.search(poll) }
                let fresh = page.entries.filter { $0.sequence > after }
                emit(fresh, header: false)
                after = fresh.last?.sequence ?? after
                if let cursor = page.nextCursor {
                    search.cursor = cursor
                    search.since = nil
                }
            }
        }

        private func emit(_ entries: [AuditEntry], header: Bool) {
            if connection.output == .json {
                for entry in entries { if let text = try? entry.canonicalText() { print(text) } }
            } else {
                AuditTable.print(entries, header: header)
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the latest signed tree head (a C2SP checkpoint) to keep for later verification.",
            discussion: """
                Examples:
                  rabt audit checkpoint > 2026-11-26.checkpoint
                  rabt audit checkpoint --sign     a head for the log as it stands now
                """
        )
        @Flag(help: "Ask the broker to sign a head for the log as it stands now.") var sign = false
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let signNow = sign
            let head = try await connection.audit { client throws(BrokerClientError) in try await client.checkpoint(signNow: signNow) }
            Swift.print(head.note, terminator: "")
        }
    }
}
