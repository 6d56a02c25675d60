import ArgumentParser
import Broker
import Foundation

/// The limits of `rabt serve`, each also read from the environment (docs/limits.md lists them).
struct LimitOptions: ParsableArguments {
    private static func number(_ variable: String) -> Int? {
        ProcessInfo.processInfo.environment[variable].flatMap(Int.init)
    }

    @Option(name: .customLong("max-connections"), help: "Connections this node holds open at once (RABT_MAX_CONNECTIONS).")
    var maxConnections: Int = number("RABT_MAX_CONNECTIONS") ?? ConnectionLimits().maxConnections

    @Option(name: .customLong("max-connections-per-certificate"), help: "Connections one client certificate holds open on this node (RABT_MAX_CONNECTIONS_PER_CERTIFICATE).")
    var maxConnectionsPerCertificate: Int = number("RABT_MAX_CONNECTIONS_PER_CERTIFICATE") ?? ConnectionLimits().maxConnectionsPerCertificate

    @Option(name: .customLong("request-head-timeout"), help: "Seconds from a connection's arrival (TLS handshake included) or from an answer until a request's header section is read (RABT_REQUEST_HEAD_TIMEOUT).")
    var requestHeadTimeout: Int = number("RABT_REQUEST_HEAD_TIMEOUT") ?? 10

    @Option(name: .customLong("idle-timeout"), help: "Seconds a kept-alive connection may wait between an answer and the next request (RABT_IDLE_TIMEOUT).")
    var idleTimeout: Int = number("RABT_IDLE_TIMEOUT") ?? 60

    @Option(name: .customLong("min-body-rate"), help: "Bytes per second a request body must average after its first 5 seconds (RABT_MIN_BODY_RATE).")
    var minBodyRate: Int = number("RABT_MIN_BODY_RATE") ?? ConnectionLimits().minBodyRate

    @Option(name: .customLong("max-header-count"), help: "Header fields one request may carry (RABT_MAX_HEADER_COUNT).")
    var maxHeaderCount: Int = number("RABT_MAX_HEADER_COUNT") ?? ConnectionLimits().maxHeaderCount

    @Option(name: .customLong("max-header-bytes"), help: "Bytes of one request's header section (RABT_MAX_HEADER_BYTES).")
    var maxHeaderBytes: Int = number("RABT_MAX_HEADER_BYTES") ?? ConnectionLimits().maxHeaderBytes

    @Option(name: .customLong("max-request-body"), help: "Bytes of one exchange request body (RABT_MAX_REQUEST_BODY).")
    var maxRequestBody: Int = number("RABT_MAX_REQUEST_BODY") ?? BrokerConfiguration.Exchange().maxRequestBody

    @Option(name: .customLong("max-exchanges-per-agency"), help: "Exchanges one agency may have in progress on this node (RABT_MAX_EXCHANGES_PER_AGENCY).")
    var maxExchangesPerAgency: Int = number("RABT_MAX_EXCHANGES_PER_AGENCY") ?? BrokerConfiguration.Exchange().maxExchangesPerAgency

    func validate() throws {
        let positive: [(String, Int)] = [
            ("--max-connections", maxConnections), ("--max-connections-per-certificate", maxConnectionsPerCertificate),
            ("--request-head-timeout", requestHeadTimeout), ("--idle-timeout", idleTimeout),
            ("--max-header-count", maxHeaderCount), ("--max-header-bytes", maxHeaderBytes), ("--max-request-body", maxRequestBody),
            ("--max-exchanges-per-agency", maxExchangesPerAgency),
        ]
        for (name, value) in positive where value < 1 {
            throw ValidationError("\(name) must be at least 1, not \(value).")
        }
        guard minBodyRate >= 0 else { throw ValidationError("--min-body-rate must not be negative.") }
    }

    /// These limits written into `configuration`.
    func apply(to configuration: inout BrokerConfiguration) {
        configuration.connections.maxConnections = maxConnections
        configuration.connections.maxConnectionsPerCertificate = maxConnectionsPerCertificate
        configuration.connections.requestHeadTimeout = .seconds(requestHeadTimeout)
        configuration.connections.idleTimeout = .seconds(idleTimeout)
        configuration.connections.minBodyRate = minBodyRate
        configuration.connections.maxHeaderCount = maxHeaderCount
        configuration.connections.maxHeaderBytes = maxHeaderBytes
        configuration.exchange.maxRequestBody = maxRequestBody
        configuration.exchange.maxExchangesPerAgency = maxExchangesPerAgency
    }
}
