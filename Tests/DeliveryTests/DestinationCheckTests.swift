import Agencies
import Delivery
import Foundation
import Testing

@Suite("CurlTransport checks every address before it connects")
struct DestinationCheckTests {
    /// Sends a GET for `/hello` at `url` through a transport guarded by `guarded`; the answer's
    /// status, or the failure.
    func get(_ url: String, guarded: DestinationGuard?) async -> Result<Int, DeliveryError> {
        let transport = CurlTransport(configuration: .init(destinations: guarded), logger: testLogger)
        defer { transport.shutdown() }
        do {
            return .success(try await transport.send(OutboundRequest(method: "GET", url: url + "/hello")).status)
        } catch {
            return .failure(error)
        }
    }

    @Test("a loopback provider is never connected to by default, whether named by address or by name")
    func loopbackRefused() async throws {
        try await withProvider { server, base in
            let port = try #require(URL(string: base)?.port)
            for url in [base, "http://localhost:\(port)"] {
                guard case .failure(let error) = await get(url, guarded: DestinationGuard(DestinationPolicy())) else {
                    Issue.record("\(url) was reached")
                    continue
                }
                #expect(error.code == .destinationRefused, "\(url): \(error)")
                #expect(error.message.contains("port \(port) (a loopback address)"), "\(url): \(error.message)")
            }
            #expect(server.receivedRequests.isEmpty)
        }
    }

    @Test("allowing private destinations admits loopback, but never the node's own listening socket")
    func allowedButNotItself() async throws {
        try await withProvider { server, base in
            let port = try #require(URL(string: base)?.port)
            let allowed = DestinationGuard(DestinationPolicy(allowsPrivate: true))
            #expect(try await get(base, guarded: allowed).get() == 200)
            #expect(try await get(base, guarded: nil).get() == 200)
            let requests = server.receivedRequests.count

            // The same socket as the node's own: as if an endpoint named the broker itself.
            allowed.listening(on: IPAddress("127.0.0.1"), port: port)
            guard case .failure(let error) = await get(base, guarded: allowed) else {
                Issue.record("the node's own socket was reached")
                return
            }
            #expect(error.code == .destinationRefused)
            #expect(error.message.contains("own listening address"))
            #expect(server.receivedRequests.count == requests)
        }
    }
}
