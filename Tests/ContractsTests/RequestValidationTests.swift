import Contracts
import JSONSchema
import Testing

@Suite struct RequestValidationTests {
    let moj: Contract
    let rop: Contract
    let spf: Contract

    init() throws {
        moj = try sampleContract("moj/criminal-record-certificate.v1.yaml")
        rop = try sampleContract("rop/traffic-violations.v1.yaml")
        spf = try sampleContract("spf/contribution-record.v1.yaml")
    }

    private static let validCertificateRequest = """
        {"applicant": {"nationalId": "9861034521",
                       "fullName": {"first": "Layla", "father": "Omar", "grandfather": "Khalil", "family": "Haddad"},
                       "dateOfBirth": "1986-04-17"},
         "purpose": "work-permit", "caseReference": "MOL-2026-118204"}
        """

    private func issue(_ body: String, contentType: String? = "application/json") throws -> [ValidationError] {
        let operation = try #require(moj.operation(id: "issueCertificate"))
        return operation.validateRequest(pathParameters: [:], query: [], headers: [], contentType: contentType,
                                         body: bytes(body))
    }

    private func violations(_ nationalId: String = "9861034521", query: String) throws -> [ValidationError] {
        let match = try #require(rop.match(method: "GET", path: "/violations/\(nationalId)"))
        return match.operation.validateRequest(pathParameters: match.pathParameters, query: try queryItems(query),
                                               headers: [], contentType: nil, body: [])
    }

    private func contributions(query: String) throws -> [ValidationError] {
        let match = try #require(spf.match(method: "GET", path: "/contributors/9861034521/contributions"))
        return match.operation.validateRequest(pathParameters: match.pathParameters, query: try queryItems(query),
                                               headers: [], contentType: nil, body: [])
    }

    @Test func validRequestPasses() throws {
        #expect(try issue(Self.validCertificateRequest) == [])
        #expect(try issue(Self.validCertificateRequest, contentType: "application/json; charset=utf-8") == [])
        #expect(try issue(Self.validCertificateRequest, contentType: "application/json; charset=\"UTF-8\"") == [])
    }

    @Test func jsonBodyInAnotherCharsetIsRefused() throws {
        // The body is read as UTF-8; a provider told Shift_JIS or Latin-1 would read other text.
        for charset in ["iso-8859-1", "Shift_JIS", "utf-16"] {
            let errors = try issue(Self.validCertificateRequest, contentType: "application/json; charset=\(charset)")
            #expect(errors.map(\.instanceLocation) == ["/header/content-type"], "\(charset)")
        }
    }

    @Test func jsonBodyWithAByteOrderMarkIsRefused() throws {
        let errors = try issue("\u{FEFF}" + Self.validCertificateRequest)
        #expect(errors.map(\.instanceLocation) == ["/body"])
        #expect(errors.first?.message.contains("byte order mark") == true)
    }

