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

    /// Compiles a valid ECMA-262 pattern (translated to mean the same in ICU) or, with
    /// `ecmaScript` false, a pattern in ICU's own syntax, read as ICU reads it.
    init(_ source: String, ecmaScript: Bool = true) throws {
        regex = try NSRegularExpression(pattern: ecmaScript ? Self.translate(source) : source, options: [])
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
    fileprivate static let whiteSpace = #"\t\n\x{B}\f\r\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"#
    /// ECMA-262's line terminators, as the members of an ICU set.
    fileprivate static let lineTerminators = #"\n\r\x{2028}\x{2029}"#
    /// ECMA-262's word characters (`\w`, and what `\b` looks at), as the members of an ICU set.
    fileprivate static let word = "a-zA-Z0-9_"

    /// A valid ECMA-262 pattern (Unicode mode) written for ICU with the same meaning. Where ICU
    /// reads the same text differently, the translation spells ECMA-262 out:
    /// - `\d`, `\w` and `\b` are ASCII-only (ICU's are Unicode-wide); `\s` is ECMA-262's list
    ///   (ICU's lacks U+000B and U+FEFF and has U+0085); each negation is the complement of those,
    ///   inside a class too (a nested ICU set); `\v` is U+000B alone;
    /// - `.` excludes only the four line terminators (under the `s` modifier, nothing); `^` and
    ///   `$` are the input's ends, or under the `m` modifier next to those four line terminators
    ///   (ICU counts U+000B, U+000C and U+0085 as well);
    /// - in a class, `[` and `&` are literal (ICU reads nested sets and `&&`), a `-` that ECMA
    ///   reads as a literal is escaped (ICU reads `--` as a set difference), `\b` is a backspace,
    ///   and `[]` and `[^]` match nothing and anything;
    /// - `\u{…}` and `\0` are code points, and group names are spelled in ASCII, as ICU needs.
    ///
    /// The pass works on Unicode scalars, so a combining mark after `[`, `.` or `\d` changes none
    /// of them.
    static func translate(_ source: String) -> String {
        var writer = ICUWriter(Array(source.unicodeScalars)[...])
        writer.run()
        return writer.output
    }
}

/// The state of one ``ICUPattern/translate(_:)`` pass.
private struct ICUWriter {
    /// Where a class stands, for reading its `-`: ECMA-262 makes a range of `a-b` only between two
    /// single characters; any other `-` is literal.
    private enum ClassPosition {
        /// Just after `[` or `[^`, or after a range or a class escape: a `-` here is literal.
        case noRangeStart
        /// After a single character that a `-` may join to the next one.
        case rangeStart
        /// After a range's `-`: the next character ends the range.
        case rangeEnd
    }

    private var rest: ArraySlice<Unicode.Scalar>
    private(set) var output = ""
    private var inClass: ClassPosition?
    /// The `m` and `s` modifiers in force, one entry per open group.
    private var flags: [(multiline: Bool, dotAll: Bool)] = [(false, false)]

    init(_ source: ArraySlice<Unicode.Scalar>) {
        rest = source
    }

    mutating func run() {
        while let c = rest.popFirst() {
            if c == "\\", let next = rest.popFirst() {
                escape(next)
            } else if inClass != nil {
                classCharacter(c)
            } else {
                character(c)
            }
        }
    }

    private mutating func character(_ c: Unicode.Scalar) {
        let current = flags[flags.count - 1]
        switch c {
        case "$": output += current.multiline ? "(?=[\(ICUPattern.lineTerminators)]|\\z)" : "\\z"
        case "^": output += current.multiline ? "(?:(?<=[\(ICUPattern.lineTerminators)])|\\A)" : "\\A"
        case ".": output += current.dotAll ? "[\\x{0}-\\x{10FFFF}]" : "[^\(ICUPattern.lineTerminators)]"
        case "[":
            if rest.first == "]" {
                rest.removeFirst()
                output += "[^\\x{0}-\\x{10FFFF}]"
            } else if rest.first == "^", rest.dropFirst().first == "]" {
                rest.removeFirst(2)
                output += "[\\x{0}-\\x{10FFFF}]"
            } else {
                output += "["
                if rest.first == "^" { output += "^"; rest.removeFirst() }
                inClass = .noRangeStart
            }
        case "(":
            output += "("
            group()
        case ")":
            if flags.count > 1 { flags.removeLast() }
            output += ")"
        default:
            output.unicodeScalars.append(c)
        }
    }

