// The audit log benchmark: append throughput with every commit flushed (per-commit baseline
// against batches and the group-committing writer), proof latency at a large tree from stored
// nodes against recomputing from all leaf hashes, search, export and whole-tree checks.
// Bounded in count and time; one temporary directory, removed at the end.
//
//   swift run -c release rabt-audit-bench [--entries N] [--samples K] [--append-only]

import Audit
import Foundation
import Store

struct Options {
    var entries = 1_000_000
    var samples = 2000
    /// Stops after the append throughput section (for profiling appends).
    var appendOnly = false

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--entries": entries = iterator.next().flatMap(Int.init) ?? entries
            case "--samples": samples = iterator.next().flatMap(Int.init) ?? samples
            case "--append-only": appendOnly = true
            default: break
            }
        }
        entries = min(max(entries, 10_000), 5_000_000)
        samples = min(max(samples, 10), 100_000)
    }
}

let options = Options(CommandLine.arguments)
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-audit-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
@MainActor func database(_ name: String) async throws -> SQLiteStore {
    try await SQLiteStore(path: folder.appendingPathComponent(name).path)
}
var seeds = SplitMix(state: 2026)
@MainActor func seed() -> UInt64 { seeds.next() }

say("Audit log benchmark (synchronous = FULL: every commit flushed)")
say("")
say("Append throughput")
let single = try await database("single.sqlite")
say("  synchronous mode of the writer: \(try await single.writerSynchronousMode() == 2 ? "FULL" : "not FULL")")
let (singleCount, singleTime) = try await AppendBenchmark.perCommit(single, limit: 5000, within: .seconds(5))
let baseline = Double(singleCount) / singleTime.seconds
say("  per commit (batch size 1, baseline): \(singleCount) entries, \(rate(singleCount, singleTime))")
try await single.close()

@MainActor func ratio(_ count: Int, _ duration: Duration) -> String {
    String(format: "%.0f×", Double(count) / duration.seconds / baseline)
}
let batched = try await database("batched.sqlite")
for batch in [64, 512] {
    let count = 100_000
    let start = try await batched.auditCount()
    let cpu = processCPUTime()
    let duration = try await AppendBenchmark.batches(batched, count: count, batch: batch, from: start)
    let perEntry = (processCPUTime() - cpu) / Double(count)
    say("  appendAudit, batches of \(batch): \(count) entries, \(rate(count, duration)) (\(ratio(count, duration)) baseline), "
        + "CPU \(format(perEntry)) per entry")
}
let encodeClock = ContinuousClock()
let encodeStart = encodeClock.now
for index in 0..<20_000 {
    _ = try AuditEntry(sequence: index, time: Date(), event: sampleEvent(index)).leafHash()
}
say("  of which canonical JSON and leaf hash alone (one thread): \(format((encodeClock.now - encodeStart).seconds / 20_000)) per entry")
try await batched.close()

for recorders in [64, 512] {
    let store = try await database("writer-\(recorders).sqlite")
    let count = 100_000
    let (duration, batches, latencies) = try await AppendBenchmark.writer(store, count: count, recorders: recorders)
    say("  AuditLogWriter, \(recorders) concurrent recorders: \(count) entries in \(batches) commits, "
        + "\(rate(count, duration)) (\(ratio(count, duration)) baseline), record p50 \(format(latencies.percentile(0.5))) p99 \(format(latencies.percentile(0.99)))")
    guard try await store.verifyAuditTree().isIntact else { throw BenchmarkFailure("writer log does not verify") }
    try await store.close()
}

if options.appendOnly {
    try? FileManager.default.removeItem(at: folder)
    exit(0)
}

say("")
let size = options.entries
say("A log of \(size) entries")
let large = try await database("large.sqlite")
let build = try await AppendBenchmark.batches(large, count: size, batch: 4096)
say("  built with appendAudit batches of 4096: \(rate(size, build)) (\(format(build.seconds)))")
let fileSize = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("large.sqlite").path)[.size] as? Int) ?? 0
say(String(format: "  database file: %.0f MB (%.0f bytes per entry)", Double(fileSize) / 1e6, Double(fileSize) / Double(size)))

let inclusion = try await ProofBenchmark.inclusion(large, size: size, samples: options.samples, seed: seed())
say("  inclusion proof from stored nodes (\(options.samples) random leaves): p50 \(format(inclusion.percentile(0.5))) p99 \(format(inclusion.percentile(0.99)))")
let baselineSamples = 5
let (load, recomputed) = try await ProofBenchmark.fromAllLeaves(large, size: size, samples: baselineSamples, seed: seed())
say("  inclusion proof recomputed from all leaf hashes (baseline, \(baselineSamples) leaves): p50 \(format(recomputed.percentile(0.5))) "
    + "+ \(format(load.seconds)) to read the leaf hashes once (\(String(format: "%.0f×", recomputed.percentile(0.5) / inclusion.percentile(0.5))) slower)")
let consistency = try await ProofBenchmark.consistency(large, size: size, samples: options.samples, seed: seed())
say("  consistency proof to \(size) (\(options.samples) random first sizes): p50 \(format(consistency.percentile(0.5))) p99 \(format(consistency.percentile(0.99)))")
let roots = try await ProofBenchmark.roots(large, size: size, samples: options.samples, seed: seed())
say("  root hash at a random size: p50 \(format(roots.percentile(0.5))) p99 \(format(roots.percentile(0.99)))")

let timer = ContinuousClock()
var searches = Latencies()
var query = AuditQuery(consumer: "rop", status: 200, limit: 100)
for _ in 0..<100 {
    let start = timer.now
    let page = try await large.searchAudit(query)
    searches.add(timer.now - start)
    query.cursor = page.nextCursor
}
say("  search (consumer and status, pages of 100, 100 pages): p50 \(format(searches.percentile(0.5))) p99 \(format(searches.percentile(0.99)))")

var started = timer.now
let check = try await large.verifyAuditTree()
guard check.isIntact else { throw BenchmarkFailure("large log does not verify: \(check.failure!)") }
say("  verifyAuditTree (every leaf and node recomputed from stored text): \(format((timer.now - started).seconds))")

let key = try AuditSigningKey.generate(name: ExportBenchmark.origin)
let head = try await ExportBenchmark.signHead(large, key: key)
let exportFile = folder.appendingPathComponent("export.jsonl")
let exportTime = try await ExportBenchmark.export(large, head: head, to: exportFile)
let exportBytes = (try? FileManager.default.attributesOfItem(atPath: exportFile.path)[.size] as? Int) ?? 0
say(String(format: "  export (rabt-audit-export/1 JSON Lines, store read in batches of 4096): %@, %.0f MB", format(exportTime.seconds), Double(exportBytes) / 1e6))
let (verifyTime, verified) = try ExportBenchmark.verify(exportFile, key: key.verifyingKey)
guard verified.size == size, verified.headsChecked == 1, verified.rootHash == check.rootHash else { throw BenchmarkFailure("verifier disagrees with the store") }
say("  offline verify of the export (AuditVerifier: every line hashed, tree rebuilt, signed head checked): \(format(verifyTime.seconds))")
try await large.close()

if let memory = peakMemory() {
    say("")
    say("Peak resident memory: \(memory)")
}
