import Contracts
import JSONSchema
import Testing

@Suite struct SampleContractTests {
    @Test func criminalRecordCertificateLoads() throws {
        let contract = try sampleContract("moj/criminal-record-certificate.v1.yaml")
        let exchange = contract.exchange
        #expect(exchange.id == "moj/criminal-record-certificate/v1")
        #expect(exchange.consumers == ["mol", "rop"])
        #expect(exchange.timeout == .seconds(5))
        #expect(exchange.retry == Contract.Exchange.Retry(attempts: 4, initialBackoff: .milliseconds(100), maxBackoff: .seconds(2)))
        #expect(exchange.asyncRetryFor == .seconds(24 * 3600))
        #expect(exchange.auditBody == .digest)
        #expect(exchange.responseValidation == .enforce)
        #expect(exchange.formatAssertion)
        #expect(contract.title == "Criminal Record Certificate")
        #expect(contract.operations.map(\.name) == ["POST /certificates", "GET /certificates/{certificateNumber}"])
        let issue = try #require(contract.operation(id: "issueCertificate"))
        #expect(issue.requestBody?.required == true)
        #expect(issue.requestBody?.content.map(\.name) == ["application/json"])
        #expect(issue.responses.map(\.status) == ["201", "400", "404", "422", "5XX"])
        let lookup = try #require(contract.operation(id: "getCertificate"))
        #expect(lookup.parameters.map(\.name) == ["certificateNumber"])
        #expect(lookup.parameters[0].schemaPointer == "/paths/~1certificates~1{certificateNumber}/parameters/0/schema")
    }

    @Test func trafficViolationsLoads() throws {
        let contract = try sampleContract("rop/traffic-violations.v1.yaml")
        #expect(contract.exchange.id == "rop/traffic-violations/v1")
        #expect(contract.exchange.consumers == ["mol", "spf"])
        #expect(contract.exchange.timeout == .seconds(3))
        let list = try #require(contract.operation(method: "get", template: "/violations/{nationalId}"))
        #expect(list.parameters.map { "\($0.location.rawValue):\($0.name)" }
            == ["path:nationalId", "query:from", "query:to", "query:status", "query:page", "query:pageSize"])
        #expect(list.parameters.allSatisfy { $0.location == .path ? $0.required : !$0.required })
    }

    @Test func contributionRecordLoads() throws {
        let contract = try sampleContract("spf/contribution-record.v1.yaml")
        #expect(contract.exchange.id == "spf/contribution-record/v1")
        #expect(contract.exchange.consumers == ["mol"])
        #expect(contract.exchange.responseValidation == .report)
        let record = try #require(contract.operation(id: "getContributionRecord"))
        #expect(record.name == "GET /contributors/{nationalId}/contributions")
        // The path-level parameter is a $ref into components; its schema pointer says where it lives.
        let nationalId = try #require(record.parameters.first { $0.name == "nationalId" })
        #expect(nationalId.schemaPointer == "/components/parameters/NationalId/schema")
        #expect(record.parameters.first { $0.name == "year" }?.required == true)
    }

    @Test func jsonAndYAMLFormsLoadAlike() throws {
        let yaml = try sampleContract("moj/criminal-record-certificate.v1.yaml")
        let json = try Contract(parsing: yaml.document.serialized())
        #expect(json.document == yaml.document)
        #expect(json.exchange == yaml.exchange)
        #expect(json.operations.map(\.name) == yaml.operations.map(\.name))
    }
}

@Suite struct ExchangeBlockTests {
    @Test func defaultsApplyWhenOmitted() throws {
        let contract = try Contract(parsing: contractText())
        let exchange = contract.exchange
        #expect(exchange.consumers.isEmpty)
        #expect(exchange.timeout == .seconds(10))
        #expect(exchange.retry == Contract.Exchange.Retry())
        #expect(exchange.asyncRetryFor == .seconds(86_400))
        #expect(exchange.auditBody == .digest)
        #expect(exchange.responseValidation == .enforce)
        #expect(exchange.formatAssertion)
    }

