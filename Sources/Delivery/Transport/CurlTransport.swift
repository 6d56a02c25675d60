import CCurl
import Logging

/// libcurl once per process, before any transport thread starts; Swift runs a global's
/// initialiser exactly once, thread-safely.
private let curlGlobalInitResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// A `Transport` over libcurl's multi interface, driven by one dedicated thread.
///
/// Exchanges never block the caller: `send` hands an easy handle to the transport's thread and
/// suspends until that thread resumes it. Connections are kept alive and reused across exchanges
/// through the multi handle's connection cache (only between requests with equal `TLSSettings`).
/// Redirects are never followed, HTTP/1.1 only, response bodies are capped.
public final class CurlTransport: Transport {
    /// Limits and timeouts of a transport.
    public struct Configuration: Sendable {
        /// Largest accepted response body; bigger ones fail with `response-too-large`.
        public var maxResponseSize: Int
        /// Upper bound for establishing a connection (TCP and TLS), within the request's timeout.
        public var connectTimeout: Duration
        /// Idle connections kept open for reuse.
        public var maxCachedConnections: Int
        /// Open connections at most to one host; further exchanges wait for a free one.
        public var maxConnectionsPerHost: Int
        /// Open connections at most overall; further exchanges wait for a free one.
        public var maxTotalConnections: Int
        /// How long an idle connection may be reused.
        public var maxIdleTime: Duration
        /// When set, every address a connection would open to is checked first (libcurl's
        /// `CURLOPT_OPENSOCKETFUNCTION`, after DNS, before connecting) and a refused one is never
        /// connected to (`destination-refused`); no proxy is used, so the address checked is the
        /// provider's own. Unset for clients that talk to the broker itself.
        public var destinations: DestinationGuard?

        /// Creates a configuration.
        public init(
            maxResponseSize: Int = 10 * 1024 * 1024,
            connectTimeout: Duration = .seconds(5),
            maxCachedConnections: Int = 64,
            maxConnectionsPerHost: Int = 16,
            maxTotalConnections: Int = 128,
            maxIdleTime: Duration = .seconds(60),
            destinations: DestinationGuard? = nil
        ) {
            self.maxResponseSize = maxResponseSize
            self.connectTimeout = connectTimeout
            self.maxCachedConnections = maxCachedConnections
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxTotalConnections = maxTotalConnections
            self.maxIdleTime = maxIdleTime
            self.destinations = destinations
        }
    }

    private let configuration: Configuration
    private let loop: CurlMultiLoop
    private let logger: Logger

    /// Creates a transport and starts its thread.
    public init(configuration: Configuration = .init(), logger: Logger) {
        precondition(curlGlobalInitResult == CURLE_OK, "curl_global_init failed")
        self.configuration = configuration
        self.logger = logger
        self.loop = CurlMultiLoop(configuration: configuration, logger: logger)
        loop.start()
    }

    deinit {
        loop.shutdown()
    }

    /// Performs one exchange on the transport's thread.
    public func send(_ request: OutboundRequest) async throws(DeliveryError) -> InboundResponse {
        let exchange = try CurlExchange(request: request, configuration: configuration)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<InboundResponse, DeliveryError>, Never>) in
                exchange.continuation = continuation
                loop.submit(exchange)
            }
        } onCancel: {
            exchange.requestCancel()
            loop.wakeup()
        }
        switch result {
        case .success(let response):
            logger.debug("delivery exchange done", metadata: [
                "delivery.status": "\(response.status)",
                "delivery.new_connections": "\(response.metrics.newConnections)",
            ])
            return response
        case .failure(let error):
            logger.debug("delivery exchange failed", metadata: ["delivery.error": "\(error.code)"])
            throw error
        }
    }

    /// Stops the thread; exchanges still in flight fail with `shutdown`. Safe to call twice.
    public func shutdown() {
        loop.shutdown()
    }
}
