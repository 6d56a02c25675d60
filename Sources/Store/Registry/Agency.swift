import Foundation

/// A registered agency: a consumer, a provider or both.
public struct Agency: Codable, Sendable, Hashable {
    /// Whether an agency may take part in exchanges.
    public enum Status: String, Codable, Sendable, Hashable {
        /// Takes part in exchanges.
        case active
        /// Refused as consumer and provider until reactivated.
        case suspended
    }

    /// Short stable id, e.g. `moj`.
    public var id: String
    /// Display name.
    public var name: String
    /// Current status.
    public var status: Status
    /// When the agency was registered (millisecond precision once stored).
    public var createdAt: Date

    /// Creates an agency record.
    public init(id: String, name: String, status: Status = .active, createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.status = status
        self.createdAt = createdAt
    }
}
