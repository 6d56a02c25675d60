import Testing

@testable import JSONSchema

/// No pattern can hold a thread: linear-time matching where RE2 can run the pattern, a step
/// budget where only a backtracking engine can, and a switch that refuses the latter.
@Suite struct PatternSafetyTests {
    /// The pattern that took ICU 1.7 s on 41 bytes (issue 15), hostile input of 10 KB: RE2 answers
    /// (ICU would not, in any time a test could wait).
    @Test func catastrophicPatternRunsInLinearTime() throws {
        let pattern = try Pattern(source: "^([a-z]+ ?)*$")
        #expect(pattern.backtrackingReason == nil)
        let hostile = String(repeating: "abcdefghij", count: 1_000) + "!"
        #expect(pattern.verdict(hostile) == .doesNotMatch)
        #expect(pattern.verdict(String(repeating: "abcde ", count: 1_700)) == .matches)
        let nested = try Pattern(source: "^(a|aa|a?a)*(b|a+)*c$")
        #expect(!nested.matches(String(repeating: "a", count: 10_000)))
        #expect(nested.matches(String(repeating: "a", count: 10_000) + "c"))
    }

    /// On ICU the same pattern runs out of its step budget, the same way every time.
    @Test func backtrackingEngineStopsAtItsBudget() throws {
        let icu = try ICUPattern("^([a-z]+ ?)*$")
        let hostile = "abcdefghijklmnopqrstuvwxyzabcdefghijklmn!"
        #expect(hostile.utf8.count == 41)
        #expect(icu.match(hostile) == .undecided)
        #expect(icu.match(hostile) == .undecided)
        #expect(icu.match("abc def") == .matched)
    }

    @Test func whatNeedsTheBacktrackingEngine() throws {
        let reasons: [(String, String)] = [
            ("^(?=.*[0-9])[a-z0-9]+$", "lookahead"), ("^(?!x)", "lookahead"), ("(?<=a)b", "lookbehind"),
            ("(?<!a)b", "lookbehind"), ("^(a+)\\1$", "backreference"), ("^(?<n>a)\\k<n>$", "backreference"),
            ("(?m:^a$)", "`m` modifier"), ("^(ab){1001}$", "above 1000"), ("^(?i:\\bk)", "`i` modifier"),
            ("^\\p{Script_Extensions=Arab}+$", "Script_Extensions"), ("^\\p{Extended_Pictographic}$", "Extended_Pictographic"),
            ("^[a-z\\_]+$", "not a valid ECMA-262 pattern"), ("^\\p{Script=Latn}$", "RE2 refuses it"),
            ("^[\\p{L}\\s'-]{1,200}$", "pattern too large"),
        ]
        for (source, reason) in reasons {
            let pattern = try Pattern(source: source)
            #expect(pattern.backtrackingReason?.contains(reason) == true, "\(source): \(pattern.backtrackingReason ?? "nil")")
        }
        #expect(try Pattern(source: "^(a+)\\1$").matches("aaaa"))
        #expect(!(try Pattern(source: "^(a+)\\1$").matches("aaa")))
        #expect(try Pattern(source: "^(?=.*[0-9])[a-z0-9]+$").matches("abc1"))
        #expect(!(try Pattern(source: "^(?=.*[0-9])[a-z0-9]+$").matches("abc")))
    }

    /// A match the budget cannot settle fails validation, for `pattern` and `patternProperties` alike.
    @Test func undecidedMatchesAreRefused() throws {
        let hostile = JSONValue.string(String(repeating: "a", count: 40) + "!")
        let pattern = try SchemaCompiler().compile(try JSONValue(parsing: #"{"pattern": "^(?!b)(a|a)*$"}"#))
        #expect(!pattern.isValid(hostile))
        let errors = pattern.validate(hostile).errors
        #expect(errors.map(\.keyword) == ["pattern"])
        #expect(errors.first?.message.contains("step budget") == true)
        #expect(pattern.isValid(.string("aaa")))

        let names = try SchemaCompiler().compile(try JSONValue(parsing: #"{"patternProperties": {"^(?!b)(a|a)*$": {"type": "integer"}}}"#))
        let object = JSONValue.object(JSONObject([(String(repeating: "a", count: 40) + "!", .number(JSONNumber(1)))]))
        #expect(!names.isValid(object))
        #expect(names.validate(object).errors.map(\.keyword) == ["patternProperties"])
        #expect(names.isValid(try JSONValue(parsing: #"{"aa": 1, "b": "x"}"#)))
        #expect(!names.isValid(try JSONValue(parsing: #"{"aa": "x"}"#)))
    }

    /// With `allowsBacktrackingPatterns` off, such a pattern is a compile error at its location.
    @Test func linearOnlyOptionRefusesBacktrackingPatterns() throws {
        let compiler = SchemaCompiler(options: ValidationOptions(allowsBacktrackingPatterns: false))
        let cases: [(String, String)] = [
            (#"{"properties": {"code": {"pattern": "^(?=.*[0-9]).+$"}}}"#, "/properties/code/pattern"),
            (##"{"$defs": {"id": {"patternProperties": {"^(x)\\1$": true}}}, "$ref": "#/$defs/id"}"##, "/$defs/id/patternProperties/^(x)\\1$"),
        ]
        for (schema, location) in cases {
            #expect {
                _ = try compiler.compile(try JSONValue(parsing: schema))
            } throws: { error in
                guard let error = error as? SchemaError else { return false }
                return error.code == .backtrackingRegex && error.location == location && error.message.contains("linear time")
            }
        }
        #expect(throws: Never.self) { try compiler.compile(try JSONValue(parsing: #"{"pattern": "^([a-z]+ ?)*$"}"#)) }
    }

    @Test func validatorListsItsBacktrackingPatterns() throws {
        let schema = #"{"properties": {"a": {"pattern": "^(a)\\1$"}, "b": {"pattern": "^b+$"}}, "patternProperties": {"(?<=x)y": true}}"#
        let validator = try SchemaCompiler().compile(try JSONValue(parsing: schema))
        let found = validator.backtrackingPatterns.map { "\($0.location) \($0.pattern)" }.sorted()
        #expect(found == [
            "urn:rabt:schema:anonymous#/patternProperties/(?<=x)y (?<=x)y",
            "urn:rabt:schema:anonymous#/properties/a/pattern ^(a)\\1$",
        ])
        #expect(try SchemaCompiler().compile(try JSONValue(parsing: #"{"pattern": "^(a|b)+$"}"#)).backtrackingPatterns.isEmpty)
    }
}
