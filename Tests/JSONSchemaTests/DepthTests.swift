import Testing

@testable import JSONSchema

@Suite struct DepthTests {
    static let recursiveSchema = try! JSONValue(parsing: #"""
        {"$defs": {"node": {"anyOf": [{"type": "integer", "minimum": 2},
                                      {"type": "object", "properties": {"a": {"items": {"$ref": "#/$defs/node"}}},
                                       "unevaluatedProperties": false}]}},
         "$ref": "#/$defs/node"}
        """#)

    static func nested(_ depth: Int, leaf: Int) throws -> JSONValue {
        try JSONValue(parsing: String(repeating: "{\"a\":[", count: depth) + String(leaf) + String(repeating: "]}", count: depth))
    }

    @Test func recursiveSchemasValidateNestedInstances() async throws {
        let validator = try SchemaCompiler().compile(Self.recursiveSchema)
        #expect(validator.isValid(try Self.nested(40, leaf: 3)))
        let result = await Task.detached { [instance = try Self.nested(40, leaf: 1)] in validator.validate(instance) }.value
        #expect(!result.isValid)
        #expect(result.errors.contains { $0.keyword == "minimum" && $0.instanceLocation.hasSuffix("/a/0") })
    }

    /// The deepest document the parser accepts, against a recursive schema on a cooperative-pool
    /// thread, ends in a validation failure, not a stack overflow.
    @Test func deepestParsableInstanceFailsInsteadOfExhaustingTheStack() async throws {
        let instance = try Self.nested(JSONParser.maximumDepth / 2, leaf: 3)
        let validator = try SchemaCompiler(options: ValidationOptions(maximumErrors: 10_000)).compile(Self.recursiveSchema)
        let result = await Task.detached { validator.validate(instance) }.value
        #expect(!result.isValid)
        #expect(result.errors.contains { $0.message.contains("nested too deeply") })
    }
}
