import Testing

@testable import JSONSchema

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValueInOrder() throws {
        let value = try JSONValue(parsing: #" {"b": [1, -2.5, true, false, null], "a": "x\u00e9\n\ud83d\ude00", "c": {}} "#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["b", "a", "c"])
        #expect(value["b"]?[1]?.numberValue == JSONNumber(literal: "-2.5"))
        #expect(value["a"]?.stringValue == "xé\n😀")
        #expect(value["c"] == .object(JSONObject()))
        #expect(value.serialized() == #"{"b":[1,-2.5,true,false,null],"a":"xé\n😀","c":{}}"#)
    }

    @Test func numbersAreExact() throws {
        #expect(JSONNumber(literal: "1.0") == JSONNumber(1))
        #expect(JSONNumber(literal: "1.0")!.hashValue == JSONNumber(1).hashValue)
        #expect(JSONNumber(literal: "100e-2") == JSONNumber(1))
        #expect(JSONNumber(literal: "1e2")?.int64Value == 100)
        #expect(JSONNumber(literal: "1.5")?.int64Value == nil)
        let big = try #require(JSONNumber(literal: "123456789012345678901234567890"))
        #expect(big.description == "123456789012345678901234567890")
        #expect(big != JSONNumber(literal: "123456789012345678901234567891"))
        #expect(big.int64Value == nil && big.isInteger)
        #expect(JSONNumber(literal: "9223372036854775807")?.int64Value == .max)
        #expect(JSONNumber(literal: "-9223372036854775808")?.int64Value == .min)
        #expect(JSONNumber(literal: "0.1")?.description == "0.1")
        #expect(JSONNumber(0.1) == JSONNumber(literal: "0.1"))
        #expect(JSONNumber(literal: "-0") == JSONNumber(0))
        #expect(JSONNumber(literal: "1e400")?.description == "1e+400")
        #expect(JSONNumber(literal: "0.5e-10")?.description == "5e-11")
        #expect(JSONNumber(literal: "01") == nil)
        #expect(JSONNumber(literal: "1.") == nil)
        #expect(JSONNumber(literal: "+1") == nil)
    }

    /// Found by fuzzing: an exponent past the old clamp came back from serialisation as another
    /// number. Numbers are now read exactly up to an order of magnitude of ±10^12, refused beyond,
    /// and each accepted one serialises to text that reads back as itself.
    @Test(arguments: ["1e1000000000000", "9.5e999999999999", "-1e-1000000000000", "123456e999999999994", "0e999999999999"])
    func numbersAtTheRangeLimitReadBackAsThemselves(_ literal: String) throws {
        let number = try #require(JSONNumber(literal: literal))
        #expect(JSONNumber(literal: number.description) == number, "\(literal) → \(number)")
    }

    @Test func numbersBeyondTheRangeLimitAreRefused() {
        #expect(JSONNumber(literal: "1e1000000000001") == nil)
        #expect(JSONNumber(literal: "1234567e999999999995") == nil)
        // A written exponent past 10^15 is refused whatever the digits, zero included.
        #expect(JSONNumber(literal: "0e99999999999999999999") == nil)
        #expect(JSONNumber(literal: "0e1000000000000001") == nil)
        #expect(JSONNumber(literal: "0e1000000000000000") == JSONNumber(0))
        #expect(JSONNumber(literal: "1e-1000000000001") == nil)
        #expect(JSONNumber(literal: "11e9999999999999999999999999999999400") == nil)
    }

    @Test func numbersCompareAndDivideExactly() throws {
        let n = { (s: String) in JSONNumber(literal: s)! }
        #expect(n("0.3") > n("0.29999999999999999999"))
        #expect(n("-1.5") < n("-1.4"))
        #expect(n("1e30") > n("999999999999999999999999999999"))
        #expect(n("19.99").isMultiple(of: n("0.01")))
        #expect(!n("19.991").isMultiple(of: n("0.01")))
        #expect(n("0.0075").isMultiple(of: n("0.0001")))
        #expect(n("36893488147419103232").isMultiple(of: n("2")))
        #expect(!n("1e308").isMultiple(of: n("0.123456789")))
        #expect(n("4.5").isMultiple(of: n("1.5")))
    }

    @Test func objectEqualityIgnoresOrder() {
        let a: JSONValue = ["x": 1, "y": [true, nil]]
        let b: JSONValue = ["y": [true, nil], "x": 1.0]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != ["x": 1])
        #expect(JSONValue.bool(false) != JSONValue.number(JSONNumber(0)))
    }

    @Test func largeObjectsLookUpByKey() throws {
        var object = JSONObject()
        for i in 0..<100 { object["k\(i)"] = .number(JSONNumber(i)) }
        #expect(object["k57"] == .number(JSONNumber(57)))
        object["k3"] = nil
        #expect(object.count == 99 && object["k3"] == nil && object["k4"] != nil)
        let text = "{" + (0..<50).map { "\"m\($0)\":\($0)" }.joined(separator: ",") + "}"
        #expect(try JSONValue(parsing: text)["m49"] == 49)
    }

    @Test(arguments: [
        ("", "unexpected-end", 1, 1),
        ("[1,]", "unexpected-character", 1, 4),
        ("{\"a\":1,\n \"a\":2}", "duplicate-key", 2, 2),
        ("[1] x", "trailing-data", 1, 5),
        ("\"\\ud800\"", "invalid-string", 1, 8),
        ("\"a\tb\"", "invalid-string", 1, 3),
        ("[01]", "unexpected-character", 1, 3),
        ("01", "trailing-data", 1, 2),
        ("{\"a\" 1}", "unexpected-character", 1, 6),
        ("[-]", "invalid-number", 1, 3),
        ("tru", "unexpected-end", 1, 4),
        ("NaN", "unexpected-character", 1, 1),
        ("[11e9999999999999999999999999999999400]", "invalid-number", 1, 2),
        ("[1, 123e999999999999]", "invalid-number", 1, 5),
        ("[1e-1000000000001]", "invalid-number", 1, 2),
    ])
    func rejectsInvalidTextWithPosition(text: String, code: String, line: Int, column: Int) {
        do {
            _ = try JSONValue(parsing: text)
            Issue.record("parsed invalid JSON \(text)")
        } catch {
            #expect(error.code.description == code)
            #expect(error.line == line)
            #expect(error.column == column)
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: String(repeating: "[", count: 600) + String(repeating: "]", count: 600)) }
    }

    @Test func serializesEscapes() throws {
        let value: JSONValue = ["q\"": "a\\b\u{01}\t/"]
        #expect(value.serialized() == #"{"q\"":"a\\b\u0001\t/"}"#)
        #expect(try JSONValue(parsing: value.serialized()) == value)
    }
}
