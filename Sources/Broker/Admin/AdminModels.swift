import Foundation
import Store

// The admin API's request and response bodies, shared by the broker and the `rabt` CLI.
// Field names are stable: scripts read them through `--output json`.

/// `POST /admin/agencies`: registers an agency. Its client certificate's CN must equal `id`.
public struct AgencyRegistration: Codable, Sendable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// An agency as the admin API shows it.
public struct AgencyView: Codable, Sendable {
    public var id: String
    public var name: String
    public var status: String
    public var createdAt: Date
}

/// `POST /admin/agencies/{id}/keys`: registers a signature key of that agency.
public struct KeyRegistration: Codable, Sendable {
    public var keyId: String
    /// `ed25519`, `ecdsa-p256-sha256` or `rsa-pss-sha512`.
    public var algorithm: String
    /// A PEM public key or certificate.
    public var publicKey: String
    public var notBefore: Date?
    public var notAfter: Date?

    public init(keyId: String, algorithm: String, publicKey: String, notBefore: Date? = nil, notAfter: Date? = nil) {
        self.keyId = keyId
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}

/// A signature key as the admin API shows it (never the key material's private part: there is none).
public struct KeyView: Codable, Sendable {
    public var keyId: String
    public var agency: String
    public var algorithm: String
    public var notBefore: Date?
    public var notAfter: Date?
    public var revokedAt: Date?

    /// When the key stops verifying: the earlier of `notAfter` and `revokedAt`.
    public var validUntil: Date? { [notAfter, revokedAt].compactMap { $0 }.min() }
}

/// `PUT /admin/agencies/{id}/endpoint`: where the provider agency serves its contracts.
public struct EndpointSetting: Codable, Sendable {
    /// Base URLs tried in order (failover).
    public var urls: [String]
    /// Per-attempt timeout in milliseconds; the contract's deadline still bounds the whole exchange.
    public var timeoutMilliseconds: Int?
    /// TLS files on the broker nodes for this provider (absolute paths): a CA bundle that
    /// verifies its server certificate, and the client certificate and key Rabt presents to it.
    /// Absent fields use the exchange CA and Rabt's own certificate.
    public var tls: ProviderEndpoint.TLS?

    public init(urls: [String], timeoutMilliseconds: Int? = nil, tls: ProviderEndpoint.TLS? = nil) {
        self.urls = urls
        self.timeoutMilliseconds = timeoutMilliseconds
        self.tls = tls
    }
}

/// A provider endpoint as the admin API shows it.
public struct EndpointView: Codable, Sendable {
    public var provider: String
    public var urls: [String]
    public var timeoutMilliseconds: Int?
    /// Set only when the endpoint overrides the exchange's TLS defaults.
    public var tls: ProviderEndpoint.TLS?
    public var updatedAt: Date
}

/// A published contract as the admin API shows it.
public struct ContractView: Codable, Sendable {
    public var provider: String
    public var service: String
    public var version: Int
    /// SHA-256 of the published document, hex.
    public var digest: String
    public var consumers: [String]
    /// `METHOD /template` of every operation.
    public var operations: [String]
    public var publishedAt: Date
    /// When an operator deprecated the version.
    public var deprecatedAt: Date?
    /// From when calls to the version are refused (`contract-sunset`).
    public var sunsetAt: Date?
    /// False when this exact version was already published with the same text.
    public var created: Bool?
}

/// `GET /admin/contracts/{provider}/{service}/versions/{version}`: a version with its document.
public struct ContractDetailView: Codable, Sendable {
    public var contract: ContractView
    /// `yaml` or `json`.
    public var format: String
    /// The document exactly as published.
    public var document: String
}

/// `POST /admin/contracts/{provider}/{service}/versions/{version}/deprecate`.
public struct ContractDeprecation: Codable, Sendable {
    /// From when calls are refused; must lie in the future.
    public var sunset: Date

    public init(sunset: Date) {
        self.sunset = sunset
    }
}

/// `GET /admin/agencies/{id}`: an agency with its keys and endpoint.
public struct AgencyDetailView: Codable, Sendable {
    public var agency: AgencyView
    public var keys: [KeyView]
    public var endpoint: EndpointView?
}

/// `POST /admin/agencies/{id}/keys/{keyId}/revoke`: when the key stops verifying (now when absent).
public struct KeyRevocation: Codable, Sendable {
    public var at: Date?

    public init(at: Date? = nil) {
        self.at = at
    }
}

/// `POST /admin/agencies/{id}/keys/{keyId}/rotate`: the new key, active at once, and until when the
/// old one still verifies (requests signed before the switch, clients not yet updated).
public struct KeyRotation: Codable, Sendable {
    public var newKey: KeyRegistration
    public var oldKeyValidUntil: Date

    public init(newKey: KeyRegistration, oldKeyValidUntil: Date) {
        self.newKey = newKey
        self.oldKeyValidUntil = oldKeyValidUntil
    }
}

/// `POST /admin/grants` and `DELETE /admin/grants`: a consumer agency and a provider service version.
public struct GrantRequest: Codable, Sendable, Hashable {
    public var consumer: String
    public var provider: String
    public var service: String
    public var version: Int

    public init(consumer: String, provider: String, service: String, version: Int) {
        self.consumer = consumer
        self.provider = provider
        self.service = service
        self.version = version
    }
}

/// A grant as the admin API shows it.
public struct GrantView: Codable, Sendable, Hashable {
    public var consumer: String
    public var provider: String
    public var service: String
    public var version: Int
    public var createdAt: Date?
    /// False when adding found the grant already there, or revoking found none.
    public var changed: Bool?
}

/// `PUT /admin/maintenance`.
public struct MaintenanceSetting: Codable, Sendable {
    public var enabled: Bool
    /// What refused consumers are told to wait (`Retry-After`), 1–86400 s; 30 by default.
    public var retryAfterSeconds: Int?
    /// Shown to refused consumers and in the audit entry.
    public var reason: String?

    public init(enabled: Bool, retryAfterSeconds: Int? = nil, reason: String? = nil) {
        self.enabled = enabled
        self.retryAfterSeconds = retryAfterSeconds
        self.reason = reason
    }
}

/// A node's maintenance state, with the exchanges still in flight (draining when in maintenance).
public struct MaintenanceView: Codable, Sendable {
    public var enabled: Bool
    public var since: Date?
    public var retryAfterSeconds: Int
    public var reason: String?
    public var exchangesInFlight: Int
}

/// One URL of `rabt endpoint test`: whether Rabt reached it and, if not, at which stage it failed.
public struct EndpointCheck: Codable, Sendable {
    public var url: String
    /// True when an HTTP answer came back (any status: the endpoint is reachable).
    public var reachable: Bool
    /// `dns`, `connect`, `tls` or `http`: the last stage reached.
    public var stage: String
    public var status: Int?
    /// What happened, in plain words.
    public var message: String
    public var durationMs: Int
}

/// `POST /admin/principals`: register an operator or auditor certificate.
public struct PrincipalRegistration: Codable, Sendable {
    /// Defaults to the certificate's CN.
    public var name: String?
    /// `operator` or `auditor`; the certificate's OU must say the same.
    public var role: String
    /// The client certificate, PEM.
    public var certificate: String

    public init(name: String?, role: String, certificate: String) {
        self.name = name
        self.role = role
        self.certificate = certificate
    }
}

/// A registered operator or auditor.
public struct PrincipalView: Codable, Sendable {
    public var name: String
    public var role: String
    public var subject: String
    /// SHA-256 of the certificate's DER bytes, hex.
    public var fingerprint: String
    public var notAfter: Date
    public var createdAt: Date
}
