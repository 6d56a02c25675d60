import Foundation
import FieldLines
import HTTPTypes
import Signing
import Testing

/// Component values of RFC 9421 §2.1 (fields, sf, key, bs) and §2.2 (derived components).
@Suite("RFC 9421 component values")
struct ComponentTests {
    private func line(_ component: ComponentIdentifier, _ message: SignableMessage) throws -> String {
        let base = try SignatureBase.make(for: message, components: [component], parameters: SignatureParameters())
        return String(base.split(separator: "\n", omittingEmptySubsequences: false)[0])
    }

    private let fieldRequest = RequestComponents(
        method: "GET", scheme: "https", authority: "www.example.com", path: "/",
        fields: HTTPFields([
            ("Host", "www.example.com"),
            ("X-OWS-Header", "   Leading and trailing whitespace.   "),
            ("Cache-Control", "max-age=60"),
            ("Cache-Control", "   must-revalidate"),
            ("Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c)"),
            ("X-Empty-Header", ""),
            ("Example-Header", "value, with, lots"),
            ("Example-Header", "of, commas"),
        ]))

    @Test("fields: trimmed, repeated lines joined, names lowercased")
    func fields() throws {
        let message = SignableMessage.request(self.fieldRequest)
        #expect(try self.line(.field("X-OWS-Header"), message) == #""x-ows-header": Leading and trailing whitespace."#)
        #expect(try self.line(.field("cache-control"), message) == #""cache-control": max-age=60, must-revalidate"#)
        #expect(try self.line(.field("example-dict"), message) == #""example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)"#)
        #expect(try self.line(.field("x-empty-header"), message) == #""x-empty-header": "#)
    }

    @Test("sf re-serialises strictly, key picks a dictionary member, bs wraps each line")
    func parameters() throws {
        let message = SignableMessage.request(self.fieldRequest)
        #expect(try self.line(.field("example-dict", sf: true), message) == #""example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c)"#)
        var dictionary = self.fieldRequest
        dictionary.fields.set(name: "Example-Dict", value: "a=1, b=2;x=1;y=2, c=(a b c), d")
        let withD = SignableMessage.request(dictionary)
        #expect(try self.line(.field("example-dict", key: "a"), withD) == #""example-dict";key="a": 1"#)
        #expect(try self.line(.field("example-dict", key: "d"), withD) == #""example-dict";key="d": ?1"#)
        #expect(try self.line(.field("example-dict", key: "b"), withD) == #""example-dict";key="b": 2;x=1;y=2"#)
        #expect(try self.line(.field("example-dict", key: "c"), withD) == #""example-dict";key="c": (a b c)"#)
        #expect(
            try self.line(.field("example-header", bs: true), message)
                == #""example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:"#)
    }

    @Test("derived request components")
    func derived() throws {
        let request = try RequestComponents(
            method: "POST", targetURI: "https://www.example.com/path?param=value",
            fields: HTTPFields([("Host", "www.example.com")]))
        let message = SignableMessage.request(request)
        #expect(try self.line(.method, message) == #""@method": POST"#)
        #expect(try self.line(.targetURI, message) == #""@target-uri": https://www.example.com/path?param=value"#)
        #expect(try self.line(.authority, message) == #""@authority": www.example.com"#)
        #expect(try self.line(.scheme, message) == #""@scheme": https"#)
        #expect(try self.line(.requestTarget, message) == #""@request-target": /path?param=value"#)
        #expect(try self.line(.path, message) == #""@path": /path"#)
        #expect(try self.line(.query, message) == #""@query": ?param=value"#)
    }

    @Test("authority is normalised, an empty path is /, a missing query is ?")
    func normalisation() throws {
        let request = try RequestComponents(method: "GET", targetURI: "HTTPS://WWW.Example.com:443")
        #expect(request.authority == "www.example.com")
        #expect(request.scheme == "https")
        #expect(try self.line(.path, .request(request)) == #""@path": /"#)
        #expect(try self.line(.query, .request(request)) == #""@query": ?"#)
        let port = try RequestComponents(method: "GET", targetURI: "https://127.0.0.1:8443/x?")
        #expect(port.authority == "127.0.0.1:8443")
        #expect(try self.line(.query, .request(port)) == #""@query": ?"#)
        #expect(port.targetURI == "https://127.0.0.1:8443/x?")
    }

