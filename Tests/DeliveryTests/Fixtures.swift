import Agencies
import FieldLines
import HTTPTypes
import Delivery
import Foundation
import Logging
import Signing
import Synchronization
import Testing

/// A clock whose sleeps return at once and move its time forward, recording each wait.
final class VirtualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    var now: Instant { Instant(offset: state.withLock { $0.now }) }
    var minimumResolution: Duration { .zero }
    /// Every wait requested, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(deadline.offset - state.now)
            state.now = max(state.now, deadline.offset)
        }
    }
}

/// A generator that always returns the same value, so jitter is predictable.
struct SendableFixedGenerator: RandomNumberGenerator, Sendable {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

/// Development PKIs in temporary folders: the exchange CA and, for rejection tests, a foreign one.
struct TestPKI {
    let pki: DevelopmentPKI
    let foreign: DevelopmentPKI
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-delivery-\(UUID().uuidString)")
        pki = try DevelopmentPKI.create(in: root.appendingPathComponent("exchange"), agencies: [.init(id: "moj")], operators: [])
        foreign = try DevelopmentPKI.create(in: root.appendingPathComponent("foreign"), agencies: [.init(id: "moj")], operators: [])
    }

    /// The provider's server TLS, requiring a client certificate from the exchange CA.
    var providerTLS: ProviderServer.TLS {
        .init(pki: pki, agency: "moj")
    }

    /// Rabt's client TLS, trusting the exchange CA.
    var rabtTLS: TLSSettings {
        .init(caFile: pki.caCertificate.path, clientCertificateFile: pki.rabtCertificate.path, clientKeyFile: pki.rabtKey.path)
    }

    /// A client certificate from another CA, which the provider must reject.
    var foreignTLS: TLSSettings {
        .init(caFile: pki.caCertificate.path, clientCertificateFile: foreign.rabtCertificate.path, clientKeyFile: foreign.rabtKey.path)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

var testLogger: Logger {
    var logger = Logger(label: "delivery-tests")
    logger.logLevel = .warning
    return logger
}

/// Routes every test server serves.
let testRoutes: [ProviderRoute] = [
    ProviderRoute("GET", "/hello") { _ in .text(200, "hello") },
    ProviderRoute("POST", "/echo") { request in
        ProviderResponse(status: 200, headers: HTTPFields([("Content-Type", "application/octet-stream")]), body: request.body)
    },
    ProviderRoute("PUT", "/echo") { request in ProviderResponse(status: 200, body: request.body) },
    ProviderRoute("DELETE", "/echo") { request in .text(200, "deleted \(request.body.count)") },
    ProviderRoute("HEAD", "/hello") { _ in ProviderResponse(status: 204) },
    ProviderRoute("GET", "/moved") { _ in
        ProviderResponse(status: 302, headers: HTTPFields([("Location", "/hello")]))
    },
    ProviderRoute("GET", "/big") { _ in ProviderResponse(status: 200, body: Array(repeating: 0x61, count: 10_000)) },
    ProviderRoute("GET", "/items/{id}") { request in .text(200, "item \(request.parameters["id"] ?? "?")") },
]

/// Runs `body` with a started provider server, stopping it afterwards.
func withProvider<T>(
    tls: ProviderServer.TLS? = nil,
    _ body: (ProviderServer, String) async throws -> T
) async throws -> T {
    let server = ProviderServer(name: "test", routes: testRoutes, tls: tls, logger: testLogger)
    _ = try await server.start()
    let baseURL = try #require(server.baseURL)
    do {
        let result = try await body(server, baseURL)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// A loopback URL whose port refuses connections: a server was bound there and stopped.
func refusedURL(scheme: String = "http") async throws -> String {
    let server = ProviderServer(name: "closed", tls: nil, logger: testLogger)
    let port = try await server.start()
    await server.stop()
    return "\(scheme)://127.0.0.1:\(port)"
}

/// Sends through `transport`, returning the error code of a failure.
func failureCode(_ transport: some Transport, _ request: OutboundRequest) async -> DeliveryError.Code? {
    do {
        _ = try await transport.send(request)
        return nil
    } catch {
        return error.code
    }
}
