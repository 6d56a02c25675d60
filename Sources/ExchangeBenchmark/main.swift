// The exchange benchmark: the same GET against the sample justice provider, once directly
// (mTLS, no broker: the baseline) and once through Rabt (signed, verified, authorised,
// validated, audited twice, countersigned, receipt signed), in one run, so the ratio is
// meaningful on a shared machine. Bounded in count and time; loopback only.
//
// Then the asynchronous figures: accepted `respond-async` requests per second against the
// synchronous call, and the drain rate of a stored backlog against a healthy provider.
//
// With --engines, instead: the same GET on SQLite, on PostgreSQL, and on two PostgreSQL nodes
// (needs the server RABT_TEST_POSTGRES_URL names; `make bench-nodes` starts a throwaway one).
//
// Last, the work the canonical target and the signature chain add to each exchange, step by
// step, against the process's CPU per exchange through Rabt in the same run.
//
//   swift run -c release rabt-bench [--requests N] [--concurrency C] [--async N] [--backlog M] [--engines]

import Agencies
import Delivery
import Contracts
import Demo
import Foundation
import Logging
import Signing

struct Options {
    var requests = 2000
    var concurrency = 8
    var asyncRequests = 2000
    var backlog = 100_000
    /// Compare SQLite with PostgreSQL, and one PostgreSQL node with two, instead of the rest.
    var engines = false

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--requests": requests = iterator.next().flatMap(Int.init) ?? requests
            case "--concurrency": concurrency = iterator.next().flatMap(Int.init) ?? concurrency
            case "--async": asyncRequests = iterator.next().flatMap(Int.init) ?? asyncRequests
            case "--backlog": backlog = iterator.next().flatMap(Int.init) ?? backlog
            case "--engines": engines = true
            default: break
            }
        }
        requests = min(max(requests, 10), 100_000)
        concurrency = min(max(concurrency, 1), 64)
        asyncRequests = min(max(asyncRequests, 10), 100_000)
        backlog = min(max(backlog, 100), 1_000_000)
    }
}

/// Latencies of one series, in seconds.
struct Series {
    let name: String
    let latencies: [Double]
    let wall: Double
    let failures: Int

    var throughput: Double { Double(latencies.count) / wall }
    func percentile(_ p: Double) -> Double {
        let sorted = latencies.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

/// Runs `count` calls of `call` with `concurrency` workers; a call returns whether it succeeded.
func measure(_ name: String, count: Int, concurrency: Int, deadline: Duration = .seconds(120),
             _ call: @escaping @Sendable () async -> Bool) async -> Series {
    let clock = ContinuousClock()
    let start = clock.now
    let results = await withTaskGroup(of: [(Double, Bool)].self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var results: [(Double, Bool)] = []
                var index = worker
                while index < count, clock.now - start < deadline {
                    let began = clock.now
                    let ok = await call()
                    let elapsed = clock.now - began
                    results.append((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, ok))
                    index += concurrency
                }
                return results
            }
        }
        var all: [(Double, Bool)] = []
        for await part in group { all += part }
        return all
    }
    let wall = clock.now - start
    return Series(
        name: name, latencies: results.map(\.0),
        wall: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18,
        failures: results.filter { !$0.1 }.count
    )
}

func report(_ baseline: Series, _ subject: Series, concurrency: Int, ratio: String = "through Rabt / direct") {
    func row(_ s: Series) -> String {
        String(format: "%-28@ %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms   failures %d",
               s.name as NSString, s.throughput, s.percentile(0.5) * 1000, s.percentile(0.99) * 1000, s.failures)
    }
    print("concurrency \(concurrency), \(subject.latencies.count) requests each")
    print("  " + row(baseline))
    print("  " + row(subject))
    print(String(format: "  ratio %@: throughput %.2f, p50 latency %.2f×", ratio as NSString,
                 subject.throughput / baseline.throughput, subject.percentile(0.5) / max(baseline.percentile(0.5), 1e-9)))
}

let options = Options(CommandLine.arguments)
var logger = Logger(label: "rabt.bench")
logger.logLevel = .critical
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
let contracts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("contracts")

if options.engines {
    try await EngineBenchmark.run(options: options, logger: logger, in: directory, contracts: contracts)
    try? FileManager.default.removeItem(at: directory)
    exit(0)
}

let exchange = try await LocalExchange.start(in: directory, providers: ["moj": JusticeMinistry.routes()], logger: logger)
let client = try exchange.client("mol")
let transport = exchange.transport
let (direct, path) = try await CertificateLookup.prepare(exchange, contracts: contracts)

var cpuPerExchange = 0.0
print("Rabt exchange benchmark — GET one certificate from the sample justice provider over loopback")
for concurrency in [1, options.concurrency] {
    // Warm both paths (connections, caches) before measuring.
    _ = await measure("warm-up", count: 50, concurrency: concurrency) { (try? await transport.send(direct))?.status == 200 }
    _ = await measure("warm-up", count: 50, concurrency: concurrency) { (try? await client.send("GET", path))?.status == 200 }
    let baseline = await measure("direct to provider (mTLS)", count: options.requests, concurrency: concurrency) {
        (try? await transport.send(direct))?.status == 200
    }
    let cpuBefore = IntegritySteps.processCPU()
    let through = await measure("through Rabt (full path)", count: options.requests, concurrency: concurrency) {
        (try? await client.send("GET", path))?.status == 200
    }
    cpuPerExchange = IntegritySteps.microseconds(IntegritySteps.processCPU() - cpuBefore) / Double(options.requests)
    report(baseline, through, concurrency: concurrency)
    print(String(format: "  CPU of this process (client, broker and provider) per exchange through Rabt: %.0f µs", cpuPerExchange))
}

// What the canonical target and the signature chain add to each exchange, step by step.
let certificateContract = try Contract.load(contentsOf: contracts.appendingPathComponent("moj/criminal-record-certificate.v1.yaml").path)
let steps = try IntegritySteps.measure(client: client, path: path, contract: certificateContract, rounds: 20_000)
print("\nIntegrity steps added per exchange (issue 14), each over 20,000 rounds")
func stepLine(_ name: String, _ microseconds: Double) -> String {
    "  " + name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%7.1f µs", microseconds)
}
for step in steps { print(stepLine(step.name, step.microseconds)) }
let added = steps.map(\.microseconds).reduce(0, +)
print(stepLine("total", added) + String(format: " = %.1f %% of the CPU per exchange at concurrency %d", 100 * added / max(cpuPerExchange, 1), options.concurrency))
try await AsyncBenchmark.run(exchange: exchange, options: options)
await exchange.stop()
try? FileManager.default.removeItem(at: directory)
