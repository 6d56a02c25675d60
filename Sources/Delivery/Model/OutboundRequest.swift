import HTTPTypes

/// TLS material and checks for one outbound connection; part of libcurl's connection-reuse key.
public struct TLSSettings: Sendable, Hashable {
    /// PEM file of CA certificates that may sign the provider's certificate; `nil` uses the system store.
    public var caFile: String?
    /// PEM file of the client certificate (chain) presented to the provider.
    public var clientCertificateFile: String?
    /// PEM file of the client certificate's private key.
    public var clientKeyFile: String?
    /// Whether the provider's certificate and host name are verified. Only tests turn this off.
    public var verifyPeer: Bool

    /// Creates TLS settings.
    public init(caFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil, verifyPeer: Bool = true) {
        self.caFile = caFile
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
        self.verifyPeer = verifyPeer
    }
}

/// One HTTP request to send to a provider.
public struct OutboundRequest: Sendable {
    /// The HTTP method, e.g. `GET` or `POST`.
    public var method: String
    /// The absolute `http` or `https` URL.
    public var url: String
    /// Header fields to send, in order. Hop-by-hop fields should already be stripped.
    public var headers: HTTPFields
    /// The request body, sent unchanged (empty for none).
    public var body: [UInt8]
    /// Upper bound for the whole exchange (connect, send, receive).
    public var timeout: Duration
    /// TLS material for the connection.
    public var tls: TLSSettings
    /// When set, the response body is written to this file (created or truncated) instead of
    /// memory, without the transport's size limit, and `InboundResponse.body` stays empty: for
    /// downloads such as audit exports. A file it creates is readable by its owner only (0600).
    public var responseFile: String?
    /// When set (`host:port`), the connection goes there instead of to the URL's host and port,
    /// while the URL, its `Host` field and the TLS name stay as they are: how a client reaches
    /// one node of several behind a load balancer's name.
    public var connectTo: String?

    /// Creates a request.
    public init(method: String, url: String, headers: HTTPFields = [:], body: [UInt8] = [], timeout: Duration = .seconds(10), tls: TLSSettings = .init()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.tls = tls
    }

    /// Whether a retry cannot change the outcome on the provider: the method is idempotent
    /// (RFC 9110 section 9.2.2) or the request carries an `Idempotency-Key`.
    public var isIdempotent: Bool {
        let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]
        return idempotentMethods.contains(method.uppercased()) || headers.contains(.idempotencyKey)
    }
}

/// What libcurl measured for one exchange.
public struct TransferMetrics: Sendable, Hashable {
    /// Connections opened for this exchange: 0 when a pooled connection was reused.
    public var newConnections: Int
    /// Time from start to the last byte.
    public var totalTime: Duration

    /// Creates metrics.
    public init(newConnections: Int, totalTime: Duration) {
        self.newConnections = newConnections
        self.totalTime = totalTime
    }
}

/// The provider's answer.
public struct InboundResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Response header fields, in order (of the final response, not of interim 1xx ones).
    public var headers: HTTPFields
    /// The response body.
    public var body: [UInt8]
    /// libcurl's measurements for the exchange.
    public var metrics: TransferMetrics

    /// Creates a response.
    public init(status: Int, headers: HTTPFields = [:], body: [UInt8] = [], metrics: TransferMetrics = .init(newConnections: 0, totalTime: .zero)) {
        self.status = status
        self.headers = headers
        self.body = body
        self.metrics = metrics
    }
}

/// Sends one request and returns the response; retries are the caller's business.
public protocol Transport: Sendable {
    /// Performs one HTTP exchange.
    func send(_ request: OutboundRequest) async throws(DeliveryError) -> InboundResponse
}
