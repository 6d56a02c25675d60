import Agencies
import Audit
import Broker
import Delivery
import Demo
import FieldLines
import Foundation
import HTTPTypes
import Signing
import Testing

/// Over two hundred malformed exchange requests against one running node, each with the exact
/// status and problem type it must get and, where the caller is known, its audit entry; then the
/// node must still serve, and this process's memory must not have grown past 1.5 times.
///
/// The cases come in families (targets, header fields, signatures, digests, bodies, sizes,
/// addressing, methods): each family is a list of inputs that must all be refused the same way,
/// so adding a case is adding a line. Requests that no HTTP client sends are in
/// ``ForwardingIntegrityTests/RequestForms``.
@Suite(.serialized)
struct MalformedRequestTableTests {
    typealias Node = LifecycleCommandTests.Node

    /// One case's request: signed by mol's client, then altered by `change`.
    struct Send {
        let method: String
        let path: String
        let body: [UInt8]
        let headers: HTTPFields
        let signing: ExchangeClient.Signing
        let change: @Sendable (inout OutboundRequest) -> Void
    }

    struct Case {
        let name: String
        let send: Send
        let status: Int
        let problem: String
    }

    static let certificates = ExchangeTests.certificatePath
    static let lookup = certificates + "/CRC-2026-0000001"

    static func signed(
        _ method: String = "GET", _ path: String = lookup, body: [UInt8] = [], headers: HTTPFields = [:],
        signing: ExchangeClient.Signing = .init(), change: @escaping @Sendable (inout OutboundRequest) -> Void = { _ in }
    ) -> Send {
        Send(method: method, path: path, body: body, headers: headers, signing: signing, change: change)
    }

    /// Segments that are never canonical, wherever they stand.
    static let badSegments = [
        ".", "..", "%2e", "%2E", "%2e%2e", "%2E%2e", ".%2e", "%2e.", "%2f", "%2F", "a%2fb", "%5c", "%5C", "%00", "%0a", "%0d",
        "%09", "%7f", "%1b", "%", "%g0", "%2", "%e2%82", "%c0%af", "%ed%a0%80", "%ff", "%80",
        "%2e%2E", "%2E.", "%0A", "%0D", "%7F", "%01", "%1f", "%2F%2F",
    ]

    static var targetCases: [Case] {
        var cases: [Case] = []
        let positions: [(String, (String) -> String)] = [
            ("provider", { "/exchange/\($0)/criminal-record-certificate/certificates" }),
            ("service", { "/exchange/moj/\($0)/certificates" }),
            ("operation", { certificates + "/\($0)" }),
        ]
        for (where_, make) in positions {
            for segment in badSegments {
                cases.append(Case(name: "\(where_) segment \(segment)", send: signed("GET", make(segment)), status: 400, problem: "target-invalid"))
            }
        }
        cases.append(Case(name: "empty segment", send: signed("GET", certificates + "//CRC-1"), status: 400, problem: "target-invalid"))
        // A trailing slash is a path of its own, which the contract does not name.
        cases.append(Case(name: "trailing slash", send: signed("GET", lookup + "/"), status: 404, problem: "operation-not-found"))
        for query in ["a=%00", "a=%0d%0a", "%=1", "a=%g1", "a=%c0%80", "&", "a=1&&b=2", "=1", "a=%ff"] {
            cases.append(Case(name: "query \(query)", send: signed("GET", lookup + "?" + query), status: 400, problem: "target-invalid"))
        }
        return cases
    }

    static var headerCases: [Case] {
        var cases: [Case] = []
        for name in ["Content-Type", "Content-Digest", "Idempotency-Key", "Signature", "Signature-Input"] {
            // Repeated after signing, so the signature itself is fine; a POST with a key has them all.
            cases.append(Case(
                name: "second \(name)",
                send: signed("POST", certificates, body: ExchangeTests.certificateRequest(), headers: HTTPFields([("Idempotency-Key", "k-2")])) {
                    request in request.headers.append(HTTPField(name: HTTPField.Name(name)!, value: "x"))
                },
                status: 400, problem: "header-invalid"
            ))
        }
        for value in ["café", "名前", "\u{A0}x", "\u{FEFF}x", "x\u{FFFD}", "🙂"] {
            for name in ["X-Note", "Accept", "traceparent"] {
                cases.append(Case(name: "\(name): \(value.unicodeScalars.map { String($0.value, radix: 16) })",
                                  send: signed(headers: HTTPFields([(name, value)])), status: 400, problem: "header-invalid"))
            }
        }
        // (Connection options are sent raw by RequestForms: this client strips hop-by-hop fields.)
        for value in ["ü", "€", "\u{2028}", "\u{200B}x", "x\u{0301}"] {
            for name in ["X-Request-Id", "Accept-Language", "User-Agent", "Idempotency-Key"] {
                cases.append(Case(name: "\(name): \(value.unicodeScalars.map { String($0.value, radix: 16) })",
                                  send: signed(headers: HTTPFields([(name, value)])), status: 400, problem: "header-invalid"))
            }
        }
        return cases
    }

