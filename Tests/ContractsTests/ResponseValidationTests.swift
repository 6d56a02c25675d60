import Contracts
import JSONSchema
import Testing

@Suite struct ResponseValidationTests {
    let issue: Contract.Operation
    let lookup: Contract.Operation

    init() throws {
        let moj = try sampleContract("moj/criminal-record-certificate.v1.yaml")
        issue = try #require(moj.operation(id: "issueCertificate"))
        lookup = try #require(moj.operation(id: "getCertificate"))
    }

    private static let certificate = """
        {"certificateNumber": "CRC-2026-0004217", "status": "clear", "recordCount": 0,
         "subject": {"nationalId": "9861034521", "fullName": {"first": "Layla", "family": "Haddad"}},
         "purpose": "work-permit", "issuedAt": "2026-11-26T07:30:00Z", "validUntil": "2027-02-26",
         "verificationUrl": "https://verify.moj.example.gov/c/CRC-2026-0004217"}
        """
    private static let problem = #"{"type": "https://errors.moj.example.gov/unavailable", "title": "Registry offline", "status": 503}"#

    @Test func validResponsePasses() {
        #expect(issue.validateResponse(status: 201, contentType: "application/json", body: bytes(Self.certificate)) == [])
        #expect(lookup.validateResponse(status: 200, contentType: "application/json", body: bytes(Self.certificate)) == [])
    }

    @Test func schemaViolationIsLocated() {
        let errors = issue.validateResponse(status: 201, contentType: "application/json",
                                            body: bytes(Self.certificate.replacing("\"clear\"", with: "\"pending\"")))
        #expect(summary(errors).contains("/body/status enum"))
        #expect(errors.allSatisfy { $0.keywordLocation.hasPrefix("/paths/~1certificates/post/responses/201/content/application~1json/schema") })
    }

    @Test func conditionalSchemaApplies() {
        // A clear certificate cannot count records.
        let errors = issue.validateResponse(status: 201, contentType: "application/json",
                                            body: bytes(Self.certificate.replacing("\"recordCount\": 0", with: "\"recordCount\": 2")))
        #expect(summary(errors) == ["/body/recordCount const"])
    }

    @Test func rangeResponseIsChosen() {
        #expect(issue.response(for: 503)?.status == "5XX")
        #expect(issue.validateResponse(status: 503, contentType: "application/problem+json", body: bytes(Self.problem)) == [])
        // The range declares problem+json only.
        #expect(summary(issue.validateResponse(status: 503, contentType: "text/html", body: bytes("<h1>down</h1>")))
            == ["/header/content-type content"])
    }

    @Test func defaultResponseIsChosen() {
        #expect(lookup.response(for: 418)?.status == "default")
        #expect(lookup.validateResponse(status: 418, contentType: "application/problem+json",
                                        body: bytes(#"{"title": "teapot", "status": 418}"#)) == [])
        #expect(summary(lookup.validateResponse(status: 418, contentType: "application/problem+json",
                                                body: bytes(#"{"title": "teapot"}"#))) == ["/body required"])
    }

    @Test func undeclaredStatusIsAViolation() {
        let errors = issue.validateResponse(status: 302, contentType: nil, body: [])
        #expect(summary(errors) == ["/status responses"])
        #expect(errors.first?.keywordLocation == "/paths/~1certificates/post/responses")
    }

    @Test func missingOrMalformedBodyIsAViolation() {
        #expect(summary(issue.validateResponse(status: 201, contentType: "application/json", body: []))
            == ["/body content"])
        #expect(summary(issue.validateResponse(status: 201, contentType: nil, body: []))
            == ["/body content"])
        #expect(summary(issue.validateResponse(status: 201, contentType: nil, body: bytes(Self.certificate)))
            == ["/header/content-type content"])
        #expect(summary(issue.validateResponse(status: 201, contentType: "application/json", body: bytes("{")))
            == ["/body contentMediaType"])
    }

    @Test func exactStatusBeatsRangeAndDefault() throws {
        let contract = try Contract(parsing: contractText(paths: """
              /r:
                get:
                  responses:
                    '200':
                      description: object
                      content: {application/json: {schema: {type: object}}}
                    2XX:
                      description: array
                      content: {application/json: {schema: {type: array}}}
                    '204': {description: nothing}
                    default:
                      description: string
                      content: {application/json: {schema: {type: string}}}
            """))
        let operation = try #require(contract.operation(method: "GET", template: "/r"))
        func check(_ status: Int, _ body: String) -> [String] {
            summary(operation.validateResponse(status: status, contentType: "application/json", body: bytes(body)))
        }
        #expect(check(200, "{}") == [])
        #expect(check(200, "[]") == ["/body type"])
        #expect(check(201, "[]") == [])
        #expect(check(201, "{}") == ["/body type"])
        #expect(check(500, "\"oops\"") == [])
        #expect(check(204, "") == [])
        #expect(check(204, "{}") == ["/body content"])
    }

    @Test func nonJSONBodiesPassUnparsed() throws {
        let contract = try Contract(parsing: contractText(paths: """
              /doc:
                get:
                  responses:
                    '200':
                      description: the certificate as PDF or JSON
                      content:
                        application/pdf: {}
                        application/*+json: {schema: {type: object}}
            """))
        let operation = try #require(contract.operation(method: "GET", template: "/doc"))
        #expect(operation.validateResponse(status: 200, contentType: "application/pdf", body: [0x25, 0x50, 0x44, 0x46]) == [])
        #expect(summary(operation.validateResponse(status: 200, contentType: "application/json", body: bytes("{}")))
            == ["/header/content-type content"])
    }
}
