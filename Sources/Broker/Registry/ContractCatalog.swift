import Audit
import Contracts
import Delivery
import Foundation
import HTTPTypes
import Logging
import Store
import Synchronization

/// The published contracts, compiled once when they are published (or at start-up) and shared
/// by every request: the exchange path never parses or compiles a schema.
final class ContractCatalog: Sendable {
    private struct Key: Hashable {
        let provider: String
        let service: String
    }

    /// Compiled contracts by provider service, then by major version.
    private let contracts = Mutex<[Key: [Int: PublishedContract]]>([:])

    /// The contract for a provider service: the named major version or, without one, the highest
    /// version whose sunset has not come (the highest of all when every version is sunset).
    func contract(provider: String, service: String, version: Int?, at now: Date = Date()) -> PublishedContract? {
        contracts.withLock { table in
            guard let versions = table[Key(provider: provider, service: service)] else { return nil }
            if let version { return versions[version] }
            var newest: PublishedContract?, newestServed: PublishedContract?
            for candidate in versions.values {
                let number = candidate.contract.exchange.version
                if number > newest?.contract.exchange.version ?? 0 { newest = candidate }
                if number > newestServed?.contract.exchange.version ?? 0, !candidate.lifecycle.isSunset(at: now) { newestServed = candidate }
            }
            return newestServed ?? newest
        }
    }

    /// Makes a compiled contract available to the exchange path, with its stored lifecycle.
    func add(_ contract: Contract, record: ContractRecord) {
        let exchange = contract.exchange
        let published = PublishedContract(contract: contract, lifecycle: ContractLifecycle(record))
        contracts.withLock { table in
            table[Key(provider: exchange.provider, service: exchange.service), default: [:]][exchange.version] = published
        }
    }

    /// Applies a deprecation to the served contract.
    func update(_ record: ContractRecord) {
        contracts.withLock { table in
            table[Key(provider: record.provider, service: record.service)]?[record.version]?.lifecycle = ContractLifecycle(record)
        }
    }

    /// The store's contracts revision the table was last loaded at.
    private let loaded = Mutex<ContractsRevision?>(nil)

    /// Compiles every contract the store holds. A stored contract that no longer compiles is
    /// logged and skipped rather than stopping the node: the others keep being served.
    func load(from store: any ExchangeStore, logger: Logger) async throws(StoreError) {
        let revision = try await store.contractsRevision()
        for record in try await store.contracts() {
            if contract(provider: record.provider, service: record.service, version: record.version) != nil {
                // Published versions never change; only their lifecycle does.
                update(record)
                continue
            }
            do {
                add(try Contract(parsing: record.document), record: record)
            } catch {
                logger.error(
                    "stored contract does not compile; it is not served",
                    metadata: ["contract.id": "\(record.provider)/\(record.service)/v\(record.version)", "error": "\(error)"]
                )
            }
        }
        // Read before the contracts: a change in between shows as a new revision next time.
        loaded.withLock { $0 = revision }
    }

    /// Loads what changed when the store's revision differs from the one last loaded: versions
    /// another node published are compiled, deprecations applied. One cheap query otherwise.
    func refresh(from store: any ExchangeStore, logger: Logger) async {
        do {
            let revision = try await store.contractsRevision()
            guard revision != loaded.withLock({ $0 }) else { return }
            try await load(from: store, logger: logger)
        } catch {
            logger.warning("contracts not refreshed", metadata: ["error.code": "\(error.code)"])
        }
    }
}

/// A compiled contract as the exchange path serves it.
struct PublishedContract: Sendable {
    let contract: Contract
    var lifecycle: ContractLifecycle
}

/// Where a contract version is in its life: current, deprecated, or sunset (refused).
struct ContractLifecycle: Sendable, Hashable {
    let deprecatedAt: Date?
    let sunsetAt: Date?
    /// `Deprecation` (RFC 9745, a structured-field date) and `Sunset` (RFC 8594, an HTTP date),
    /// added to answers of a deprecated version so consumers learn of it from their own traffic;
    /// formatted once, when the version is loaded or deprecated, not per answer.
    let headers: HTTPFields

    init(_ record: ContractRecord) {
        deprecatedAt = record.deprecatedAt
        sunsetAt = record.sunsetAt
        var headers = HTTPFields()
        if let deprecatedAt = record.deprecatedAt {
            headers.append(HTTPField(name: .deprecation, value: "@\(Int(deprecatedAt.timeIntervalSince1970))"))
            if let sunsetAt = record.sunsetAt { headers.append(HTTPField(name: .sunset, value: Self.httpDate(sunsetAt))) }
        }
        self.headers = headers
    }

    func isSunset(at date: Date) -> Bool {
        sunsetAt.map { $0 <= date } ?? false
    }

    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The IMF-fixdate form of HTTP dates (RFC 9110 section 5.6.7), `Sun, 06 Nov 1994 08:49:37 GMT`,
    /// rearranged from the RFC 3339 form the audit log writes.
    static func httpDate(_ date: Date) -> String {
        let text = Array(Timestamp.format(date).utf8)
        guard text.count == 24, let month = Int(String(decoding: text[5..<7], as: UTF8.self)), (1...12).contains(month) else {
            return Timestamp.format(date)
        }
        func part(_ range: Range<Int>) -> String { String(decoding: text[range], as: UTF8.self) }
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = weekdays[Int((days % 7 + 7) % 7)]
        return "\(weekday), \(part(8..<10)) \(months[month - 1]) \(part(0..<4)) \(part(11..<19)) GMT"
    }
}
