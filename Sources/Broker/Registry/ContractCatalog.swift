import Contracts
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
    private let contracts = Mutex<[Key: [Int: Contract]]>([:])

    /// The contract for a provider service: the named major version, or the highest published one.
    func contract(provider: String, service: String, version: Int?) -> Contract? {
        contracts.withLock { table in
            guard let versions = table[Key(provider: provider, service: service)] else { return nil }
            if let version { return versions[version] }
            return versions.max { $0.key < $1.key }?.value
        }
    }

    /// Makes a compiled contract available to the exchange path.
    func add(_ contract: Contract) {
        let exchange = contract.exchange
        contracts.withLock { table in
            table[Key(provider: exchange.provider, service: exchange.service), default: [:]][exchange.version] = contract
        }
    }

    /// Compiles every contract the store holds. A stored contract that no longer compiles is
    /// logged and skipped rather than stopping the node: the others keep being served.
    func load(from store: SQLiteStore, logger: Logger) async throws {
        for record in try await store.contracts() {
            do {
                add(try Contract(parsing: record.document))
            } catch {
                logger.error(
                    "stored contract does not compile; it is not served",
                    metadata: ["contract.id": "\(record.provider)/\(record.service)/v\(record.version)", "error": "\(error)"]
                )
            }
        }
    }
}
