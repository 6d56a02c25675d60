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

    /// The pattern for ICU: in ECMA-262 `\d` and `\w` are ASCII-only (ICU's are Unicode-wide),
    /// `\s` includes U+FEFF, and `$` matches only at the very end.
    static func translate(_ source: String) -> String {
        guard source.contains("\\") || source.contains("$") else { return source }
        var out = ""
        var inClass = false
        var chars = Array(source)[...]
        while let c = chars.popFirst() {
            if c == "\\", let next = chars.popFirst() {
                switch (next, inClass) {
                case ("d", false): out += "[0-9]"
                case ("d", true): out += "0-9"
                case ("D", false): out += "[^0-9]"
                case ("w", false): out += "[a-zA-Z0-9_]"
                case ("w", true): out += "a-zA-Z0-9_"
                case ("W", false): out += "[^a-zA-Z0-9_]"
                // ECMA-262 white space includes U+FEFF, ICU's \s does not.
                case ("s", false): out += "[\\s\\uFEFF]"
                case ("s", true): out += "\\s\\uFEFF"
                case ("S", false): out += "[^\\s\\uFEFF]"
                default: out.append(c); out.append(next)
                }
                continue
            }
            // ECMA-262 `$` matches only at the very end; ICU's also before a final line terminator.
            if c == "$", !inClass {
                out += "\\z"
                continue
            }
            if c == "[", !inClass { inClass = true } else if c == "]", inClass { inClass = false }
            out.append(c)
        }
        return out
    }
}
