import Foundation

/// A published contract version: the original document text, kept immutable.
public struct ContractRecord: Codable, Sendable, Hashable {
    /// The document's syntax.
    public enum Format: String, Codable, Sendable, Hashable {
        /// YAML text.
        case yaml
        /// JSON text.
        case json
    }

    /// Provider agency id.
    public var provider: String
    /// Service name.
    public var service: String
    /// Major version.
    public var version: Int
    /// The document exactly as published.
    public var document: String
    /// The document's syntax.
    public var format: Format
    /// SHA-256 of the document's UTF-8 bytes, `sha-256=:BASE64:` (the same form as audit digests).
    public var digest: String
    /// Consumers listed by the contract: its initial grants.
    public var consumers: [String]
    /// When this version was published.
    public var publishedAt: Date
    /// When an operator deprecated this version; calls still go through, answered with
    /// `Deprecation` and `Sunset` headers.
    public var deprecatedAt: Date?
    /// From when calls to this version are refused (`contract-sunset`).
    public var sunsetAt: Date?

    /// Creates a record; the digest is computed from `document`.
    public init(
        provider: String,
        service: String,
        version: Int,
        document: String,
        format: Format,
        consumers: [String],
        publishedAt: Date = Date(),
        deprecatedAt: Date? = nil,
        sunsetAt: Date? = nil
    ) {
        self.provider = provider
        self.service = service
        self.version = version
        self.document = document
        self.format = format
        self.digest = ContractRecord.digest(of: document)
        self.consumers = consumers
        self.publishedAt = publishedAt
        self.deprecatedAt = deprecatedAt
        self.sunsetAt = sunsetAt
    }

    /// `provider/service/vN`.
    public var id: String { "\(provider)/\(service)/v\(version)" }

    /// The digest form used for documents.
    public static func digest(of document: String) -> String {
        AuditEventDigest.of(document)
    }

    /// What every engine checks before publishing: the digest is the document's.
    func requireMatchingDigest() throws(StoreError) {
        guard digest == Self.digest(of: document) else {
            throw StoreError(code: .invalidArgument, message: "contract digest does not match its document")
        }
    }
}

/// What publishing did.
public enum ContractPublication: Sendable, Hashable {
    /// A new version was stored and its consumers granted.
    case published(ContractRecord)
    /// The same version with the same digest existed already; nothing changed.
    case unchanged(ContractRecord)

    /// The stored record.
    public var contract: ContractRecord {
        switch self {
        case .published(let record), .unchanged(let record): record
        }
    }
}

/// A consumer's permission to call one provider service version.
public struct Grant: Codable, Sendable, Hashable {
    /// Consumer agency id.
    public var consumer: String
    /// Provider agency id.
    public var provider: String
    /// Service name.
    public var service: String
    /// Major version.
    public var version: Int
    /// When the grant was made.
    public var createdAt: Date

    /// Creates a grant record.
    public init(consumer: String, provider: String, service: String, version: Int, createdAt: Date = Date()) {
        self.consumer = consumer
        self.provider = provider
        self.service = service
        self.version = version
        self.createdAt = createdAt
    }
}