    static var signatureCases: [Case] {
        let full: [ComponentIdentifier] = [.method, .targetURI]
        return [
            Case(name: "no Signature", send: signed { $0.headers[.signature] = nil }, status: 401, problem: "signature-missing"),
            Case(name: "no Signature-Input", send: signed { $0.headers[.signatureInput] = nil }, status: 401, problem: "signature-missing"),
            Case(name: "Signature not a dictionary", send: signed { $0.headers[.signature] = "((" }, status: 401, problem: "signature-invalid"),
            Case(name: "Signature-Input not a dictionary", send: signed { $0.headers[.signatureInput] = "sig1=(" }, status: 401, problem: "signature-invalid"),
            Case(name: "signature bytes changed", send: signed { $0.headers[.signature] = "sig1=:" + Data(repeating: 7, count: 64).base64EncodedString() + ":" },
                 status: 401, problem: "signature-invalid"),
            Case(name: "method changed after signing", send: signed { $0.method = "DELETE" }, status: 401, problem: "signature-invalid"),
            Case(name: "query added after signing", send: signed { $0.url += "?full=1" }, status: 401, problem: "signature-invalid"),
            Case(name: "path changed after signing", send: signed { $0.url = $0.url.replacingOccurrences(of: "0000001", with: "0000002") },
                 status: 401, problem: "signature-invalid"),
            Case(name: "no @method", send: signed(signing: .init(components: [.targetURI])), status: 401, problem: "signature-incomplete"),
            Case(name: "no target", send: signed(signing: .init(components: [.method])), status: 401, problem: "signature-incomplete"),
            Case(name: "body without covered digest",
                 send: signed("POST", certificates, body: ExchangeTests.certificateRequest(), signing: .init(components: full)),
                 status: 401, problem: "signature-incomplete"),
            Case(name: "idempotency key not covered",
                 send: signed(headers: HTTPFields([("Idempotency-Key", "k-1")]), signing: .init(components: full)),
                 status: 401, problem: "signature-incomplete"),
            Case(name: "no nonce", send: signed(signing: .init(nonce: false)), status: 401, problem: "signature-incomplete"),
            Case(name: "created an hour ahead", send: signed(signing: .init(created: Date().addingTimeInterval(3600))),
                 status: 401, problem: "signature-expired"),
            Case(name: "created an hour ago", send: signed(signing: .init(created: Date().addingTimeInterval(-3600))),
                 status: 401, problem: "signature-expired"),
            Case(name: "label rabt", send: signed(signing: .init(label: "rabt")), status: 401, problem: "signature-invalid"),
            Case(name: "nonce of 300 characters",
                 send: signed { request in
                     request.headers[.signatureInput] = request.headers[.signatureInput]?.replacingOccurrences(
                         of: #"nonce=""#, with: #"nonce=""# + String(repeating: "n", count: 300))
                 },
                 status: 401, problem: "signature-invalid"),
            Case(name: "unknown keyid",
                 send: signed { $0.headers[.signatureInput] = $0.headers[.signatureInput]?.replacingOccurrences(of: "mol-signing", with: "mol-other") },
                 status: 401, problem: "unknown-key"),
        ]
    }

    static var digestCases: [Case] {
        let body = ExchangeTests.certificateRequest()
        func post(_ change: @escaping @Sendable (inout OutboundRequest) -> Void) -> Send { signed("POST", certificates, body: body, change: change) }
        return [
            Case(name: "body changed after signing", send: post { $0.body = ExchangeTests.certificateRequest(nationalId: "9751122334") },
                 status: 400, problem: "digest-mismatch"),
            Case(name: "body emptied after signing", send: post { $0.body = [] }, status: 400, problem: "digest-mismatch"),
            Case(name: "byte appended after signing", send: post { $0.body.append(0x20) }, status: 400, problem: "digest-mismatch"),
        ]
    }

    static var bodyCases: [Case] {
        var cases: [Case] = []
        let bodies: [(String, String)] = [
            ("not JSON", "{"), ("trailing data", #"{"a":1} x"#), ("a string", #""text""#), ("an array", "[]"), ("null", "null"),
            ("byte order mark", "\u{FEFF}" + String(decoding: ExchangeTests.certificateRequest(), as: UTF8.self)),
            ("short national id", String(decoding: ExchangeTests.certificateRequest(nationalId: "123"), as: UTF8.self)),
            ("letters in national id", String(decoding: ExchangeTests.certificateRequest(nationalId: "98610345AB"), as: UTF8.self)),
            ("no applicant", #"{"caseReference":"MOL-2026-1","purpose":"work-permit"}"#),
            ("applicant a string", #"{"applicant":"Layla","caseReference":"MOL-2026-1","purpose":"work-permit"}"#),
            ("huge number", #"{"applicant":1e999999,"caseReference":"MOL-2026-1"}"#),
            ("deep nesting", String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)),
            ("unpaired surrogate", #"{"applicant":"\ud800","caseReference":"MOL-2026-1"}"#),
            ("duplicate keys", #"{"caseReference":"a","caseReference":"b"}"#),
            ("control character in string", "{\"caseReference\":\"a\u{01}b\"}"),
        ]
        for (name, body) in bodies {
            cases.append(Case(name: "body: \(name)", send: signed("POST", certificates, body: Array(body.utf8)), status: 422, problem: "request-invalid"))
        }
        cases.append(Case(name: "body: not UTF-8",
                          send: signed("POST", certificates, body: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]), status: 422, problem: "request-invalid"))
        // Content-Type is not among what Rabt requires a signature to cover: the contract judges it.
        for contentType in ["text/plain", "application/xml", "application/json; charset=iso-8859-1", "application/json; charset=utf-16"] {
            cases.append(Case(
                name: "content type \(contentType)",
                send: signed("POST", certificates, body: ExchangeTests.certificateRequest()) { $0.headers[.contentType] = contentType },
                status: 422, problem: "request-invalid"
            ))
        }
        return cases
    }

    static var sizeAndAddressCases: [Case] {
        let many = (0..<101).map { "p\($0)=1" }.joined(separator: "&")
        return [
            Case(name: "101 query parameters", send: signed("GET", lookup + "?" + many), status: 400, problem: "target-invalid"),
            Case(name: "target of 9000 bytes", send: signed("GET", lookup + "?q=" + String(repeating: "a", count: 9000)), status: 400, problem: "target-invalid"),
            Case(name: "body over 1 MiB", send: signed("POST", certificates, body: Array(repeating: 0x20, count: (1 << 20) + 1)),
                 status: 413, problem: "payload-too-large"),
            Case(name: "unknown provider", send: signed("GET", "/exchange/nobody/criminal-record-certificate/certificates"),
                 status: 404, problem: "contract-not-found"),
            Case(name: "unknown service", send: signed("GET", "/exchange/moj/nothing/certificates"), status: 404, problem: "contract-not-found"),
            Case(name: "unknown version", send: signed("GET", "/exchange/moj/criminal-record-certificate.v9/certificates"),
                 status: 404, problem: "contract-not-found"),
            Case(name: "no operation path", send: signed("GET", "/exchange/moj"), status: 404, problem: "operation-not-found"),
            Case(name: "unknown operation", send: signed("GET", "/exchange/moj/criminal-record-certificate/nothing"),
                 status: 404, problem: "operation-not-found"),
            Case(name: "DELETE a certificate", send: signed("DELETE", lookup), status: 405, problem: "method-not-allowed"),
            Case(name: "PUT certificates", send: signed("PUT", certificates, body: ExchangeTests.certificateRequest()),
                 status: 405, problem: "method-not-allowed"),
            Case(name: "PATCH a certificate", send: signed("PATCH", lookup, body: Array("{}".utf8)), status: 405, problem: "method-not-allowed"),
            Case(name: "OPTIONS certificates", send: signed("OPTIONS", certificates), status: 405, problem: "method-not-allowed"),
        ]
    }

    static var allCases: [Case] {
        targetCases + headerCases + signatureCases + digestCases + bodyCases + sizeAndAddressCases
    }

    @Test func tableHasOverTwoHundredCases() {
        #expect(Self.allCases.count >= 200, "\(Self.allCases.count)")
        #expect(Set(Self.allCases.map(\.name)).count == Self.allCases.count, "case names repeat")
    }

    @Test func everyMalformedRequestGetsItsExactRefusalAndTheNodeKeepsServing() async throws {
        try await Node.with { node in
            let client = try node.exchange.client("mol")
            #expect(try await node.call().status == 201)
            let residentBefore = Self.residentKilobytes()
            var answered: [(Case, String?)] = []
            for testCase in Self.allCases {
                let send = testCase.send
                var prepared = try client.prepare(send.method, send.path, json: send.body, headers: send.headers, signing: send.signing)
                send.change(&prepared.request)
                let answer = try await client.send(prepared)
                let got = "\(answer.status) \(answer.header("exchange-error") ?? "-")"
                #expect(got == "\(testCase.status) \(testCase.problem)", "\(testCase.name): \(answer.text.prefix(200))")
                #expect(answer.header("content-type") == "application/problem+json", "\(testCase.name)")
                answered.append((testCase, answer.header("exchange-id")))
            }
            // The caller was known for every case (mol's certificate): each refusal is on the record.
            let entries = try await node.exchange.auditEntries()
            let recorded = Dictionary(entries.compactMap { entry in entry.event.exchangeId.map { ($0, entry.event.problemType) } }) { first, _ in first }
            for (testCase, exchangeId) in answered {
                let id = try #require(exchangeId, "\(testCase.name): no Exchange-Id")
                #expect(recorded[id] == testCase.problem, "\(testCase.name): audited as \(String(describing: recorded[id]))")
            }
            #expect(try await node.call().status == 201)
            let residentAfter = Self.residentKilobytes()
            #expect(residentAfter <= residentBefore * 3 / 2, "RSS \(residentBefore) kB → \(residentAfter) kB")
        }
    }

    /// This process's resident memory (the node runs in it), from /proc.
    static func residentKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
