import Foundation

/// Where Rabt delivers a provider's requests.
public struct ProviderEndpoint: Codable, Sendable, Hashable {
    /// TLS files for talking to the provider; absent fields fall back to Rabt's defaults.
    public struct TLS: Codable, Sendable, Hashable {
        /// CA bundle (PEM file path) that verifies the provider's server certificate.
        public var caFile: String?
        /// Rabt's client certificate for this provider (PEM file path).
        public var clientCertificateFile: String?
        /// The private key of that certificate (PEM file path).
        public var clientKeyFile: String?

        /// Creates TLS settings.
        public init(caFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil) {
            self.caFile = caFile
            self.clientCertificateFile = clientCertificateFile
            self.clientKeyFile = clientKeyFile
        }
    }

    /// The provider agency id.
    public var providerId: String
    /// Base URLs, tried in order for failover.
    public var urls: [String]
    /// Deadline for one attempt (stored in whole milliseconds).
    public var timeout: Duration
    /// TLS settings.
    public var tls: TLS
    /// When the endpoint was last set.
    public var updatedAt: Date

    /// Creates an endpoint record.
    public init(
        providerId: String,
        urls: [String],
        timeout: Duration = .seconds(5),
        tls: TLS = TLS(),
        updatedAt: Date = Date()
    ) {
        self.providerId = providerId
        self.urls = urls
        self.timeout = timeout
        self.tls = tls
        self.updatedAt = updatedAt
    }
}
