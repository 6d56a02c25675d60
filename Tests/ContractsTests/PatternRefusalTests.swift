import Contracts
import JSONSchema
import Testing

/// A contract's patterns must match in linear time: one that needs a backtracking engine is
/// refused when the contract is loaded, at the pattern's own location, saying why.
@Suite struct PatternRefusalTests {
    private func contract(property: String) -> String {
        contractText(requestSchema: "{$ref: '#/components/schemas/Request'}", components: """
              schemas:
                Request:
                  type: object
                  properties:
                    \(property)
            """)
    }

    @Test(arguments: [
        ("code: {type: string, pattern: '^(?=.*[0-9])[A-Z0-9]+$'}", "/properties/code/pattern", "lookahead"),
        ("code: {type: string, pattern: '(?<!-)[0-9]+$'}", "/properties/code/pattern", "lookbehind"),
        ("code: {type: string, pattern: '^([a-z])\\1$'}", "/properties/code/pattern", "backreference"),
        ("code: {type: string, pattern: '^(?<c>[a-z])\\k<c>$'}", "/properties/code/pattern", "backreference"),
        ("code: {type: object, patternProperties: {'^(?!x-)': true}}", "/properties/code/patternProperties/^(?!x-)", "lookahead"),
        ("code: {type: string, pattern: '^[a-z\\_]+$'}", "/properties/code/pattern", "not a valid ECMA-262 pattern"),
    ])
    func backtrackingPatternIsRefused(property: String, keyword: String, reason: String) throws {
        let error = try #require(loadError(contract(property: property)))
        #expect(error.code == .schema)
        #expect(error.location == "/components/schemas/Request" + keyword)
        #expect(error.message.contains(reason), "\(error.message)")
        #expect(error.message.contains("only patterns that match in linear time are accepted"))
        #expect((error.underlying as? SchemaError)?.code == .backtrackingRegex)
    }

    /// The pattern that stalled a node (issue 15) is accepted: RE2 runs it in linear time, and a
    /// 10 KB hostile value is answered.
    @Test func catastrophicButRegularPatternIsAcceptedAndAnswers() throws {
        let loaded = try Contract(parsing: contract(property: "name: {type: string, pattern: '^([a-z]+ ?)*$'}"))
        let operation = try #require(loaded.operation(method: "POST", template: "/s"))
        func check(_ name: String) -> [String] {
            summary(operation.validateRequest(pathParameters: [:], query: [], headers: [], contentType: "application/json",
                                              body: bytes(#"{"name": "\#(name)"}"#)))
        }
        #expect(check(String(repeating: "abcdefghij", count: 1_000) + "!") == ["/body/name pattern"])
        #expect(check("civil registry extract") == [])
    }
}
