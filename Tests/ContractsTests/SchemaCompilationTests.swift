import Contracts
import JSONSchema
import Testing

@Suite struct SchemaCompilationTests {
    private func body(schema: String, components: String = "") -> String {
        contractText(requestSchema: schema, components: components)
    }

    @Test(arguments: [
        ("{type: object, properties: {code: {type: string, pattern: '[unclosed'}}}", "/properties/code/pattern"),
        ("{type: integer, minimum: low}", "/minimum"),
        ("{$ref: '#/components/schemas/Missing'}", "/$ref"),
        ("{type: strin}", "/type"),
    ])
    func invalidSchemaIsRefusedAtItsLocation(schema: String, keyword: String) {
        let error = loadError(body(schema: schema))
        #expect(error?.code == .schema)
        #expect(error?.location == "/paths/~1s/post/requestBody/content/application~1json/schema" + keyword)
        #expect(error?.message.contains("does not compile") == true)
        #expect(error?.underlying is SchemaError)
    }

    @Test func unusedComponentSchemaIsCompiledToo() {
        let error = loadError(body(schema: "{type: object}", components: """
              schemas:
                Unused: {type: string, pattern: '(?<'}
            """))
        #expect(error?.code == .schema)
        #expect(error?.location == "/components/schemas/Unused/pattern")
    }

    @Test func embeddedIdentifiersAndAnchorsResolve() throws {
        let contract = try Contract(parsing: body(schema: "{$ref: '#/components/schemas/Person'}", components: """
              schemas:
                Person:
                  $id: https://schemas.example.gov/person
                  type: object
                  required: [id]
                  properties:
                    id: {$ref: '#nationalId'}
                    address: {$ref: '#/$defs/address'}
                  $defs:
                    nationalId: {$anchor: nationalId, type: string, pattern: '^[0-9]{10}$'}
                    address: {type: object, required: [city]}
            """))
        let operation = try #require(contract.operation(method: "POST", template: "/s"))
        func check(_ json: String) -> [String] {
            summary(operation.validateRequest(pathParameters: [:], query: [], headers: [], contentType: "application/json",
                                              body: bytes(json)))
        }
        #expect(check(#"{"id": "9861034521", "address": {"city": "Irbid"}}"#) == [])
        #expect(check(#"{"id": "98", "address": {}}"#) == ["/body/id pattern", "/body/address required"])
    }

    @Test func sampleExamplesSatisfyTheirSchemas() throws {
        let moj = try sampleContract("moj/criminal-record-certificate.v1.yaml")
        let operation = try #require(moj.operation(id: "issueCertificate"))
        let example = try #require(moj.document["paths"]?["/certificates"]?["post"]?["requestBody"]?["content"]?["application/json"]?["example"])
        let errors = operation.validateRequest(pathParameters: [:], query: [], headers: [], contentType: "application/json",
                                               body: bytes(example.serialized()))
        #expect(errors == [])
    }
}