    @Test func nationalIdPatternIsLocated() throws {
        let errors = try issue(Self.validCertificateRequest.replacing("9861034521", with: "98610345"))
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.instanceLocation == "/body/applicant/nationalId")
        #expect(error.keyword == "pattern")
        #expect(error.keywordLocation == "/paths/~1certificates/post/requestBody/content/application~1json/schema"
            + "/$ref/properties/applicant/properties/nationalId/$ref/pattern")
        #expect(error.absoluteKeywordLocation?.hasSuffix("#/components/schemas/NationalId/pattern") == true)
    }

    @Test func missingRequiredMemberIsLocated() throws {
        let errors = try issue(Self.validCertificateRequest.replacing("\"dateOfBirth\": \"1986-04-17\"", with: "\"motherName\": \"Huda\""))
        #expect(summary(errors) == ["/body/applicant required"])
    }

    @Test func enumIsEnforced() throws {
        let errors = try issue(Self.validCertificateRequest.replacing("work-permit", with: "gossip"))
        #expect(summary(errors) == ["/body/purpose enum"])
    }

    @Test func dateFormatIsAsserted() throws {
        let errors = try issue(Self.validCertificateRequest.replacing("1986-04-17", with: "1986-02-30"))
        #expect(summary(errors) == ["/body/applicant/dateOfBirth format"])
    }

    @Test func unknownMemberIsRefused() throws {
        let errors = try issue(Self.validCertificateRequest.replacing("\"purpose\"", with: "\"extra\": 1, \"purpose\""))
        #expect(summary(errors) == ["/body/extra additionalProperties"])
    }

    @Test func missingBodyIsRequired() throws {
        let errors = try issue("", contentType: nil)
        #expect(summary(errors) == ["/body required"])
        #expect(errors.first?.keywordLocation == "/paths/~1certificates/post/requestBody/required")
    }

    @Test func unknownContentTypeIsRefused() throws {
        #expect(summary(try issue(Self.validCertificateRequest, contentType: "text/plain")) == ["/header/content-type content"])
        #expect(summary(try issue(Self.validCertificateRequest, contentType: nil)) == ["/header/content-type content"])
        #expect(summary(try issue(Self.validCertificateRequest, contentType: "json")) == ["/header/content-type content"])
    }

    @Test func malformedJSONIsOneError() throws {
        let errors = try issue("{\"applicant\": ")
        #expect(summary(errors) == ["/body contentMediaType"])
        #expect(errors.first?.message.contains("not valid JSON") == true)
    }

    @Test func bodyOnOperationWithoutOneIsRefused() throws {
        let match = try #require(rop.match(method: "GET", path: "/violations/9861034521"))
        let errors = match.operation.validateRequest(pathParameters: match.pathParameters, query: [], headers: [],
                                                     contentType: "application/json", body: bytes("{}"))
        #expect(summary(errors) == ["/body requestBody"])
    }

    @Test func queryParametersAreCoercedAndChecked() throws {
        #expect(try violations(query: "from=2026-01-01&to=2026-06-30&status=unpaid&status=contested&page=2&pageSize=100") == [])
        #expect(summary(try violations(query: "page=two")) == ["/query/page type"])
        #expect(summary(try violations(query: "page=0")) == ["/query/page minimum"])
        #expect(summary(try violations(query: "pageSize=101")) == ["/query/pageSize maximum"])
        #expect(summary(try violations(query: "from=2026-13-01")) == ["/query/from format"])
        #expect(summary(try violations(query: "status=paid&status=towed")) == ["/query/status/1 enum"])
        #expect(summary(try violations(query: "status=paid&status=paid")) == ["/query/status uniqueItems"])
        #expect(summary(try violations(query: "from=2026-01-01&from=2026-02-01")) == ["/query/from type"])
    }

    @Test func queryErrorPointsIntoContract() throws {
        let error = try #require(try violations(query: "page=0").first)
        #expect(error.keywordLocation == "/paths/~1violations~1{nationalId}/get/parameters/4/schema/minimum")
    }

    @Test func pathParameterIsChecked() throws {
        let errors = try violations("12345", query: "")
        #expect(summary(errors) == ["/path/nationalId pattern"])
    }

    @Test func requiredQueryParameterIsEnforced() throws {
        let missing = try contributions(query: "")
        #expect(summary(missing) == ["/query/year required"])
        #expect(missing.first?.keywordLocation == "/paths/~1contributors~1{nationalId}~1contributions/get/parameters/0/required")
        #expect(try contributions(query: "year=2026") == [])
        #expect(summary(try contributions(query: "year=1970")) == ["/query/year minimum"])
        #expect(summary(try contributions(query: "year=2026.5")) == ["/query/year type"])
        #expect(summary(try contributions(query: "year=2026&employer=12")) == ["/query/employer pattern"])
    }

    @Test func headerAndCookieParametersAreRead() throws {
        let contract = try Contract(parsing: contractText(paths: """
              /ping:
                get:
                  parameters:
                    - {name: X-Request-Id, in: header, required: true, schema: {type: string, format: uuid}}
                    - {name: X-Flags, in: header, schema: {type: array, items: {type: boolean}}}
                    - {name: session, in: cookie, schema: {type: integer}}
                    - {name: Accept, in: header, required: true, schema: {type: string}}
                    - {name: tags, in: query, style: pipeDelimited, schema: {type: array, items: {type: integer}}}
                  responses: {'200': {description: ok}}
            """))
        let operation = try #require(contract.match(method: "GET", path: "/ping")?.operation)
        func check(_ headers: [(String, String)], query: String = "") throws -> [String] {
            summary(operation.validateRequest(pathParameters: [:], query: try queryItems(query), headers: headers,
                                              contentType: nil, body: []))
        }
        // `Accept` is governed by HTTP itself, so its declaration is ignored.
        #expect(try check([("x-request-id", "6f1c2a52-8b1e-4d0a-9d55-2f4b8f6b3e10")]) == [])
        #expect(try check([]) == ["/header/x-request-id required"])
        #expect(try check([("X-Request-ID", "nope")]) == ["/header/x-request-id format"])
        let id = ("X-Request-Id", "6f1c2a52-8b1e-4d0a-9d55-2f4b8f6b3e10")
        #expect(try check([id, ("X-Flags", "true,false")]) == [])
        #expect(try check([id, ("X-Flags", "true,maybe")]) == ["/header/x-flags/1 type"])
        #expect(try check([id, ("Cookie", "theme=dark; session=42")]) == [])
        #expect(try check([id, ("Cookie", "session=abc")]) == ["/cookie/session type"])
        #expect(try check([id], query: "tags=1%7C2%7C3") == [])
        #expect(try check([id], query: "tags=1%7Cx") == ["/query/tags/1 type"])
    }

    @Test func formatAssertionCanBeSwitchedOff() throws {
        let paths = """
              /d:
                get:
                  parameters:
                    - {name: on, in: query, schema: {type: string, format: date}}
                  responses: {'200': {description: ok}}
            """
        let strict = try Contract(parsing: contractText(paths: paths))
        let lenient = try Contract(parsing: contractText(exchange: defaultExchange + "\n  formatAssertion: false", paths: paths))
        for (contract, expected) in [(strict, ["/query/on format"]), (lenient, [])] {
            let operation = try #require(contract.match(method: "GET", path: "/d")?.operation)
            let errors = operation.validateRequest(pathParameters: [:], query: [("on", "yesterday")], headers: [],
                                                   contentType: nil, body: [])
            #expect(summary(errors) == expected)
        }
    }
}
