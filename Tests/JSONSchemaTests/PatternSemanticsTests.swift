import Testing

@testable import JSONSchema

/// ECMA-262 (Unicode mode) meanings that RE2's and ICU's own differ from, checked on the engine
/// each pattern actually runs on; none of these patterns may need the backtracking engine.
@Suite struct PatternSemanticsTests {
    /// (pattern, input, whether it matches)
    typealias Case = (String, String, Bool)

    static func check(_ cases: [Case], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (source, input, expected) in cases {
            let pattern = try Pattern(source: source)
            #expect(pattern.backtrackingReason == nil, "\(source)", sourceLocation: sourceLocation)
            #expect(pattern.matches(input) == expected, "\(source) on \(input.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    /// `\s` is WhiteSpace and LineTerminator: Unicode spaces, U+FEFF and U+2028/2029 included.
    @Test func whiteSpaceIsECMAs() throws {
        try Self.check([
            ("^\\s$", "\u{A0}", true), ("^\\s$", "\u{FEFF}", true), ("^\\s$", "\u{2003}", true), ("^\\s$", "\u{2029}", true),
            ("^\\s$", "\u{0B}", true), ("^\\s$", "\u{1}", false), ("^\\s$", "\u{200B}", false), ("^\\s$", "\u{180E}", false),
            ("^\\S$", "\u{A0}", false), ("^\\S$", "\u{FEFF}", false), ("^\\S$", "\u{2013}", true),
            ("^(\\s|x)+$", "x\u{A0}x\u{FEFF}", true), ("^[\\s,]+$", "\u{3000},\u{FEFF}", true),
            ("^[^\\s]+(\\s[^\\s]+)*$", "a\u{A0}b", true), ("^(?:[\\S])+$", "a\u{FEFF}", false),
        ])
    }

    /// `.` excludes `\n`, `\r`, U+2028 and U+2029 (RE2's excludes only `\n`); `(?s:.)` excludes nothing.
    @Test func dotExcludesEveryLineTerminator() throws {
        try Self.check([
            ("^(.)+$", "a\u{2028}b", false), ("^(.)+$", "a\u{2029}b", false), ("^(.)+$", "a\rb", false),
            ("^(.)+$", "a\nb", false), ("^(.)+$", "a\u{85}b", true), ("^(.)+$", "a\u{2027}b", true),
            ("^(?s:.)+$", "a\u{2028}\r\nb", true), ("^(?s:a(?-s:.))$", "a\u{2028}", false),
        ])
    }

    /// `$` matches only at the very end, not before a final line terminator.
    @Test func dollarOnlyAtTheEnd() throws {
        try Self.check([
            ("^(1|2)+$", "12\n", false), ("^(1|2)+$", "12", true), ("(a|b)$", "ab\n", false), ("(a|b)$", "a\nb", true),
            ("^[0-9]{10}$", "1234567890\n", false), ("^(x)$|^y", "y\n", true),
        ])
    }

    /// A code point beyond the BMP is one character, however it is written.
    @Test func nonBMPCharactersAreOneCharacter() throws {
        try Self.check([
            ("^(.)$", "😀", true), ("^(.){2}$", "😀", false), ("^(🐲)*$", "🐲🐲", true), ("^(🐲)*$", "🐉", false),
            ("^([😀-😂])+$", "😁😂", true), ("^([😀-😂])+$", "😃", false), ("^(\\u{1F600})$", "😀", true),
            ("^(\\uD83D\\uDE00)$", "😀", true), ("^[^a](b|c)$", "😀b", true), ("^(\\uD83D)", "😀", false),
            ("^\\P{L}(x|y)$", "😀x", true),
        ])
    }

    /// `\d`, `\w` and `\b` are ASCII; `\p{…}` classes are Unicode's.
    @Test func classEscapesAndProperties() throws {
        try Self.check([
            ("^(\\d)+$", "٣٤", false), ("^(\\D)+$", "٣٤", true), ("^(\\w)+$", "é", false), ("^(\\W)$", "é", true),
            ("\\b(é)", "é", false), ("\\b(é)", "aé", true), ("^(\\p{Nd})+$", "٣٤", true), ("^(\\p{digit})+$", "৪২", true),
            ("^(\\p{Lu})+$", "ÉA", true), ("^(\\p{Lu})+$", "éA", false), ("^(\\p{Ll})+$", "é", true),
            ("^(\\p{Letter})+$", "Ωé", true), ("^(\\p{General_Category=Lt})$", "ǅ", true),
            ("^[\\p{L}\\s'-]+$", "ʿAbd al-Raḥmān", true), ("^[^\\p{L}]+$", "123", true), ("^[^\\p{L}]+$", "1a", false),
            ("^(\\p{Script=Arabic})+$", "ربط", true), ("^(\\p{Script=Arabic})+$", "rbt", false),
            ("^[\\p{Script=Greek}\\d]+$", "Ω7", true), ("^(\\p{White_Space})+$", "\u{85}\u{A0}", true),
            ("^(\\p{ASCII_Hex_Digit}){2}$", "fF", true), ("^(\\p{Any})$", "\u{10FFFF}", true),
        ])
    }

    /// Under `(?i:…)` characters match when their simple case foldings are equal, as in ECMA-262
    /// Unicode mode: K (U+212A) folds to k, ſ (U+017F) to s, and `\w` takes both in.
    @Test func caseInsensitiveGroupsFoldAsECMA() throws {
        try Self.check([
            ("^(?i:k)$", "\u{212A}", true), ("^(?i:k)$", "K", true), ("^(k)$", "\u{212A}", false),
            ("^(?i:[a-z])+$", "ABC", true), ("^([a-z])+$", "ABC", false), ("^(?i:s)$", "\u{17F}", true),
            ("^(?i:\\w)$", "\u{17F}", true), ("^(\\w)$", "\u{17F}", false), ("^(?i:[^k])$", "\u{212A}", false),
            ("^(?i:é)$", "É", true), ("^(?i:a(?-i:b))$", "AB", false), ("^(?i:a(?-i:b))$", "Ab", true),
        ])
    }

    /// Escapes become the code points ECMA-262 gives them.
    @Test func escapes() throws {
        try Self.check([
            ("^(\\cC)$", "\u{3}", true), ("^(\\cc)$", "\u{3}", true), ("^(\\t)$", "\t", true), ("^(\\t)$", "\\t", false),
            ("^(\\x41)+$", "AA", true), ("^(\\u00e9)$", "é", true), ("^(\\0)$", "\u{0}", true), ("^(\\/)$", "/", true),
            ("^([\\b])$", "\u{8}", true), ("^(a|[\\-\\]])+$", "a-]", true), ("^(\\.)$", "x", false), ("^(\\v\\f)$", "\u{B}\u{C}", true),
        ])
    }

    /// Classes that match nothing or everything, alternatives that may be empty.
    @Test func emptyAndUniversalClasses() throws {
        try Self.check([
            // Found by the pattern-engines fuzz target: the linear matcher read a `]` right after `[` as
            // a literal (`[]x\\w[]` as one class) where ECMA-262 closes an empty class.
            ("[]\u{FFFD}\\\\wX-[]", "\u{FFFD}", false), ("^[]a$", "a", false), ("[]a", "]a", false), ("^[^]a$", "xa", true),
            ("^[^]a$", "a", false),
            ("^([])", "", false), ("^([])?$", "", true), ("^([^])+$", "\n\u{2028}😀", true), ("^(|a)$", "", true),
            ("^(?:)$", "", true), ("(a{0})b", "b", true), ("^(a{2,3})+$", "aaaaa", true), ("^(a{2,3})+$", "a", false),
        ])
    }

    /// A pattern that is not ECMA-262 is read with ICU's own syntax, set operations included.
    @Test func nonECMAPatternsKeepICUsReading() throws {
        let pattern = try Pattern(source: "^[[a-z]&&[^aeiou]]$")
        #expect(pattern.backtrackingReason != nil)
        #expect(pattern.matches("b") && !pattern.matches("a"))
    }

    /// The backtracking engine (ICU, for patterns RE2 cannot take) reads ECMA-262's meanings too;
    /// the pattern-engines fuzz target found `\b` counting a non-ASCII letter as a word character.
    @Test func theBacktrackingEngineReadsECMAsMeanings() throws {
        let cases: [Case] = [
            ("\\b", "\u{26A}", false), ("\\b", "a", true), ("^\\B$", "", true), ("a\\B", "ab", true),
            ("^[\\D]$", "\u{663}", true), ("^[\\W]$", "\u{E9}", true), ("^[\\S]$", "\u{FEFF}", false),
            ("^\\s$", "\u{B}", true), ("^\\s$", "\u{85}", false), ("^\\S$", "\u{85}", true),
            ("^.$", "\u{B}", true), ("^.$", "\u{85}", true), ("^.$", "\u{2028}", false),
            ("^[[]$", "[", true), ("^[a&&b]$", "&", true), ("^[\\b]$", "\u{8}", true), ("^[^[]$", "a", true),
            // Modifiers: `s` lets `.` take a line terminator; `m` puts `^` and `$` next to ECMA's four.
            ("^(?s:.)(?=a)", "\na", true), ("^.(?=a)", "\na", false), ("(?m:a$)", "a\nb", true), ("(?m:a$)", "a\u{85}b", false),
            ("(?m:^a)", "\na", true), ("(?m:^a)", "\u{85}a", false), ("(?m:^a)", "\u{C}a", false), ("(?-m:^a)", "\na", false),
            // Combining marks stay apart from the syntax before them.
            ("^[\u{301}.]$", "a", false), ("^[a]\u{301}[b]$", "a\u{301}b", true), ("^\\d\u{301}$", "\u{663}\u{301}", false),
            // `\v`, ranges that ICU would read as set differences, empty and full classes, code points, names.
            ("^\\v$", "\n", false), ("^[\\v]$", "\u{85}", false), ("^\\v$", "\u{B}", true),
            ("^[+--]$", ",", true), ("^[--/]$", ".", true), ("^[a-z--b]$", "A", true), ("^[!--\\d]$", "5", true), ("^[a-]$", "-", true),
            ("^[]$", "", false), ("^[^]$", "x", true), ("^\\u{41}$", "A", true), ("^\\0$", "\u{0}", true),
            ("^(?<a_b>x)\\k<a_b>$", "xx", true), ("^(?<\u{E9}>x)\\k<\u{E9}>$", "xx", true),
        ]
        for (source, input, expected) in cases {
            let outcome = try ICUPattern(source).match(input)
            #expect(outcome == (expected ? .matched : .notMatched), "\(source) on \(input.debugDescription)")
            // Where RE2 takes the pattern too, the two agree.
            if let linear = PatternEngines.verdicts(source, on: input)["re2"] { #expect(linear == expected, "RE2: \(source)") }
        }
    }
}
