@testable import Contracts
import JSONSchema
import Testing

@Suite struct YAMLReadingTests {
    private func read(_ text: String) throws(ContractError) -> JSONValue {
        try YAMLReader.read(text).0
    }

    @Test func plainScalarsFollowTheCoreSchema() throws {
        let value = try read("""
            int: 42
            negative: -7
            plus: +3
            octal: 0o17
            hex: 0x1F
            float: 2.5
            exponent: 1e3
            leadingDot: .5
            trueValue: true
            capitalFalse: False
            nullTilde: ~
            empty:
            yes11: yes
            date: 2026-01-02
            version: 1.0.0
            quotedNumber: '42'
            doubleQuoted: "true"
            duration: 100ms
            """)
        #expect(value["int"] == .number(JSONNumber(42)))
        #expect(value["negative"] == .number(JSONNumber(-7)))
        #expect(value["plus"] == .number(JSONNumber(3)))
        #expect(value["octal"] == .number(JSONNumber(15)))
        #expect(value["hex"] == .number(JSONNumber(31)))
        #expect(value["float"] == .number(JSONNumber(2.5)))
        #expect(value["exponent"] == .number(JSONNumber(1000)))
        #expect(value["leadingDot"] == .number(JSONNumber(0.5)))
        #expect(value["trueValue"] == .bool(true))
        #expect(value["capitalFalse"] == .bool(false))
        #expect(value["nullTilde"] == .null)
        #expect(value["empty"] == .null)
        // YAML 1.1 booleans and timestamps are plain strings in YAML 1.2.
        #expect(value["yes11"] == .string("yes"))
        #expect(value["date"] == .string("2026-01-02"))
        #expect(value["version"] == .string("1.0.0"))
        #expect(value["quotedNumber"] == .string("42"))
        #expect(value["doubleQuoted"] == .string("true"))
        #expect(value["duration"] == .string("100ms"))
    }

    @Test func integerStaysExactBeyondDoublePrecision() throws {
        let value = try read("big: 9007199254740993")
        #expect(value["big"]?.numberValue?.int64Value == 9_007_199_254_740_993)
    }

    @Test func explicitTagsAreHonoured() throws {
        let value = try read("""
            a: !!str 123
            b: !!int "5"
            c: !!float 3
            d: ! 12
            """)
        #expect(value["a"] == .string("123"))
        #expect(value["b"] == .number(JSONNumber(5)))
        #expect(value["c"] == .number(JSONNumber(3)))
        #expect(value["d"] == .string("12"))
    }

    @Test func numericKeysAreStrings() throws {
        let value = try read("responses:\n  200: ok\n  default: other")
        #expect(value["responses"]?.objectValue?.keys == ["200", "default"])
    }

    @Test func membersKeepDocumentOrder() throws {
        let value = try read("z: 1\na: 2\nm: 3")
        #expect(value.objectValue?.keys == ["z", "a", "m"])
    }

    @Test func aliasesExpand() throws {
        let value = try read("base: &b {type: string}\ncopy: *b")
        #expect(value["copy"] == value["base"])
        #expect(value["copy"]?["type"] == .string("string"))
    }

    @Test func duplicateKeyIsRefusedWithLocation() {
        #expect(throws: ContractError.self) { try read("a: 1\nb: 2\na: 3") }
        // `200` and `'200'` differ to YAML but are the same JSON member.
        do {
            _ = try read("responses:\n  200: ok\n  '200': again")
            Issue.record("duplicate key was accepted")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.location == "/responses/200")
            #expect(error.issues[0].line == 3)
            #expect(error.message.contains("duplicate key"))
        }
    }

    @Test func collectionKeyIsRefused() {
        do {
            _ = try read("outer:\n  ? [a, b]\n  : value")
            Issue.record("collection key was accepted")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.location == "/outer")
            #expect(error.message.contains("must be a string"))
        }
    }

    @Test func mergeKeyIsRefused() {
        #expect(throws: ContractError.self) { try read("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2") }
    }

    @Test func nonFiniteNumbersAreRefused() {
        do {
            _ = try read("limits:\n  max: .inf")
            Issue.record(".inf was accepted")
        } catch {
            #expect(error.location == "/limits/max")
            #expect(error.issues[0].line == 2)
        }
    }

    @Test func unsupportedTagIsRefused() {
        #expect(throws: ContractError.self) { try read("when: !!timestamp 2026-01-01") }
        #expect(throws: ContractError.self) { try read("custom: !thing value") }
    }

    @Test func syntaxErrorCarriesLineAndColumn() {
        do {
            _ = try read("a: [1, 2\nb: 3")
            Issue.record("malformed YAML was accepted")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.issues[0].line != nil)
        }
    }

    @Test func multipleDocumentsAreRefused() {
        #expect(throws: ContractError.self) { try read("a: 1\n---\nb: 2") }
    }

    @Test func emptyDocumentIsRefused() {
        #expect(throws: ContractError.self) { try read("") }
        #expect(throws: ContractError.self) { try read("# only a comment\n") }
    }

    @Test func aliasBombIsBounded() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        do {
            _ = try read(text)
            Issue.record("an alias expansion of 10^9 values was accepted")
        } catch {
            #expect(error.message.contains("more than"))
        }
    }
}

@Suite struct DurationTextTests {
    @Test func parsesUnitsAndCombinations() {
        #expect(DurationText.parse("100ms") == .milliseconds(100))
        #expect(DurationText.parse("5s") == .seconds(5))
        #expect(DurationText.parse("2m") == .seconds(120))
        #expect(DurationText.parse("24h") == .seconds(86_400))
        #expect(DurationText.parse("1d") == .seconds(86_400))
        #expect(DurationText.parse("1h30m") == .seconds(5_400))
        #expect(DurationText.parse("1s500ms") == .milliseconds(1_500))
    }

    @Test func refusesMalformedText() {
        for text in ["", "5", "s", "5 s", "1.5s", "5sec", "30m1h", "1s1s", "-5s", "5S", "9999999999s"] {
            #expect(DurationText.parse(text) == nil, "\(text)")
        }
    }

    @Test func formatsBack() {
        #expect(DurationText.format(.seconds(5_400)) == "1h30m")
        #expect(DurationText.format(.milliseconds(250)) == "250ms")
        #expect(DurationText.format(.zero) == "0s")
        #expect(DurationText.parse(DurationText.format(.milliseconds(90_061_001))) == .milliseconds(90_061_001))
    }
}
