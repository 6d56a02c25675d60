import Audit
import Testing

@Suite struct CanonicalJSONTests {
    @Test func stringEscapingMatchesRFC8785Example() throws {
        // RFC 8785 §3.2.2.2: "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/"
        let value = CanonicalJSON.string("\u{20AC}$\u{0F}\nA'B\"\\\\\"/")
        #expect(try value.canonicalString() == #""€$\u000f\nA'B\"\\\\\"/""#)
    }

    @Test func shortEscapesAndOtherControls() throws {
        let value = CanonicalJSON.string("\u{08}\u{09}\u{0A}\u{0C}\u{0D}\u{00}\u{1F}\u{7F}\u{2028}é")
        #expect(try value.canonicalString() == "\"\\b\\t\\n\\f\\r\\u0000\\u001f\u{7F}\u{2028}é\"")
    }

    @Test func keysSortByUTF16CodeUnits() throws {
        // RFC 8785 §3.2.3: the emoji (surrogates D83D DE00) sorts before U+FB33 in UTF-16 order.
        let value = CanonicalJSON.object([
            "\u{20AC}": .string("Euro Sign"),
            "\r": .string("Carriage Return"),
            "\u{FB33}": .string("Hebrew Letter Dalet With Dagesh"),
            "1": .string("One"),
            "\u{1F600}": .string("Emoji: Grinning Face"),
            "\u{80}": .string("Control"),
            "\u{F6}": .string("Latin Small Letter O With Diaeresis"),
        ])
        let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\","
            + "\"\u{F6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20AC}\":\"Euro Sign\","
            + "\"\u{1F600}\":\"Emoji: Grinning Face\",\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        #expect(try value.canonicalString() == expected)
    }

    @Test func nestedValuesHaveNoWhitespace() throws {
        let value = CanonicalJSON.object([
            "b": .array([.integer(-7), .bool(true), .null, .object([:])]),
            "a": .array([]),
        ])
        #expect(try value.canonicalString() == #"{"a":[],"b":[-7,true,null,{}]}"#)
    }

    @Test func integersBeyondDoublePrecisionAreRefused() throws {
        #expect(try CanonicalJSON.integer(CanonicalJSON.maxSafeInteger).canonicalString() == "9007199254740991")
        #expect(try CanonicalJSON.integer(-CanonicalJSON.maxSafeInteger).canonicalString() == "-9007199254740991")
        #expect(throws: AuditError.self) {
            try CanonicalJSON.array([.integer(CanonicalJSON.maxSafeInteger + 1)]).canonicalBytes()
        }
    }
}

@Suite struct TimestampTests {
    @Test func formatsKnownInstants() {
        #expect(Timestamp.format(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp.format(milliseconds: 1_795_676_944_123) == "2026-11-26T07:09:04.123Z")
        #expect(Timestamp.format(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func parsesWhatItFormats() {
        var value: Int64 = -86_400_000 * 400
        for _ in 0..<2_000 {
            #expect(Timestamp.parseMilliseconds(Timestamp.format(milliseconds: value)) == value)
            value += 7_777_777_777
        }
    }

    @Test func rejectsOtherShapes() {
        #expect(Timestamp.parseMilliseconds("2026-11-26T07:09:04Z") == nil)
        #expect(Timestamp.parseMilliseconds("2026-11-26T07:09:04.123+00:00") == nil)
        #expect(Timestamp.parseMilliseconds("2026-02-30T07:09:04.123Z") == nil)
        #expect(Timestamp.parseMilliseconds("2026-11-26 07:09:04.123Z") == nil)
        #expect(Timestamp.parseMilliseconds("2026-11-26T24:00:00.000Z") == nil)
    }
}
