import Testing
import FieldLines
import HTTPTypes

@testable import Delivery

@Suite("libcurl failure classification")
struct CurlFailureTests {
    func classify(
        _ code: Int, text: String = "", started: Bool = true, fresh: Bool = true, received: Bool = false,
        clientCertificate: Bool = true, tooLarge: Bool = false
    ) -> DeliveryError.Code {
        CurlFailure(
            curlCode: code, text: text, requestStarted: started, freshConnection: fresh,
            receivedResponseBytes: received, usesClientCertificate: clientCertificate, exceededMaxSize: tooLarge
        ).classified().code
    }

    @Test("a connect failure after the destination policy refused an address is destination-refused")
    func refusedDestination() {
        let refused = CurlFailure(
            curlCode: 7, text: "Failed to connect to localhost port 1 after 0 ms: Couldn't connect to server", requestStarted: false,
            freshConnection: true, receivedResponseBytes: false, usesClientCertificate: true, exceededMaxSize: false,
            refusedDestinations: ["127.0.0.1 port 1 (a loopback address)"]
        ).classified()
        #expect(refused.code == .destinationRefused)
        #expect(refused.message.hasPrefix("not connecting to 127.0.0.1 port 1 (a loopback address)"))
        #expect(classify(7) == .connectFailed)
    }

    @Test("codes map to delivery errors")
    func mapping() {
        #expect(classify(6) == .dnsFailed)
        #expect(classify(7) == .connectFailed)
        #expect(classify(28, started: false) == .connectTimeout)
        #expect(classify(28, started: true) == .timeout)
        #expect(classify(60) == .tlsFailed)
        #expect(classify(35, text: "OpenSSL error: wrong version number") == .tlsFailed)
        #expect(classify(35, text: "tlsv1 alert unknown ca") == .tlsRejected)
        #expect(classify(52) == .reset)
        #expect(classify(23, tooLarge: true) == .responseTooLarge)
        #expect(classify(63) == .responseTooLarge)
        #expect(classify(3) == .invalidRequest)
        #expect(classify(8) == .protocolError)
    }

    @Test("a failed first read on a fresh mTLS connection is a rejected certificate")
    func tlsRejectedUnderTLS13() {
        #expect(classify(56, fresh: true, received: false, clientCertificate: true) == .tlsRejected)
        #expect(classify(55, fresh: true, received: false, clientCertificate: true) == .tlsRejected)
        // A reused connection, data already received, or no client certificate: an ordinary reset.
        #expect(classify(56, fresh: false, received: false, clientCertificate: true) == .reset)
        #expect(classify(56, fresh: true, received: true, clientCertificate: true) == .reset)
        #expect(classify(56, fresh: true, received: false, clientCertificate: false) == .reset)
    }

    @Test("hop-by-hop headers are stripped")
    func hopByHop() {
        let headers = HTTPFields([
            ("Connection", "keep-alive, X-Private"),
            ("Keep-Alive", "timeout=5"),
            ("X-Private", "1"),
            ("Proxy-Authorization", "Basic x"),
            ("TE", "trailers"),
            ("Trailer", "Expires"),
            ("Transfer-Encoding", "chunked"),
            ("Upgrade", "h2c"),
            ("Host", "rabt.example"),
            ("Content-Length", "12"),
            ("Signature", "sig1=:AAAA:"),
            ("Exchange-Id", "ex-1"),
            ("Content-Type", "application/json"),
        ])
        #expect(headers.removingHopByHop().map(\.name.rawName) == ["Signature", "Exchange-Id", "Content-Type"])
    }

    @Test("error codes have stable wire strings")
    func wireStrings() {
        #expect(DeliveryError.Code.tlsRejected.wireString == "tls-rejected")
        #expect(DeliveryError.Code.providerUnavailable.wireString == "provider-unavailable")
        #expect(DeliveryError.Code.providerTimeout.wireString == "provider-timeout")
        #expect(DeliveryError.Code.connectFailed.wireString == "connect-failed")
    }
}