    @Test("@query-param decodes and re-encodes names and values")
    func queryParameters() throws {
        let plain = try RequestComponents(method: "GET", targetURI: "https://example.com/path?param=value&foo=bar&baz=batman&qux=")
        #expect(try self.line(.queryParameter("baz"), .request(plain)) == #""@query-param";name="baz": batman"#)
        #expect(try self.line(.queryParameter("qux"), .request(plain)) == #""@query-param";name="qux": "#)
        let encoded = try RequestComponents(
            method: "GET",
            targetURI:
                "https://example.com/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something"
        )
        #expect(
            try self.line(.queryParameter("var"), .request(encoded))
                == #""@query-param";name="var": this%20is%20a%20big%0Amultiline%20value"#)
        #expect(try self.line(.queryParameter("bar"), .request(encoded)) == #""@query-param";name="bar": with%20plus%20whitespace"#)
        #expect(
            try self.line(.queryParameter("fa%C3%A7ade%22%3A%20"), .request(encoded))
                == #""@query-param";name="fa%C3%A7ade%22%3A%20": something"#)
    }

    @Test("base generation fails on absent, repeated or misplaced components")
    func failures() async throws {
        let request = RFC9421Fixtures.request
        let parameters = SignatureParameters()
        await expectSigningError(.signatureInvalid, containing: "absent") {
            _ = try SignatureBase.make(for: .request(request), components: [.field("x-missing")], parameters: parameters)
        }
        await expectSigningError(.signatureInvalid, containing: "twice") {
            _ = try SignatureBase.make(for: .request(request), components: [.method, .method], parameters: parameters)
        }
        await expectSigningError(.signatureInvalid, containing: "only exists in responses") {
            _ = try SignatureBase.make(for: .request(request), components: [.status], parameters: parameters)
        }
        await expectSigningError(.signatureInvalid, containing: "needs the request") {
            _ = try SignatureBase.make(
                for: .response(RFC9421Fixtures.response, request: nil), components: [ComponentIdentifier.method.fromRequest],
                parameters: parameters)
        }
        await expectSigningError(.signatureInvalid, containing: "absent") {
            _ = try SignatureBase.make(for: .request(request), components: [.queryParameter("nope")], parameters: parameters)
        }
        let repeated = try RequestComponents(method: "GET", targetURI: "https://example.com/?a=1&a=2")
        await expectSigningError(.signatureInvalid, containing: "more than once") {
            _ = try SignatureBase.make(for: .request(repeated), components: [.queryParameter("a")], parameters: parameters)
        }
        await expectSigningError(.signatureInvalid, containing: "no dictionary member") {
            _ = try SignatureBase.make(
                for: .request(request), components: [.field("content-digest", key: "sha-256")], parameters: parameters)
        }
        await expectSigningError(.signatureInvalid, containing: "not a derived component") {
            _ = try SignatureBase.make(for: .request(request), components: [ComponentIdentifier("@nope")], parameters: parameters)
        }
    }

    @Test("combined value: every line trimmed, joined by a comma (Cookie too), names without case")
    func combinedValue() {
        let fields = HTTPFields([("Accept", "a"), ("X", "1"), ("accept", "b "), ("Cookie", "s=1"), ("cookie", "t=2")])
        #expect(fields.combinedValue(.accept) == "a, b")
        // HTTP joins Cookie lines with "; ", RFC 9421 §2.1 with ", " like every other field.
        #expect(fields.combinedValue(.cookie) == "s=1, t=2")
        #expect(fields.combinedValue(.contentType) == nil)
    }

    @Test("a field value cannot hold a line break, so no line is folded or smuggled into the base")
    func lineBreaks() throws {
        let request = RequestComponents(
            method: "GET", scheme: "https", authority: "www.example.com", path: "/",
            fields: HTTPFields([("X-Obs-Fold-Header", "Obsolete\r\n    line folding."), ("X-Smuggle", "a\nSignature: forged")]))
        let message = SignableMessage.request(request)
        #expect(try self.line(.field("x-obs-fold-header"), message) == #""x-obs-fold-header": Obsolete      line folding."#)
        #expect(try self.line(.field("x-smuggle"), message) == #""x-smuggle": a Signature: forged"#)
    }
}
