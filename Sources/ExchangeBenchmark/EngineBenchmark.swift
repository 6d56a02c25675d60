import Agencies
import Broker
import Delivery
import Demo
import Foundation
import Logging
import PostgresTestSupport
import Synchronization

/// The exchange benchmark's lookup on each store engine and node count, in one run: one node on
/// SQLite, one node on PostgreSQL, and two nodes sharing that PostgreSQL with the client
/// alternating between them (as a load balancer would). Each setting is a fresh exchange with its
/// own direct baseline measured next to it, so every ratio compares figures taken minutes apart
/// at most on the same machine.
enum EngineBenchmark {
    private struct Setting {
        let name: String
        let postgres: Bool
        let nodes: Int
    }

    private struct Outcome {
        let setting: Setting
        let baseline: Series
        let through: Series
    }

    static func run(options: Options, logger: Logger, in directory: URL, contracts: URL) async throws {
        guard PostgresTestServer.isConfigured else {
            print("rabt-bench --engines needs a PostgreSQL server in RABT_TEST_POSTGRES_URL; `make bench-nodes` starts a throwaway one.")
            exit(2)
        }
        let settings = [
            Setting(name: "SQLite, 1 node", postgres: false, nodes: 1),
            Setting(name: "PostgreSQL, 1 node", postgres: true, nodes: 1),
            Setting(name: "PostgreSQL, 2 nodes", postgres: true, nodes: 2),
        ]
        let concurrency = options.concurrency
        print("Rabt store engines and nodes — GET one certificate, concurrency \(concurrency), \(options.requests) requests each")
        var outcomes: [Outcome] = []
        for (index, setting) in settings.enumerated() {
            let folder = directory.appendingPathComponent("setting-\(index)")
            if setting.postgres {
                try await PostgresTestServer.withDatabase { url in
                    outcomes.append(try await measureSetting(setting, database: url, in: folder, options: options, logger: logger, contracts: contracts))
                }
            } else {
                outcomes.append(try await measureSetting(setting, database: nil, in: folder, options: options, logger: logger, contracts: contracts))
            }
        }
        for outcome in outcomes {
            print("\n\(outcome.setting.name)")
            report(outcome.baseline, outcome.through, concurrency: concurrency)
        }
        func ratio(_ subject: Int, _ base: Int) -> String {
            let (s, b) = (outcomes[subject], outcomes[base])
            return String(
                format: "throughput %.2f (%.0f / %.0f req/s), p50 latency %.2f×; baseline drift %.2f",
                s.through.throughput / b.through.throughput, s.through.throughput, b.through.throughput,
                s.through.percentile(0.5) / max(b.through.percentile(0.5), 1e-9), s.baseline.throughput / b.baseline.throughput
            )
        }
        print("\nPostgreSQL / SQLite, one node:   " + ratio(1, 0))
        print("two nodes / one, PostgreSQL:     " + ratio(2, 1))
    }

    private static func measureSetting(
        _ setting: Setting, database: String?, in folder: URL, options: Options, logger: Logger, contracts: URL
    ) async throws -> Outcome {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let exchange = try await LocalExchange.start(in: folder, providers: ["moj": JusticeMinistry.routes()], logger: logger) { configuration in
            if let database { configuration.database = database }
        }
        do {
            let (direct, path) = try await CertificateLookup.prepare(exchange, contracts: contracts)
            var clients = [try exchange.client("mol")]
            for _ in 1..<setting.nodes {
                let url = try await exchange.addNode()
                clients.append(ExchangeClient(brokerURL: url, identity: try .development(exchange.pki, agency: "mol"), transport: exchange.transport))
            }
            let turn = Atomic<Int>(0)
            let nodes = clients
            let send: @Sendable () async -> Bool = {
                let client = nodes[turn.wrappingAdd(1, ordering: .relaxed).oldValue % nodes.count]
                return (try? await client.send("GET", path))?.status == 200
            }
            let transport = exchange.transport
            let concurrency = options.concurrency
            // Warm both paths (connections, caches) before measuring.
            _ = await measure("warm-up", count: 100, concurrency: concurrency) { (try? await transport.send(direct))?.status == 200 }
            _ = await measure("warm-up", count: 100, concurrency: concurrency, send)
            let baseline = await measure("direct to provider (mTLS)", count: options.requests, concurrency: concurrency) {
                (try? await transport.send(direct))?.status == 200
            }
            let through = await measure("through Rabt (\(setting.nodes) node\(setting.nodes == 1 ? "" : "s"))", count: options.requests, concurrency: concurrency, send)
            await exchange.stop()
            return Outcome(setting: setting, baseline: baseline, through: through)
        } catch {
            await exchange.stop()
            throw error
        }
    }
}
