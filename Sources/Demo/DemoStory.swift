import Agencies
import Audit
import Broker
import Delivery
import Foundation
import Logging
import Signing

/// `rabt demo`: the whole exchange on this machine, told step by step.
public struct DemoStory: Sendable {
    let workdir: URL
    let contracts: URL
    let logger: Logger
    let out: DemoPrinter

    public init(workdir: URL, contracts: URL, logger: Logger, write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.workdir = workdir
        self.contracts = contracts
        self.logger = logger
        self.out = DemoPrinter(write: write)
    }

    /// Runs every scene; throws only when the demo's own set-up fails.
    public func run() async throws {
        out.title("Rabt demo — working folder \(workdir.path)")
        let exchange = try await LocalExchange.start(
            in: workdir, providers: ["moj": JusticeMinistry.routes(), "rop": TrafficDepartment.routes()], logger: logger
        )
        do {
            try await tell(exchange)
        } catch {
            await exchange.stop()
            throw error
        }
        await exchange.stop()
    }

    private func tell(_ exchange: LocalExchange) async throws {
        out.step("Set-up")
        out.line("development PKI      \(exchange.pki.directory.path) (exchange CA, Rabt, 4 agencies, an operator, an auditor)")
        out.line("broker               \(exchange.brokerURL)  TLS 1.2+, client certificate required")
        out.line("audit + registry     \(exchange.databasePath) (SQLite, WAL)")
        for (id, server) in exchange.providers.sorted(by: { $0.key < $1.key }) {
            out.line("provider \(id)         \(server.baseURL ?? "?")  (HTTPS, requires Rabt's client certificate)")
        }
        let spfURL = "https://127.0.0.1:\(try Loopback.unusedPort())"
        out.line("provider spf         \(spfURL)  (registered, but nothing listens: it is down)")

        out.step("The operator registers agencies, keys, endpoints and contracts (admin API, operator certificate)")
        try await exchange.register(
            endpoints: [
                "moj": exchange.providers["moj"]?.baseURL ?? "", "rop": exchange.providers["rop"]?.baseURL ?? "", "spf": spfURL,
            ],
            contracts: contracts,
            report: out.line
        )

        let scenes = DemoScenes(exchange: exchange, out: out)
        try await scenes.accepted()
        try await scenes.invalidPayload()
        try await scenes.consumerNotAllowed()
        try await scenes.tamperedBody()
        try await scenes.wrongKey()
        try await scenes.retried()
        try await scenes.providerDown()
        try await scenes.asynchronous()

        out.step("The audit log of this run")
        let entries = try await exchange.auditEntries()
        out.auditTable(entries)
        out.line("")
        out.line("\(entries.count) entries; each leaf hash is SHA-256(0x00 ‖ canonical JSON) as RFC 9162 says.")

        try await DemoAuditScenes(exchange: exchange, out: out).run()
        guard out.unexpected == 0 else {
            throw DemoError("\(out.unexpected) outcome(s) were not what Rabt promises; see ✗ above")
        }
        out.step("Every outcome was as promised.")
    }
}

/// Loopback helpers for the demo.
public enum Loopback {
    /// A TCP port on 127.0.0.1 nothing listens on right now (bound, read, released).
    public static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DemoError("cannot open a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw DemoError("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
