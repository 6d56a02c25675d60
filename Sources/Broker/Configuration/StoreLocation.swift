import Foundation
import Logging
import Store

/// Where a node keeps its state, from `--database` / `RABT_DATABASE`: an SQLite file, the embedded
/// default for one node, or a `postgres://user:password@host:port/database` URL naming the
/// PostgreSQL database several nodes share.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// Reads a `--database` value: a `postgres://` or `postgresql://` URL, or else a file path.
    public init(_ value: String) {
        let lowered = value.lowercased()
        self = lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") ? .postgres(url: value) : .sqlite(path: value)
    }

    /// The location for messages and logs: a PostgreSQL URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return path
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "the PostgreSQL database" }
            components.password = nil
            return components.string ?? "the PostgreSQL database"
        }
    }

    /// Opens the store, creating or migrating its schema. `busyTimeout` applies to SQLite,
    /// `maximumConnections` and `sequencerSessionTimeout` to PostgreSQL (`PostgresStore.Configuration`).
    public func open(
        busyTimeout: Duration = .seconds(5), maximumConnections: Int = 10, sequencerSessionTimeout: Duration = .seconds(180),
        logger: Logger = Logger(label: "rabt.store")
    ) async throws(StoreError) -> any ExchangeStore {
        switch self {
        case .sqlite(let path):
            return try await SQLiteStore(path: path, configuration: .init(busyTimeout: busyTimeout))
        case .postgres(let url):
            return try await PostgresStore(url: url, configuration: .init(
                maximumConnections: maximumConnections, sequencerSessionTimeout: sequencerSessionTimeout, logger: logger
            ))
        }
    }
}