    @Test func everySettingIsRead() throws {
        let contract = try Contract(parsing: contractText(exchange: """
              provider: spf
              service: pensions
              version: 3
              consumers: [mol, moj]
              timeout: 1m30s
              retry: {attempts: 1, initialBackoff: 1s, maxBackoff: 1s}
              async: {retryFor: 2h}
              audit: {body: full}
              responseValidation: report
              formatAssertion: false
            """))
        #expect(contract.exchange == Contract.Exchange(
            provider: "spf", service: "pensions", version: 3, consumers: ["mol", "moj"], timeout: .seconds(90),
            retry: .init(attempts: 1, initialBackoff: .seconds(1), maxBackoff: .seconds(1)),
            asyncRetryFor: .seconds(7_200), auditBody: .full, responseValidation: .report, formatAssertion: false))
    }

    @Test(arguments: [
        ("provider: Justice\n  service: s\n  version: 1", "/x-exchange/provider"),
        ("provider: moj\n  service: s\n  version: 0", "/x-exchange/version"),
        ("provider: moj\n  service: s\n  version: 1.5", "/x-exchange/version"),
        ("provider: moj\n  service: s\n  version: '1'", "/x-exchange/version"),
        ("provider: moj\n  version: 1", "/x-exchange/service"),
        ("provider: moj\n  service: s\n  version: 1\n  timeout: 5", "/x-exchange/timeout"),
        ("provider: moj\n  service: s\n  version: 1\n  timeout: 5 seconds", "/x-exchange/timeout"),
        ("provider: moj\n  service: s\n  version: 1\n  timeout: 0s", "/x-exchange/timeout"),
        ("provider: moj\n  service: s\n  version: 1\n  retry: {attempts: 0}", "/x-exchange/retry/attempts"),
        ("provider: moj\n  service: s\n  version: 1\n  retry: {initialBackoff: 2s, maxBackoff: 1s}", "/x-exchange/retry/maxBackoff"),
        ("provider: moj\n  service: s\n  version: 1\n  retry: {attempt: 3}", "/x-exchange/retry/attempt"),
        ("provider: moj\n  service: s\n  version: 1\n  async: {retryFor: forever}", "/x-exchange/async/retryFor"),
        ("provider: moj\n  service: s\n  version: 1\n  audit: {body: partial}", "/x-exchange/audit/body"),
        ("provider: moj\n  service: s\n  version: 1\n  responseValidation: strict", "/x-exchange/responseValidation"),
        ("provider: moj\n  service: s\n  version: 1\n  responseValidaton: report", "/x-exchange/responseValidaton"),
        ("provider: moj\n  service: s\n  version: 1\n  consumers: mol", "/x-exchange/consumers"),
        ("provider: moj\n  service: s\n  version: 1\n  consumers: [mol, MOL]", "/x-exchange/consumers/1"),
        ("provider: moj\n  service: s\n  version: 1\n  consumers: [mol, mol]", "/x-exchange/consumers/1"),
        ("provider: moj\n  service: s\n  version: 1\n  formatAssertion: no", "/x-exchange/formatAssertion"),
    ])
    func badValueIsLocated(block: String, location: String) {
        let error = loadError(contractText(exchange: "  " + block))
        #expect(error?.code == .exchange)
        #expect(error?.location == location)
        #expect(error?.wireString == "contract-invalid")
    }

    @Test func missingBlockIsLocated() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n" + defaultPaths
        let error = loadError(text)
        #expect(error?.code == .exchange)
        #expect(error?.location == "/x-exchange")
    }

    @Test func faultCarriesSourceLine() {
        let error = loadError(contractText(exchange: "  provider: moj\n  service: s\n  version: 1\n  timeout: soon"))
        // Line 7: openapi, info, x-exchange, provider, service, version, timeout.
        #expect(error?.issues.first?.line == 7)
    }

    @Test func everyFaultIsListed() {
        let error = loadError(contractText(exchange: "  provider: moj\n  service: s\n  version: 1\n  timeout: x\n  audit: {body: all}"))
        #expect(error?.issues.map(\.location) == ["/x-exchange/timeout", "/x-exchange/audit/body"])
    }
}

