import Foundation
import Testing

@testable import JSONSchema

@Suite struct ValidatorTests {
    static let contractURI = "urn:rabt:contract:moj/criminal-record-certificate/1"

    /// A cut-down OpenAPI 3.1 document shaped like the real contracts.
    static let contract: JSONValue = try! JSONValue(parsing: #"""
    {
      "openapi": "3.1.0",
      "paths": {
        "/certificates": {"post": {"requestBody": {"content": {"application/json": {
          "schema": {"$ref": "#/components/schemas/CertificateRequest"}}}}}}
      },
      "components": {"schemas": {
        "NationalId": {"type": "string", "pattern": "^[0-9]{10}$", "example": "9861034521"},
        "CertificateRequest": {
          "type": "object",
          "required": ["applicant", "purpose"],
          "additionalProperties": false,
          "discriminator": {"propertyName": "purpose"},
          "properties": {
            "applicant": {"type": "object", "required": ["nationalId"],
              "properties": {"nationalId": {"$ref": "#/components/schemas/NationalId"},
                             "dateOfBirth": {"type": "string", "format": "date"}}},
            "purpose": {"enum": ["work-permit", "residency"]},
            "fee": {"type": "number", "minimum": 0, "multipleOf": 0.01}
          }
        }
      }}
    }
    """#)

    static func compiler(_ options: ValidationOptions = .init()) throws -> SchemaCompiler {
        var compiler = SchemaCompiler(options: options)
        try compiler.addResource(contract, uri: contractURI)
        return compiler
    }

    @Test func validatesThroughAnOpenAPIPointer() throws {
        let validator = try Self.compiler().compile(
            uri: Self.contractURI + "#/paths/~1certificates/post/requestBody/content/application~1json/schema")
        let good: JSONValue = ["applicant": ["nationalId": "9861034521"], "purpose": "work-permit", "fee": 19.99]
        #expect(validator.isValid(good))
        #expect(validator.validate(good).errors.isEmpty)
        #expect(!validator.isValid(["applicant": ["nationalId": "12AB"], "purpose": "work-permit"]))
    }

    @Test func reportsBasicOutputWithLocations() throws {
        let validator = try Self.compiler().compile(uri: Self.contractURI + "#/components/schemas/CertificateRequest")
        let result = validator.validate(["applicant": ["nationalId": "12AB"], "purpose": "x", "extra": 1, "fee": 1.001])
        #expect(!result.isValid)
        let byKeyword = Dictionary(grouping: result.errors, by: \.keyword)
        let pattern = try #require(byKeyword["pattern"]?.first)
        #expect(pattern.instanceLocation == "/applicant/nationalId")
        #expect(pattern.keywordLocation == "/properties/applicant/properties/nationalId/$ref/pattern")
        #expect(pattern.absoluteKeywordLocation == Self.contractURI + "#/components/schemas/NationalId/pattern")
        #expect(pattern.message == #""12AB" does not match ^[0-9]{10}$"#)
        #expect(byKeyword["enum"]?.first?.instanceLocation == "/purpose")
        #expect(byKeyword["additionalProperties"]?.first?.instanceLocation == "/extra")
        #expect(byKeyword["additionalProperties"]?.first?.message == #"property "extra" is not allowed"#)
        #expect(byKeyword["multipleOf"]?.first?.instanceLocation == "/fee")
        #expect(result.errors.count == 4)
    }

    @Test func reportsMissingRequiredPropertiesAtTheObject() throws {
        let validator = try Self.compiler().compile(uri: Self.contractURI + "#/components/schemas/CertificateRequest")
        let errors = validator.validate(["applicant": [:]]).errors
        #expect(Set(errors.map(\.message)) == [#"required property "purpose" is missing"#, #"required property "nationalId" is missing"#])
        #expect(Set(errors.map(\.instanceLocation)) == ["", "/applicant"])
    }

    @Test func truncatesLongValuesInMessages() throws {
        let validator = try SchemaCompiler().compile(["maxLength": 3])
        let error = try #require(validator.validate(.string(String(repeating: "x", count: 10_000))).errors.first)
        #expect(error.message.count < 100)
        #expect(error.keyword == "maxLength")
    }

    @Test func formatIsAnnotationUnlessAsserted() throws {
        let schema: JSONValue = ["type": "string", "format": "date"]
        #expect(try SchemaCompiler().compile(schema).isValid("2026-02-30"))
        let asserting = try SchemaCompiler(options: ValidationOptions(formatAssertion: true)).compile(schema)
        #expect(!asserting.isValid("2026-02-30"))
        #expect(asserting.isValid("2024-02-29"))
        #expect(asserting.validate("nope").errors.first?.keyword == "format")
    }

    @Test func stringLengthCountsCodePoints() throws {
        let validator = try SchemaCompiler().compile(["minLength": 2, "maxLength": 2])
        #expect(validator.isValid("😀é"))
        #expect(!validator.isValid("😀"))
    }

    @Test func anyOfFailureExplainsEachAlternative() throws {
        let validator = try SchemaCompiler().compile(["anyOf": [["type": "string"], ["type": "integer", "minimum": 5]]])
        let errors = validator.validate(3).errors
        #expect(errors.map(\.keywordLocation).sorted() == ["/anyOf", "/anyOf/0/type", "/anyOf/1/minimum"])
    }

    @Test(arguments: [
        (#"{"minLength": -1}"#, "schema-invalid-keyword", "/minLength"),
        (#"{"properties": {"a": {"pattern": "(unclosed"}}}"#, "schema-invalid-regex", "/properties/a/pattern"),
        (##"{"items": {"$ref": "#/$defs/missing"}}"##, "schema-unresolved-reference", "/items/$ref"),
        (#"{"type": "strin"}"#, "schema-invalid-keyword", "/type"),
        (##"{"allOf": [{"$ref": "#"}]}"##, "schema-reference-cycle", ""),
        (#"{"properties": {"a": 3}}"#, "schema-invalid", "/properties/a"),
        (#"{"required": ["a", "a"]}"#, "schema-invalid-keyword", "/required"),
        (#"{"$ref": "https://example.com/unknown.json"}"#, "schema-unresolved-reference", "/$ref"),
    ])
    func rejectsInvalidSchemasAtCompileTime(schema: String, code: String, location: String) throws {
        let document = try JSONValue(parsing: schema)
        do {
            _ = try SchemaCompiler().compile(document)
            Issue.record("compiled invalid schema \(schema)")
        } catch {
            #expect(error.code.description == code)
            #expect(error.location == location)
        }
    }

    @Test func errorListIsBounded() throws {
        let schema: JSONValue = ["items": ["type": "string"]]
        let instance = JSONValue.array((0..<10_000).map { .number(JSONNumber($0)) })
        let result = try SchemaCompiler().compile(schema).validate(instance)
        #expect(result.errors.count == 100)
        #expect(result.errors.last?.instanceLocation == "/99")
        let few = try SchemaCompiler(options: ValidationOptions(maximumErrors: 3)).compile(schema).validate(instance)
        #expect(few.errors.map(\.instanceLocation) == ["/0", "/1", "/2"])
    }

    @Test func unknownKeywordsAreIgnored() throws {
        let validator = try SchemaCompiler().compile(["type": "object", "xml": ["name": "x"], "example": 5, "x-rabt": true])
        #expect(validator.isValid([:]))
    }

    @Test func referencesAcrossDocumentsResolveAfterAddResource() throws {
        var compiler = SchemaCompiler()
        try compiler.addResource(["$defs": ["id": ["type": "string", "minLength": 1]]], uri: "urn:rabt:common")
        let validator = try compiler.compile(["$ref": "urn:rabt:common#/$defs/id"])
        #expect(validator.isValid("a"))
        #expect(!validator.isValid(""))
        #expect(compiler.hasResource(uri: "urn:rabt:common#/$defs/id"))
    }

    @Test func validatesSchemasAgainstTheBundledMetaschema() throws {
        let meta = try SchemaCompiler().compile(uri: "https://json-schema.org/draft/2020-12/schema")
        #expect(meta.isValid(Self.contract["components"]!["schemas"]!["CertificateRequest"]!))
        #expect(!meta.isValid(["type": 12]))
        #expect(!meta.isValid(["properties": ["a": ["minLength": -1]]]))
    }

    @Test func validatorIsSharedAcrossTasks() async throws {
        let validator = try Self.compiler().compile(uri: Self.contractURI + "#/components/schemas/CertificateRequest")
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let id: JSONValue = i % 2 == 0 ? "9861034521" : "98610345X1"
                    return validator.isValid(["applicant": ["nationalId": id], "purpose": "residency"]) == (i % 2 == 0)
                }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(results)
    }

    @Test func validationErrorsEncodeAsBasicOutputUnits() throws {
        let error = ValidationError(instanceLocation: "/a", keywordLocation: "/properties/a/type",
                                    absoluteKeywordLocation: nil, keyword: "type", message: "expected string, found number")
        let decoded = try JSONDecoder().decode(ValidationError.self, from: JSONEncoder().encode(error))
        #expect(decoded == error)
    }

    @Test func jsonValueRoundTripsThroughCodable() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": -7]]
        let decoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(decoded == value)
    }
}
