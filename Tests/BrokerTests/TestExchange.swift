import Agencies
import Broker
import Demo
import Audit
import Foundation
import Signing
import Logging

/// One exchange on loopback shared by the integration tests: PKI, broker over mTLS, the sample
/// providers moj and rop over HTTPS, spf registered at a port where nothing listens, and an
/// agency `xyz` with a valid certificate that is never registered.
actor TestExchange {
    /// For tests that do not script provider faults.
    static let shared = TestExchange()
    /// For tests that script provider faults, so they never disturb the others.
    static let faults = TestExchange()

    private var running: LocalExchange?

    /// The repository's `contracts/` folder.
    static var contracts: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("contracts")
    }

    func get() async throws -> LocalExchange {
        if let running { return running }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "rabt.tests")
        logger.logLevel = .critical
        let exchange = try await LocalExchange.start(
            in: directory, providers: ["moj": JusticeMinistry.routes(), "rop": TrafficDepartment.routes()],
            unregisteredAgencies: ["xyz"], logger: logger
        )
        try await exchange.register(
            endpoints: [
                "moj": exchange.providers["moj"]?.baseURL ?? "", "rop": exchange.providers["rop"]?.baseURL ?? "",
                "spf": "https://127.0.0.1:\(try Loopback.unusedPort())",
            ],
            contracts: Self.contracts
        )
        running = exchange
        return exchange
    }
}

extension LocalExchange {
    /// The audit entries of one exchange.
    func audit(of exchangeId: String?) async throws -> [String] {
        guard let exchangeId else { return [] }
        return try await auditEntries().filter { $0.event.exchangeId == exchangeId }.map(\.event.kind.rawValue)
    }
}
