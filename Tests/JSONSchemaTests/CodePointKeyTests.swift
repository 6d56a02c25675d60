import Testing

@testable import JSONSchema

/// Member names are code-point sequences: "\u{212A}ind" (KELVIN SIGN) is not "Kind" and "\u{E9}" is not
/// "e\u{301}", although Swift's `String ==` calls each pair equal (canonical equivalence).
@Suite struct CodePointKeyTests {
    /// Both passes (`isValid` and the reporting `validate`) must agree with `expected`.
    static func expect(_ schema: String, _ instance: String, valid expected: Bool,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let validator = try SchemaCompiler().compile(try JSONValue(parsing: schema))
        let value = try JSONValue(parsing: instance)
        #expect(validator.isValid(value) == expected, "isValid \(instance)", sourceLocation: sourceLocation)
        #expect(validator.validate(value).isValid == expected, "validate \(instance)", sourceLocation: sourceLocation)
    }

    @Test func parserKeepsCanonicallyEquivalentNamesAsTwoMembers() throws {
        let kelvin = try #require(try JSONValue(parsing: #"{"Kind": 1, "\u212Aind": 2}"#).objectValue)
        #expect(kelvin.keys == ["Kind", "\u{212A}ind"])
        #expect(kelvin["Kind"] == 1 && kelvin["\u{212A}ind"] == 2)
        let accent = try #require(try JSONValue(parsing: #"{"e\u0301": 1, "\u00e9": 2}"#).objectValue)
        #expect(accent["e\u{301}"] == 1 && accent["\u{E9}"] == 2)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"\u212Aind": 1, "\u212Aind": 2}"#) }
        // Past the parser's linear scan (16 members) and the object's index (12).
        let many = (0..<20).map { "\"k\($0)\": \($0), " }.joined()
        let large = try #require(try JSONValue(parsing: "{" + many + #""Kind": "a", "\u212Aind": "b"}"#).objectValue)
        #expect(large.count == 22 && large["Kind"] == "a" && large["\u{212A}ind"] == "b")
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "{" + many + #""Kind": 1, "Kind": 2}"#) }
    }

    @Test func objectLookupMatchesExactNamesOnly() {
        var small = JSONObject()
        small["Kind"] = 1
        #expect(small["\u{212A}ind"] == nil)
        small["\u{212A}ind"] = 2
        #expect(small.count == 2 && small["Kind"] == 1)
        var large = JSONObject((0..<20).map { ("k\($0)", JSONValue.number(JSONNumber($0))) })
        large["\u{E9}"] = 1
        #expect(large["e\u{301}"] == nil)
        large["e\u{301}"] = 2
        #expect(large.count == 22 && large["\u{E9}"] == 1 && large["e\u{301}"] == 2)
        large["\u{E9}"] = nil
        #expect(large.count == 21 && large["e\u{301}"] == 2)
    }

