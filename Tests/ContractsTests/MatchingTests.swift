import Contracts
import Testing

@Suite struct MatchingTests {
    let moj: Contract
    let rop: Contract

    init() throws {
        moj = try sampleContract("moj/criminal-record-certificate.v1.yaml")
        rop = try sampleContract("rop/traffic-violations.v1.yaml")
    }

    @Test func literalPathMatches() throws {
        let match = try #require(moj.match(method: "POST", path: "/certificates"))
        #expect(match.operation.operationId == "issueCertificate")
        #expect(match.operation.name == "POST /certificates")
        #expect(match.pathParameters.isEmpty)
    }

    @Test func templatedPathYieldsParameters() throws {
        let match = try #require(moj.match(method: "GET", path: "/certificates/CRC-2026-0004217"))
        #expect(match.operation.name == "GET /certificates/{certificateNumber}")
        #expect(match.pathParameters == ["certificateNumber": "CRC-2026-0004217"])
    }

    @Test func methodIsCaseInsensitiveAndQueryIgnored() throws {
        let match = try #require(rop.match(method: "get", path: "/violations/9861034521?status=paid"))
        #expect(match.operation.operationId == "listViolations")
        #expect(match.pathParameters == ["nationalId": "9861034521"])
    }

    @Test func parameterValuesArePercentDecodedAndForwardedReEncoded() throws {
        let match = try #require(rop.match(method: "GET", path: "/violations/%39861034521/TV%3B1"))
        #expect(match.pathParameters == ["nationalId": "9861034521", "violationNumber": "TV;1"])
        #expect(match.forwardPath == "/violations/9861034521/TV%3B1")
    }

    @Test func valuesHoldingSlashesOrDotSegmentsNeverMatch() {
        #expect(rop.match(method: "GET", path: "/violations/9861034521/TV%2F1") == nil)
        #expect(rop.match(method: "GET", path: "/violations/9861034521/%2E%2e") == nil)
        #expect(rop.match(method: "GET", path: "/violations/9861034521/..") == nil)
    }

    @Test func literalSegmentsMatchOnlyAsWritten() {
        #expect(moj.match(method: "POST", path: "/certificates")?.operation.operationId == "issueCertificate")
        #expect(moj.match(method: "POST", path: "/certific%61tes") == nil)
    }

    @Test func methodNotAllowedListsAllowedMethods() {
        guard case .methodNotAllowed(let allowed) = moj.route(method: "DELETE", path: "/certificates/CRC-2026-0004217") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["GET"])
        guard case .methodNotAllowed(let allowedRoot) = moj.route(method: "GET", path: "/certificates") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowedRoot == ["POST"])
    }

    @Test(arguments: ["/nothing", "/certificates/", "/certificates/a/b", "certificates", "", "/certificates/%zz",
                      "/violations//TV1"])
    func unknownPathsAreNotFound(path: String) {
        guard case .notFound = rop.route(method: "GET", path: path), case .notFound = moj.route(method: "GET", path: path)
        else {
            Issue.record("\(path) should not match")
            return
        }
    }

    @Test func literalSegmentsWinOverTemplates() throws {
        let contract = try Contract(parsing: contractText(paths: """
              /items/{id}:
                parameters:
                  - {name: id, in: path, required: true, schema: {type: string}}
                get: {operationId: byId, responses: {'200': {description: ok}}}
                delete: {operationId: remove, responses: {'204': {description: gone}}}
              /items/latest:
                get: {operationId: latest, responses: {'200': {description: ok}}}
              /items/{id}/parts/{part}:
                parameters:
                  - {name: id, in: path, required: true, schema: {type: string}}
                  - {name: part, in: path, required: true, schema: {type: string}}
                get: {operationId: part, responses: {'200': {description: ok}}}
              /files/{name}.{ext}:
                parameters:
                  - {name: name, in: path, required: true, schema: {type: string}}
                  - {name: ext, in: path, required: true, schema: {type: string}}
                get: {operationId: file, responses: {'200': {description: ok}}}
            """))
        #expect(contract.match(method: "GET", path: "/items/latest")?.operation.operationId == "latest")
        #expect(contract.match(method: "GET", path: "/items/7")?.operation.operationId == "byId")
        // The literal path lacks DELETE, so the templated one that has it takes the request.
        let removal = try #require(contract.match(method: "DELETE", path: "/items/latest"))
        #expect(removal.operation.operationId == "remove")
        #expect(removal.pathParameters == ["id": "latest"])
        #expect(contract.match(method: "GET", path: "/items/7/parts/x%20y")?.pathParameters == ["id": "7", "part": "x y"])
        let file = try #require(contract.match(method: "GET", path: "/files/report.2026.pdf"))
        #expect(file.pathParameters == ["name": "report", "ext": "2026.pdf"])
        guard case .notFound = contract.route(method: "GET", path: "/files/report") else {
            Issue.record("a segment without the literal '.' must not match")
            return
        }
        guard case .methodNotAllowed(let allowed) = contract.route(method: "POST", path: "/items/latest") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["GET", "DELETE"])
    }

    @Test func operationLookupByTemplate() {
        #expect(rop.operation(method: "GET", template: "/violations/{nationalId}/{violationNumber}")?.operationId == "getViolation")
        #expect(rop.operation(method: "POST", template: "/violations/{nationalId}") == nil)
    }
}

@Suite struct QueryStringTests {
    @Test func decodesItemsInOrder() throws {
        let items = try queryItems("from=2026-01-01&status=paid&status=unpaid&name=Layla+Haddad&q=%D8%B9&flag")
        #expect(items.map(\.0) == ["from", "status", "status", "name", "q", "flag"])
        #expect(items.map(\.1) == ["2026-01-01", "paid", "unpaid", "Layla Haddad", "ع", ""])
    }

    @Test func malformedEscapeIsRefused() {
        // The exchange reads one form of a query; there is no lenient second reading.
        #expect(throws: RequestTarget.Fault.self) { try queryItems("a=%zz") }
    }
}