    /// After `(`: a modifier group `(?ims-ims:` changes the flags until its `)`; a named group's
    /// name is spelled in ASCII; every group keeps the flags it opened with.
    private mutating func group() {
        var current = flags[flags.count - 1]
        defer { flags.append(current) }
        guard rest.first == "?" else { return }
        if rest.dropFirst().first == "<", let third = rest.dropFirst(2).first, third != "=", third != "!" {
            rest.removeFirst(2)
            output += "?<" + name(until: ">") + ">"
            return
        }
        var lookahead = rest.dropFirst()
        var adding = true
        var modifiers: [(Unicode.Scalar, Bool)] = []
        while let m = lookahead.first, m == "i" || m == "m" || m == "s" || m == "-" {
            if m == "-" { adding = false } else { modifiers.append((m, adding)) }
            lookahead.removeFirst()
        }
        guard lookahead.first == ":", !modifiers.isEmpty || !adding else { return }
        for (letter, on) in modifiers {
            if letter == "m" { current.multiline = on }
            if letter == "s" { current.dotAll = on }
        }
    }

    /// A group name up to `end` (consumed), as ASCII letters and digits ICU accepts: `n` and the
    /// scalars' hexadecimal values, the same for the group and its `\k<…>`.
    private mutating func name(until end: Unicode.Scalar) -> String {
        var name = "n"
        while let c = rest.popFirst(), c != end {
            let hex = String(c.value, radix: 16)
            name += String(repeating: "0", count: 6 - hex.count) + hex
        }
        return name
    }

    private mutating func classCharacter(_ c: Unicode.Scalar) {
        switch c {
        case "]":
            inClass = nil
            output += "]"
        case "-" where inClass == .rangeStart && rest.first != "]":
            inClass = .rangeEnd
            output += "-"
        default:
            // Written as a code point, so no character means anything special to ICU here.
            classAtom(hex(c.value))
        }
    }

    /// A single character in a class: it may start or end a range.
    private mutating func classAtom(_ text: String) {
        output += text
        inClass = inClass == .rangeEnd ? .noRangeStart : .rangeStart
    }

    private mutating func escape(_ next: Unicode.Scalar) {
        let classed = inClass != nil
        switch next {
        case "d": set(classed ? "0-9" : "[0-9]")
        case "D": set("[^0-9]")
        case "w": set(classed ? ICUPattern.word : "[\(ICUPattern.word)]")
        case "W": set("[^\(ICUPattern.word)]")
        case "s": set(classed ? ICUPattern.whiteSpace : "[\(ICUPattern.whiteSpace)]")
        case "S": set("[^\(ICUPattern.whiteSpace)]")
        case "b" where !classed: output += "(?:(?<=[\(ICUPattern.word)])(?![\(ICUPattern.word)])|(?<![\(ICUPattern.word)])(?=[\(ICUPattern.word)]))"
        case "B" where !classed: output += "(?:(?<=[\(ICUPattern.word)])(?=[\(ICUPattern.word)])|(?<![\(ICUPattern.word)])(?![\(ICUPattern.word)]))"
        case "b": atom(0x8)
        case "v": atom(0xB)
        case "0": atom(0)
        case "u" where rest.first == "{":
            rest.removeFirst()
            var digits = ""
            while let c = rest.popFirst(), c != "}" { digits.unicodeScalars.append(c) }
            atom(UInt32(digits, radix: 16) ?? 0)
        case "k" where rest.first == "<":
            rest.removeFirst()
            output += "\\k<" + name(until: ">") + ">"
        case "p", "P":
            // A property keeps ICU's reading of its name; it is one set, not a range's end.
            var text = "\\" + String(next)
            if rest.first == "{" {
                while let c = rest.popFirst() {
                    text.unicodeScalars.append(c)
                    if c == "}" { break }
                }
            }
            set(text)
        default:
            // Every other escape (`\n`, `\x41`, `\u0041`, `\cJ`, `\.`, `\1`) ICU reads as ECMA-262 does.
            var text = "\\"
            text.unicodeScalars.append(next)
            if classed { classAtom(text) } else { output += text }
        }
    }

    /// A set-like escape; inside a class it cannot be a range's end or start.
    private mutating func set(_ text: String) {
        output += text
        if inClass != nil { inClass = .noRangeStart }
    }

    /// A code point from an escape.
    private mutating func atom(_ value: UInt32) {
        if inClass != nil { classAtom(hex(value)) } else { output += hex(value) }
    }

    private func hex(_ value: UInt32) -> String {
        "\\x{" + String(value, radix: 16) + "}"
    }
}
