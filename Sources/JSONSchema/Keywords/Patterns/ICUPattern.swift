import Foundation

/// The fallback engine for patterns RE2 cannot run (backreferences, lookaround, …): ICU through
/// NSRegularExpression, with the escapes whose meaning differs translated, and a step budget.
///
/// ICU backtracks, so a pattern such as `^(a|a)*$` can take exponential time. Each match is
/// therefore given a budget of ICU progress reports (one about every 10,000 steps of its
/// engine, a fraction of a millisecond); past it the match stops with no verdict. The budget
/// counts work, not time, so the same pattern and text always end the same way.
struct ICUPattern: Sendable {
    /// What one bounded match found.
    enum Outcome: Sendable, Equatable {
        case matched, notMatched
        /// The step budget ran out first.
        case undecided
    }

    /// Progress reports one match may take: a few milliseconds of ICU's work.
    static let stepBudget = 16

    let regex: NSRegularExpression

    init(_ source: String) throws {
        regex = try NSRegularExpression(pattern: Self.translate(source), options: [])
    }

    /// Whether the pattern matches somewhere in `text`, within the step budget.
    func match(_ text: String) -> Outcome {
        var outcome = Outcome.notMatched
        var reports = 0
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(location: 0, length: text.utf16.count)) {
            result, flags, stop in
            if result != nil {
                outcome = .matched
                stop.pointee = true
            } else if flags.contains(.progress) {
                reports += 1
                if reports > Self.stepBudget {
                    outcome = .undecided
                    stop.pointee = true
                }
            }
        }
        return outcome
    }

    /// ECMA-262's white space and line terminators (`\s`), as the members of an ICU set.
    private static let whiteSpace = #"\t\n\x{B}\f\r\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"#
    /// ECMA-262's word characters (`\w`, and what `\b` looks at), as the members of an ICU set.
    private static let word = "a-zA-Z0-9_"

    /// The pattern for ICU, which reads some of ECMA-262's syntax differently:
    /// - `\d`, `\w` and `\b` are ASCII-only in ECMA-262 (ICU's are Unicode-wide), `\s` is
    ///   ECMA-262's own list (ICU's lacks U+000B and U+FEFF), and each negation is the
    ///   complement of those, in a class too (a nested ICU set);
    /// - `.` excludes only `\n`, `\r`, U+2028 and U+2029 (ICU's also U+000B, U+000C and U+0085);
    /// - `$` matches only at the very end (ICU's also before a final line terminator);
    /// - in a class, `[` and `&` are literal (ICU reads nested sets and `&&`), and `\b` is a
    ///   backspace.
    static func translate(_ source: String) -> String {
        var out = ""
        var inClass = false
        var chars = Array(source)[...]
        while let c = chars.popFirst() {
            if c == "\\", let next = chars.popFirst() {
                switch (next, inClass) {
                case ("d", false): out += "[0-9]"
                case ("d", true): out += "0-9"
                case ("D", _): out += "[^0-9]"
                case ("w", false): out += "[\(word)]"
                case ("w", true): out += word
                case ("W", _): out += "[^\(word)]"
                case ("s", false): out += "[\(whiteSpace)]"
                case ("s", true): out += whiteSpace
                case ("S", _): out += "[^\(whiteSpace)]"
                case ("b", false): out += "(?:(?<=[\(word)])(?![\(word)])|(?<![\(word)])(?=[\(word)]))"
                case ("B", false): out += "(?:(?<=[\(word)])(?=[\(word)])|(?<![\(word)])(?![\(word)]))"
                case ("b", true): out += "\\x{8}"
                default: out.append(c); out.append(next)
                }
                continue
            }
            if !inClass {
                switch c {
                case "$": out += "\\z"
                case ".": out += "[^\\n\\r\\x{2028}\\x{2029}]"
                case "[":
                    inClass = true
                    out.append(c)
                    // A negation stays one (it is not a literal `^` to escape).
                    if chars.first == "^" { out.append(chars.removeFirst()) }
                default: out.append(c)
                }
                continue
            }
            switch c {
            case "]": inClass = false; out.append(c)
            case "[", "&": out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return out
    }
}
