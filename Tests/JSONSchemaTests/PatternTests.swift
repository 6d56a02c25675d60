import Foundation
import Testing

@testable import JSONSchema

@Suite struct PatternTests {
    static let patterns = [
        "^[0-9]{10}$", "^[A-Z]{3}-[0-9]{4}-[0-9]+$", "^[a-z0-9-]+$", "ab?c", "^\\d{2,4}$", "^\\w+@\\w+\\.[a-z]{2,}$",
        "^[^\\s]+$", "^.{3}$", "x*$", "^[+\\-]?[0-9]+(\\.[0-9]+)?$", "^(a|b)$", "[\\]\\[]",
    ]
    static let inputs = [
        "", "9861034521", "986103452", "98610345211", "1234567890\n", "MOL-2026-118204", "abc", "ac", "abbc", "a-b-9",
        "12", "12345", "٣٤", "user@example.com", "a b", "😀😀😀", "éé", "xx", "-12.5", "a", "c", "[", "]",
    ]

    @Test func simpleMatcherAgreesWithICU() throws {
        for source in Self.patterns {
            let pattern = try Pattern(source: source)
            let regex = try ECMARegex.compile(source)
            for input in Self.inputs {
                let icu = regex.firstMatch(in: input, range: NSRange(location: 0, length: input.utf16.count)) != nil
                #expect(pattern.matches(input) == icu, "\(source) on \(input.debugDescription)")
            }
        }
    }

    @Test func simpleMatcherCoversContractPatterns() {
        #expect(SimplePattern("^[0-9]{10}$") != nil)
        #expect(SimplePattern("^[A-Z]{3}-[0-9]{4}-[0-9]+$") != nil)
        #expect(SimplePattern("^(a|b)$") == nil)
        #expect(SimplePattern("a+?") == nil)
    }

    @Test func dollarDoesNotMatchBeforeATrailingNewline() throws {
        #expect(!(try Pattern(source: "^[0-9]{10}$")).matches("1234567890\n"))
        #expect(!(try Pattern(source: "^(1|2)+$")).matches("12\n"))
        #expect((try Pattern(source: "^(1|2)+$")).matches("12"))
    }

    @Test func overlappingQuantifiersStayLinearOnHostileInput() throws {
        let pattern = try #require(SimplePattern("^[a-z]*[a-z0-9]*[a-z]*[a-z0-9]*x$"))
        let hostile = String(repeating: "a", count: 20_000) + "!"
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!pattern.matches(hostile)) }
        #expect(elapsed < .seconds(2))
        #expect(pattern.matches(String(repeating: "a", count: 20_000) + "x"))
        let unanchored = try #require(SimplePattern("a*a*a*b"))
        #expect(!unanchored.matches(String(repeating: "a", count: 5_000)))
        #expect(unanchored.matches(String(repeating: "a", count: 5_000) + "b"))
    }

    /// The linear-time fallback gives the same answers as ICU on the shared corpus.
    @Test func tableFallbackAgreesWithICU() throws {
        for source in Self.patterns {
            guard let simple = SimplePattern(source) else { continue }
            let regex = try ECMARegex.compile(source)
            for input in Self.inputs {
                let icu = regex.firstMatch(in: input, range: NSRange(location: 0, length: input.utf16.count)) != nil
                #expect(simple.matchesByTable(input) == icu, "\(source) on \(input.debugDescription)")
            }
        }
    }

    @Test func digitsAreASCIIOnly() throws {
        #expect(!(try Pattern(source: "^\\d+$")).matches("٣٤"))
        #expect(!(try Pattern(source: "^(\\d)+$")).matches("٣٤"))
    }
}
