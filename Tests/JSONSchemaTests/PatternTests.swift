import Foundation
import Testing

@testable import JSONSchema

/// The three engines behind `Pattern` give the same answers where each can run.
@Suite struct PatternTests {
    static let patterns = [
        "^[0-9]{10}$", "^[A-Z]{3}-[0-9]{4}-[0-9]+$", "^[a-z0-9-]+$", "ab?c", "^\\d{2,4}$", "^\\w+@\\w+\\.[a-z]{2,}$",
        "^[^\\s]+$", "^.{3}$", "x*$", "^[+\\-]?[0-9]+(\\.[0-9]+)?$", "^(a|b)$", "[\\]\\[]", "^([a-z]+ ?)*$",
        "^(?:[A-Z]{2}|[0-9]{3})-\\d+$", "(ab|c)+d?", "^[\\w.%+-]+@[a-z0-9-]+(\\.[a-z0-9-]+)+$", "^\\S+( \\S+)*$",
    ]
    static let inputs = [
        "", "9861034521", "986103452", "98610345211", "1234567890\n", "MOL-2026-118204", "abc", "ac", "abbc", "a-b-9",
        "12", "12345", "٣٤", "user@example.com", "a b", "😀😀😀", "éé", "xx", "-12.5", "a", "c", "[", "]", "ab ab cd",
        "AB-12", "123-4", "ababd", "x.y@moj.gov.jo", "two  spaces", " lead",
    ]

    static func icu(_ source: String, _ input: String) throws -> Bool {
        let outcome = try ICUPattern(source).match(input)
        try #require(outcome != .undecided)
        return outcome == .matched
    }

    static func re2(_ source: String) throws -> RE2Program {
        try RE2Program(try RE2Translation.translate(try #require(ECMAPatternSyntax.parse(source))))
    }

    @Test func engineMatchesICU() throws {
        for source in Self.patterns {
            let pattern = try Pattern(source: source)
            #expect(pattern.backtrackingReason == nil, "\(source)")
            for input in Self.inputs {
                #expect(pattern.matches(input) == (try Self.icu(source, input)), "\(source) on \(input.debugDescription)")
            }
        }
    }

    /// RE2 on the translated pattern agrees with ICU, also for the patterns `SimplePattern` takes.
    @Test func re2TranslationMatchesICU() throws {
        for source in Self.patterns {
            let program = try Self.re2(source)
            for input in Self.inputs {
                #expect(program.matches(input) == (try Self.icu(source, input)), "\(source) on \(input.debugDescription)")
            }
        }
    }

    @Test func simpleMatcherCoversContractPatterns() {
        #expect(SimplePattern("^[0-9]{10}$") != nil)
        #expect(SimplePattern("^[A-Z]{3}-[0-9]{4}-[0-9]+$") != nil)
        #expect(SimplePattern("^(a|b)$") == nil)
        #expect(SimplePattern("a+?") == nil)
    }

    /// `SimplePattern`'s own linear-time fallback, on input that defeats its backtracking.
    @Test func overlappingQuantifiersStayLinearOnHostileInput() throws {
        let pattern = try #require(SimplePattern("^[a-z]*[a-z0-9]*[a-z]*[a-z0-9]*x$"))
        #expect(!pattern.matches(String(repeating: "a", count: 20_000) + "!"))
        #expect(pattern.matches(String(repeating: "a", count: 20_000) + "x"))
        let unanchored = try #require(SimplePattern("a*a*a*b"))
        #expect(!unanchored.matches(String(repeating: "a", count: 5_000)))
        #expect(unanchored.matches(String(repeating: "a", count: 5_000) + "b"))
    }

    /// The table-driven pass gives the same answers as ICU on the shared corpus.
    @Test func tableFallbackAgreesWithICU() throws {
        for source in Self.patterns {
            guard let simple = SimplePattern(source) else { continue }
            for input in Self.inputs {
                #expect(simple.matchesByTable(input) == (try Self.icu(source, input)), "\(source) on \(input.debugDescription)")
            }
        }
    }
}