    @Test func requiredNeedsTheExactName() throws {
        try Self.expect(#"{"required": ["Kind"]}"#, #"{"\u212Aind": 1}"#, valid: false)
        try Self.expect(#"{"required": ["\u212Aind"]}"#, #"{"Kind": 1}"#, valid: false)
        try Self.expect(#"{"required": ["\u00e9"]}"#, #"{"e\u0301": 1}"#, valid: false)
        try Self.expect(#"{"required": ["Kind", "\u212Aind"]}"#, #"{"Kind": 1, "\u212Aind": 2}"#, valid: true)
        try Self.expect(#"{"required": ["Kind", "\u212Aind"]}"#, #"{"Kind": 1}"#, valid: false)
    }

    @Test func onlyTheMissingNameIsReported() throws {
        let validator = try SchemaCompiler().compile(try JSONValue(parsing: #"{"required": ["Kind", "\u212Aind"]}"#))
        let errors = validator.validate(try JSONValue(parsing: #"{"\u212Aind": 1}"#)).errors
        #expect(errors.map(\.message) == [#"required property "Kind" is missing"#])
    }

    @Test func propertiesApplyToTheExactNameOnly() throws {
        // The reported bug: a KELVIN SIGN name satisfied `required` and escaped `Kind`'s enum.
        let reported = #"{"required": ["Kind"], "properties": {"Kind": {"enum": ["a"]}}}"#
        try Self.expect(reported, #"{"\u212Aind": "b"}"#, valid: false)
        try Self.expect(reported, #"{"Kind": "a", "\u212Aind": "b"}"#, valid: true)
        // Nine or more names take the plan's hashed index instead of its linear scan.
        for extra in ["", #", "p1": {}, "p2": {}, "p3": {}, "p4": {}, "p5": {}, "p6": {}, "p7": {}, "p8": {}"#] {
            let schema = #"{"properties": {"Kind": {"const": 1}, "\u212Aind": {"const": 2}, "\u00e9": {"const": 3}"# + extra + "}}"
            try Self.expect(schema, #"{"Kind": 1, "\u212Aind": 2, "\u00e9": 3, "e\u0301": 4}"#, valid: true)
            try Self.expect(schema, #"{"\u212Aind": 1}"#, valid: false)
            try Self.expect(schema, #"{"Kind": 2}"#, valid: false)
            try Self.expect(schema, #"{"e\u0301": 3, "\u00e9": 4}"#, valid: false)
        }
    }

    @Test func additionalPropertiesFalseRejectsAnEquivalentName() throws {
        for extra in ["", #", "p1": {}, "p2": {}, "p3": {}, "p4": {}, "p5": {}, "p6": {}, "p7": {}, "p8": {}"#] {
            let schema = #"{"properties": {"Kind": {}, "\u00e9": {}"# + extra + #"}, "additionalProperties": false}"#
            try Self.expect(schema, #"{"Kind": 1, "\u00e9": 2}"#, valid: true)
            try Self.expect(schema, #"{"\u212Aind": 1}"#, valid: false)
            try Self.expect(schema, #"{"e\u0301": 1}"#, valid: false)
            try Self.expect(schema, #"{"Kind": 1, "\u212Aind": 2}"#, valid: false)
        }
    }

    @Test func unevaluatedPropertiesTellsEquivalentNamesApart() throws {
        let schema = #"{"properties": {"Kind": {}}, "unevaluatedProperties": false}"#
        try Self.expect(schema, #"{"Kind": 1}"#, valid: true)
        try Self.expect(schema, #"{"Kind": 1, "\u212Aind": 2}"#, valid: false)
    }

    @Test func dependentRequiredAndDependentSchemasUseExactNames() throws {
        try Self.expect(#"{"dependentRequired": {"a": ["Kind"]}}"#, #"{"a": 1, "\u212Aind": 2}"#, valid: false)
        try Self.expect(#"{"dependentRequired": {"Kind": ["b"]}}"#, #"{"\u212Aind": 1}"#, valid: true)
        try Self.expect(#"{"dependentRequired": {"\u00e9": ["b"]}}"#, #"{"e\u0301": 1}"#, valid: true)
        try Self.expect(#"{"dependentSchemas": {"Kind": false}}"#, #"{"\u212Aind": 1}"#, valid: true)
        try Self.expect(#"{"dependentSchemas": {"Kind": false}}"#, #"{"Kind": 1}"#, valid: false)
    }

    @Test func propertyNamesSeesEachName() throws {
        let schema = #"{"propertyNames": {"const": "Kind"}}"#
        try Self.expect(schema, #"{"\u212Aind": 1}"#, valid: false)
        let validator = try SchemaCompiler().compile(try JSONValue(parsing: schema))
        let errors = validator.validate(try JSONValue(parsing: #"{"Kind": 1, "\u212Aind": 2}"#)).errors
        #expect(errors.map(\.instanceLocation) == ["/\u{212A}ind"])
        try Self.expect(#"{"propertyNames": {"enum": ["\u00e9"]}}"#, #"{"\u00e9": 1, "e\u0301": 2}"#, valid: false)
    }

    @Test func enumAndConstCompareObjectNamesByCodePoints() throws {
        try Self.expect(#"{"const": {"Kind": 1}}"#, #"{"\u212Aind": 1}"#, valid: false)
        try Self.expect(#"{"enum": [{"Kind": 1}, 2]}"#, #"{"\u212Aind": 1}"#, valid: false)
        try Self.expect(#"{"const": {"\u00e9": 1}}"#, #"{"e\u0301": 1}"#, valid: false)
        try Self.expect(#"{"const": {"Kind": 1, "\u212Aind": 2}}"#, #"{"\u212Aind": 2, "Kind": 1}"#, valid: true)
        let kind = try JSONValue(parsing: #"{"Kind": 1}"#), kelvin = try JSONValue(parsing: #"{"\u212Aind": 1}"#)
        #expect(kind != kelvin)
    }

    @Test func uniqueItemsTellsObjectsWithEquivalentNamesApart() throws {
        try Self.expect(#"{"uniqueItems": true}"#, #"[{"Kind": 1}, {"\u212Aind": 1}]"#, valid: true)
        try Self.expect(#"{"uniqueItems": true}"#, #"[{"\u00e9": 1}, {"e\u0301": 1}]"#, valid: true)
        try Self.expect(#"{"uniqueItems": true}"#, #"[{"Kind": 1}, {"Kind": 1}]"#, valid: false)
        // From 16 items on duplicates are found by hashing.
        let filler = (0..<16).map { String($0) + ", " }.joined()
        try Self.expect(#"{"uniqueItems": true}"#, "[" + filler + #"{"Kind": 1}, {"\u212Aind": 1}]"#, valid: true)
        try Self.expect(#"{"uniqueItems": true}"#, "[" + filler + #"{"e\u0301": 1}, {"\u00e9": 1}]"#, valid: true)
        try Self.expect(#"{"uniqueItems": true}"#, "[" + filler + #"{"\u00e9": 1}, {"\u00e9": 1}]"#, valid: false)
    }

    @Test func schemaNamesAndPatternsStayDistinct() throws {
        // `$defs` named "Kind" and "\u{212A}ind" are two schemas; a pointer token may start with a combining mark.
        let defs = #"{"$defs": {"Kind": {"const": 1}, "\u212Aind": {"const": 2}, "\u0301x": {"const": 3}}, "#
        try Self.expect(defs + ##""$ref": "#/$defs/\u212Aind"}"##, "2", valid: true)
        try Self.expect(defs + ##""$ref": "#/$defs/\u212Aind"}"##, "1", valid: false)
        try Self.expect(defs + ##""$ref": "#/$defs/\u0301x"}"##, "3", valid: true)
        #expect(JSONPointer.tokens("/\u{301}x/a~1\u{301}/~0\u{301}") == ["\u{301}x", "a/\u{301}", "~\u{301}"])
        // The regexes "^K$" and "^\u{212A}$" are compiled (and cached) separately.
        let patterns = #"{"properties": {"a": {"pattern": "^K$"}, "b": {"pattern": "^\u212A$"}}}"#
        try Self.expect(patterns, #"{"a": "K", "b": "\u212A"}"#, valid: true)
        try Self.expect(patterns, #"{"b": "K"}"#, valid: false)
    }
}
