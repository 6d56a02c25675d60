import Agencies
import HTTPTypes
import Delivery
import Demo
import Foundation
import Signing
import Testing

extension ForwardingIntegrityTests {
/// Requests no HTTP client library sends, written byte for byte over mutual TLS
/// (scripts/interop/raw_request.py): two Host fields, absolute-form targets, Connection options
/// naming signed fields, fragments. Nested in the integrity suite, so it shares its exchange and
/// runs serialized with it (both look at what the one provider received).
@Suite struct RequestForms {
    static let path = ForwardingIntegrityTests.prefix + "/records/alice/profile"

    @Test func twoHostFieldsAreHeaderInvalid() async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        let (host, signed) = try Self.signed(exchange)
        let answer = try await Self.send(exchange, "GET \(Self.path) HTTP/1.1\r\nHost: \(host)\r\nHost: rabt-staging.example\r\n\(signed)")
        #expect(answer.status == 400)
        #expect(answer.error == "header-invalid")
        #expect(answer.body.contains("more than one Host"))
    }

    @Test func connectionOptionNamingASignedFieldIsHeaderInvalid() async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        for option in ["signature", "content-digest", "exchange-consumer", "x-request-id"] {
            let (host, signed) = try Self.signed(exchange, connection: "close, \(option)")
            let answer = try await Self.send(exchange, "GET \(Self.path) HTTP/1.1\r\nHost: \(host)\r\n\(signed)")
            #expect(answer.status == 400, "\(option): \(answer)")
            #expect(answer.error == "header-invalid", "\(option)")
        }
    }

    @Test func absoluteFormTargetNamingAnotherHostIsTargetInvalid() async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        let spf = try ForwardingIntegrityTests.provider(exchange)
        spf.clearReceivedRequests()
        let (host, signed) = try Self.signed(exchange)
        let answer = try await Self.send(exchange, "GET https://other.example\(Self.path) HTTP/1.1\r\nHost: \(host)\r\n\(signed)")
        #expect(answer.status == 400)
        #expect(answer.error == "target-invalid")
        #expect(answer.body.contains("other.example"))
        #expect(spf.receivedRequests.isEmpty)
    }

    @Test(arguments: ["https://user@other.example", "https://user@127.0.0.1", "ftp://other.example", "http://other.example"])
    func otherTargetFormsAreTargetInvalid(_ prefix: String) async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        let (host, signed) = try Self.signed(exchange)
        let answer = try await Self.send(exchange, "GET \(prefix)\(Self.path) HTTP/1.1\r\nHost: \(host)\r\n\(signed)")
        #expect(answer.status == 400, "\(prefix): \(answer)")
        #expect(answer.error == "target-invalid", "\(prefix)")
    }

    @Test func absoluteFormTargetNamingThisExchangeIsServed() async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        let (host, signed) = try Self.signed(exchange)
        // RFC 9112: the target's authority counts, whatever Host says.
        let answer = try await Self.send(exchange, "GET https://\(host)\(Self.path) HTTP/1.1\r\nHost: rabt-staging.example\r\n\(signed)")
        #expect(answer.status == 200, "\(answer.body)")
    }

    @Test func fragmentIsRefused() async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        let spf = try ForwardingIntegrityTests.provider(exchange)
        spf.clearReceivedRequests()
        let (host, signed) = try Self.signed(exchange)
        let answer = try await Self.send(exchange, "GET \(Self.path)#frag HTTP/1.1\r\nHost: \(host)\r\n\(signed)")
        #expect(answer.status == 400)
        #expect(answer.error == "target-invalid")
        #expect(spf.receivedRequests.isEmpty)
    }

    @Test func signatureFieldsComeOnce() async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        let (host, signed) = try Self.signed(exchange)
        for extra in ["Signature: sig2=:AAAA:\r\n", "Signature-Input: sig2=(\"@method\");created=1\r\n"] {
            let answer = try await Self.send(exchange, "GET \(Self.path) HTTP/1.1\r\nHost: \(host)\r\n\(extra)\(signed)")
            #expect(answer.status == 400, "\(extra)")
            #expect(answer.error == "header-invalid", "\(extra)")
        }
    }

    @Test func headerValuesArePrintableASCII() async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        let (host, signed) = try Self.signed(exchange)
        let head = "GET \(Self.path) HTTP/1.1\r\nHost: \(host)\r\nX-Note: "
        // Latin-1 é (not UTF-8), and UTF-8 é: neither is an ASCII value.
        for value in [Data([0x63, 0x61, 0x66, 0xE9]), Data("café".utf8)] {
            let answer = try await Self.send(exchange, bytes: Data(head.utf8) + value + Data("\r\n\(signed)".utf8))
            #expect(answer.status == 400)
            #expect(answer.error == "header-invalid")
        }
    }

    @Test func queriesAndTargetsHaveABound() async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        let many = (0..<101).map { "p\($0)=1" }.joined(separator: "&")
        let tooMany = try await exchange.client("mol").send("GET", Self.path + "?" + many)
        #expect(tooMany.status == 400)
        #expect(tooMany.header("exchange-error") == "target-invalid")
        #expect(tooMany.text.contains("101 parameters"))
        let long = try await exchange.client("mol").send("GET", Self.path + "?q=" + String(repeating: "a", count: 8200))
        #expect(long.status == 400)
        #expect(long.header("exchange-error") == "target-invalid")
    }

    /// Refused by the HTTP parser or the router, before the exchange: still a problem document.
    @Test(arguments: [
        ("both lengths", "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400 malformed-request"),
        ("bad length", "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2x\r\n\r\nab", "400 malformed-request"),
        ("lower-case method", "get {path} HTTP/1.1\r\nHost: {host}\r\n\r\n", "400 malformed-request"),
        ("NUL in a value", "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Note: a\u{0}b\r\n\r\n", "400 malformed-request"),
        ("folded line", "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Note: a\r\n b\r\n\r\n", "400 malformed-request"),
        ("too many fields", "GET {path} HTTP/1.1\r\nHost: {host}\r\n" + String(repeating: "X-Many: 1\r\n", count: 200) + "\r\n", "431 headers-too-large"),
        ("huge field", "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Big: " + String(repeating: "a", count: 100_000) + "\r\n\r\n", "431 headers-too-large"),
        ("unknown admin route", "GET /admin/nothing-here HTTP/1.1\r\nHost: {host}\r\n\r\n", "404 not-found"),
        ("TRACE", "TRACE {path} HTTP/1.1\r\nHost: {host}\r\n\r\n", "404 not-found"),
    ])
    func refusalsBeforeTheExchangeAreProblems(_ name: String, _ template: String, _ expected: String) async throws {
        let exchange = try await ForwardingIntegrityTests.Lab.shared.get()
        let host = String(exchange.brokerURL.dropFirst("https://".count))
        let request = template.replacingOccurrences(of: "{path}", with: Self.path).replacingOccurrences(of: "{host}", with: host)
        let answer = try await Self.send(exchange, request)
        #expect("\(answer.status) \(answer.error ?? "-")" == expected, "\(name): \(answer.body.prefix(300))")
        #expect(answer.body.contains("\"type\":\"urn:rabt:problem:"), "\(name)")
        // The node keeps serving.
        #expect(try await exchange.client("mol").send("GET", Self.path).status == 200, "\(name)")
    }

    // MARK: helpers

    /// The broker's `host:port` and the signed header lines (ending with `Connection` and the blank line)
    /// of a GET of ``path`` by mol.
    static func signed(_ exchange: LocalExchange, connection: String = "close") throws -> (String, String) {
        let prepared = try exchange.client("mol").prepare("GET", path)
        let host = String(exchange.brokerURL.dropFirst("https://".count))
        let lines = prepared.request.headers.map { "\($0.name.rawName): \($0.value)\r\n" }.joined()
        return (host, lines + "Connection: \(connection)\r\n\r\n")
    }

    static func send(_ exchange: LocalExchange, _ request: String) async throws -> (status: Int, error: String?, body: String) {
        try await send(exchange, bytes: Data(request.utf8))
    }

    static func send(_ exchange: LocalExchange, bytes request: Data) async throws -> (status: Int, error: String?, body: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-raw-\(UUID().uuidString)")
        try request.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let url = try #require(URL(string: exchange.brokerURL))
        let (_, output, _) = try await PythonScript.run("raw_request.py", [
            url.host ?? "127.0.0.1", String(url.port ?? 0), exchange.pki.caCertificate.path,
            exchange.pki.agencyCertificate("mol").path, exchange.pki.agencyKey("mol").path, file.path,
        ])
        let lines = output.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count >= 2 else { return (0, nil, output) }
        return (Int(lines[0]) ?? 0, lines[1] == "-" ? nil : String(lines[1]), lines.count > 2 ? String(lines[2]) : "")
    }
}
}
