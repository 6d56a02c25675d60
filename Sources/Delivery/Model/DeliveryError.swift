/// The one error type of the Delivery module: a stable code, a message and the underlying cause.
public struct DeliveryError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with a stable wire string.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case connectFailed = "connect-failed"
            case connectTimeout = "connect-timeout"
            case dnsFailed = "dns-failed"
            case destinationRefused = "destination-refused"
            case tlsFailed = "tls-failed"
            case tlsRejected = "tls-rejected"
            case timeout = "timeout"
            case reset = "reset"
            case protocolError = "protocol-error"
            case responseTooLarge = "response-too-large"
            case invalidRequest = "invalid-request"
            case cancelled = "cancelled"
            case shutdown = "shutdown"
            case transportFailed = "transport-failed"
            case providerUnavailable = "provider-unavailable"
            case providerTimeout = "provider-timeout"
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The TCP connection could not be opened (refused, unreachable).
        public static let connectFailed = Code(.connectFailed)
        /// The TCP or TLS connection was not established before the timeout; nothing was sent.
        public static let connectTimeout = Code(.connectTimeout)
        /// The provider's host name did not resolve.
        public static let dnsFailed = Code(.dnsFailed)
        /// Every address the URL led to is one Rabt does not connect to (``DestinationPolicy``):
        /// nothing was sent.
        public static let destinationRefused = Code(.destinationRefused)
        /// The TLS handshake failed (server certificate not trusted, protocol mismatch, bad local files).
        public static let tlsFailed = Code(.tlsFailed)
        /// The provider rejected Rabt's client certificate.
        public static let tlsRejected = Code(.tlsRejected)
        /// The exchange timed out after the connection was established.
        public static let timeout = Code(.timeout)
        /// The connection was reset or closed before a complete response arrived.
        public static let reset = Code(.reset)
        /// The provider answered with something that is not valid HTTP/1.1.
        public static let protocolError = Code(.protocolError)
        /// The response body exceeded the configured maximum size.
        public static let responseTooLarge = Code(.responseTooLarge)
        /// The request itself is unusable (malformed URL, unsupported scheme, bad header).
        public static let invalidRequest = Code(.invalidRequest)
        /// The caller's task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The transport was shut down before the exchange finished.
        public static let shutdown = Code(.shutdown)
        /// Any other libcurl failure.
        public static let transportFailed = Code(.transportFailed)
        /// Delivery gave up: the provider could not be reached or kept failing.
        public static let providerUnavailable = Code(.providerUnavailable)
        /// Delivery gave up: the deadline passed or every attempt timed out.
        public static let providerTimeout = Code(.providerTimeout)

        /// The stable string used on the wire and in audit entries.
        public var wireString: String { value.rawValue }
        /// The wire string.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation; never contains payloads or keys.
    public var message: String
    /// The libcurl `CURLcode`, when libcurl reported the failure.
    public var curlCode: Int?
    /// The error that led to this one (for delivery outcomes, the last attempt's error).
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(code: Code, message: String, curlCode: Int? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.curlCode = curlCode
        self.cause = cause
    }

    /// `code: message`, with the curl code when there is one.
    public var description: String {
        var text = "\(code.wireString): \(message)"
        if let curlCode { text += " (curl \(curlCode))" }
        if let cause { text += "; caused by \(cause)" }
        return text
    }
}