@Suite struct DocumentStructureTests {
    @Test func missingPathsIsLocated() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-exchange:\n" + defaultExchange
        let error = loadError(text)
        #expect(error?.code == .structure)
        #expect(error?.location == "/paths")
    }

    @Test func wrongOpenAPIVersionIsRefused() {
        let error = loadError(contractText().replacing("openapi: 3.1.0", with: "openapi: 3.0.3"))
        #expect(error?.code == .unsupported)
        #expect(error?.location == "/openapi")
    }

    @Test func documentMustBeAnObject() {
        #expect(loadError("- a\n- b")?.location == "")
        #expect(loadError("[1, 2")?.code == .syntax)
    }

    @Test func jsonSyntaxErrorHasPosition() {
        let error = loadError("{\"openapi\": \"3.1.0\",\n  \"info\": }")
        #expect(error?.code == .syntax)
        #expect(error?.issues.first?.line == 2)
    }

    @Test func undeclaredPathParameterIsRefused() {
        let error = loadError(contractText(paths: """
              /items/{id}:
                get:
                  responses:
                    '200': {description: ok}
            """))
        #expect(error?.location == "/paths/~1items~1{id}/get")
        #expect(error?.message.contains("'id'") == true)
    }

    @Test func pathParameterMustBeRequired() {
        let error = loadError(contractText(paths: """
              /items/{id}:
                get:
                  parameters:
                    - {name: id, in: path, schema: {type: string}}
                  responses:
                    '200': {description: ok}
            """))
        #expect(error?.location == "/paths/~1items~1{id}/get/parameters/0/required")
    }

    @Test func samePathWithOtherParameterNamesIsRefused() {
        let error = loadError(contractText(paths: defaultPaths + "\n" + """
              /items/{key}:
                get:
                  parameters:
                    - {name: key, in: path, required: true, schema: {type: string}}
                  responses:
                    '200': {description: ok}
            """))
        #expect(error?.location == "/paths/~1items~1{key}")
    }

    @Test func malformedTemplateIsRefused() {
        let error = loadError(contractText(paths: """
              /items/{id:
                get:
                  responses:
                    '200': {description: ok}
            """))
        #expect(error?.location == "/paths/~1items~1{id")
    }

    @Test func badResponseKeyAndMissingResponsesAreLocated() {
        let error = loadError(contractText(paths: """
              /a:
                get:
                  responses:
                    '2xx': {description: ok}
              /b:
                post:
                  summary: no responses
            """))
        #expect(error?.issues.map(\.location) == ["/paths/~1a/get/responses/2xx", "/paths/~1b/post/responses"])
    }

    @Test func misspeltMemberIsRefused() {
        let error = loadError(contractText(paths: """
              /a:
                get:
                  parameters:
                    - {name: q, in: query, requried: true, schema: {type: string}}
                  responses:
                    '200': {description: ok}
            """))
        #expect(error?.location == "/paths/~1a/get/parameters/0/requried")
    }

    @Test func danglingReferenceIsLocated() {
        let error = loadError(contractText(paths: """
              /a:
                get:
                  responses:
                    '200': {$ref: '#/components/responses/Missing'}
            """))
        #expect(error?.location == "/paths/~1a/get/responses/200/$ref")
    }

    @Test func duplicateOperationIdIsRefused() {
        let error = loadError(contractText(paths: """
              /a:
                get:
                  operationId: same
                  responses: {'200': {description: ok}}
                post:
                  operationId: same
                  responses: {'200': {description: ok}}
            """))
        #expect(error?.location == "/paths/~1a/post/operationId")
    }

    @Test func unsupportedParameterStyleIsRefused() {
        let error = loadError(contractText(paths: """
              /a:
                get:
                  parameters:
                    - {name: filter, in: query, style: deepObject, schema: {type: object}}
                  responses: {'200': {description: ok}}
            """))
        #expect(error?.code == .unsupported)
        #expect(error?.location == "/paths/~1a/get/parameters/0/style")
    }

    @Test func badMediaTypeIsRefused() {
        let error = loadError(contractText(paths: """
              /a:
                post:
                  requestBody:
                    content:
                      json: {schema: {type: object}}
                  responses: {'200': {description: ok}}
            """))
        #expect(error?.location == "/paths/~1a/post/requestBody/content/json")
    }
}

@Suite struct DirectoryLoadingTests {
    @Test func everySampleContractLoads() throws {
        let contracts = try Contract.loadDirectory(contractsFolder)
        #expect(contracts.map(\.exchange.id) == [
            "moj/criminal-record-certificate/v1", "rop/traffic-violations/v1", "spf/contribution-record/v1",
        ])
        // The demo's main consumer may call every provider.
        #expect(contracts.allSatisfy { $0.exchange.consumers.contains("mol") })
    }

    @Test func faultNamesTheFile() {
        do {
            _ = try Contract.load(contentsOf: contractsFolder + "/missing/none.v1.yaml")
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.source?.hasSuffix("missing/none.v1.yaml") == true)
            #expect(error.description.hasPrefix(contractsFolder + "/missing/none.v1.yaml: contract-invalid"))
        }
    }
}

@Suite struct TextInputTests {
    @Test func bytesWithByteOrderMarkLoad() throws {
        let contract = try Contract(parsing: [0xEF, 0xBB, 0xBF] + bytes(contractText()))
        #expect(contract.exchange.id == "moj/test-service/v1")
    }

    @Test func nonUTF8BytesAreRefused() {
        #expect(throws: ContractError.self) { try Contract(parsing: [0x6F, 0x70, 0xFF, 0xFE] as [UInt8]) }
    }

    @Test func duplicateKeyInJSONIsRefused() {
        let error = loadError(#"{"openapi": "3.1.0", "openapi": "3.1.1"}"#)
        #expect(error?.code == .syntax)
        #expect(error?.issues.first?.line == 1)
    }

    @Test func operationParameterOverridesPathParameter() throws {
        let contract = try Contract(parsing: contractText(paths: """
              /items/{id}:
                parameters:
                  - {name: id, in: path, required: true, schema: {type: string}}
                  - {name: q, in: query, schema: {type: string}}
                get:
                  parameters:
                    - {name: id, in: path, required: true, schema: {type: integer}}
                  responses: {'200': {description: ok}}
                delete:
                  responses: {'204': {description: gone}}
            """))
        let get = try #require(contract.operation(method: "GET", template: "/items/{id}"))
        let delete = try #require(contract.operation(method: "DELETE", template: "/items/{id}"))
        #expect(get.parameters.map(\.name).sorted() == ["id", "q"])
        #expect(get.parameters.first { $0.name == "id" }?.schemaPointer == "/paths/~1items~1{id}/get/parameters/0/schema")
        #expect(delete.parameters.first { $0.name == "id" }?.schemaPointer == "/paths/~1items~1{id}/parameters/0/schema")
        func check(_ operation: Contract.Operation) -> [String] {
            summary(operation.validateRequest(pathParameters: ["id": "abc"], query: [], headers: [], contentType: nil, body: []))
        }
        #expect(check(get) == ["/path/id type"])
        #expect(check(delete) == [])
    }
}
