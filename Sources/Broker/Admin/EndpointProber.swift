import Delivery
import Foundation
import Store

/// `rabt endpoint test`: a live connection from Rabt to a provider's endpoint URLs, with Rabt's
/// client certificate and the exchange CA, reporting in plain words which stage failed.
struct EndpointProber: Sendable {
    let transport: any Transport
    let tls: TLSSettings

    func probe(_ url: String, timeout: Duration, endpointTLS: ProviderEndpoint.TLS = .init()) async -> EndpointCheck {
        let started = ContinuousClock.now
        let request = OutboundRequest(method: "GET", url: url, timeout: timeout, tls: tls.overridden(by: endpointTLS))
        let host = URL(string: url).map { "\($0.host ?? "?")\($0.port.map { ":\($0)" } ?? "")" } ?? url
        do {
            let response = try await transport.send(request)
            return EndpointCheck(
                url: url, reachable: true, stage: "http", status: response.status,
                message: "TLS handshake with Rabt's client certificate succeeded; the endpoint answered HTTP \(response.status).",
                durationMs: (ContinuousClock.now - started).milliseconds
            )
        } catch {
            let (stage, message): (String, String) =
                switch error.code {
                case .dnsFailed: ("dns", "The host name \(host) does not resolve (DNS).")
                case .connectFailed: ("connect", "Nothing accepts connections at \(host): refused or unreachable.")
                case .connectTimeout: ("connect", "No connection to \(host) within the timeout (filtered or down).")
                case .tlsFailed: ("tls", "The TLS handshake with \(host) failed: its certificate is not trusted by the exchange CA, does not name the host, or the protocols do not match.")
                case .tlsRejected: ("tls", "\(host) refused Rabt's client certificate; it must trust the exchange CA.")
                case .timeout: ("http", "Connected to \(host), but no HTTP answer within the timeout.")
                case .destinationRefused: ("destination", "Rabt does not connect to where \(host) leads: \(error.message).")
                default: ("http", "The exchange with \(host) failed: \(error.message).")
                }
            return EndpointCheck(url: url, reachable: false, stage: stage, status: nil, message: message,
                                 durationMs: (ContinuousClock.now - started).milliseconds)
        }
    }
}
