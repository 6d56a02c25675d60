/// Writes an ECMA-262 pattern tree in RE2's syntax with the same meaning, or says why RE2
/// cannot express it.
///
/// Where the two disagree, the translation spells ECMA-262 out: `\d` and `\w` are ASCII (as in
/// RE2), `\s` is ECMA's WhiteSpace and LineTerminator (RE2's is ASCII only), `.` excludes the four
/// line terminators (RE2's excludes `\n` only), `$` matches only at the very end (`\z`), escapes
/// become code points (`\x{…}`), `\p{…}` becomes explicit ranges from the Swift runtime's Unicode
/// tables (scripts are left to RE2's own tables), and groups do not capture. The `i` modifier is
/// RE2's `(?i:…)`: both match a character when its simple case folding equals the pattern's.
///
/// | ECMA-262 construct | RE2 cannot run it because |
/// |---|---|
/// | `\1`, `\k<name>` | a backreference makes the language non-regular |
/// | `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)` | RE2 has no lookaround |
/// | `(?m:…)` | RE2's multi-line `^`/`$` know `\n` only, not `\r`, U+2028, U+2029 |
/// | `\b`, `\B` under `(?i:…)` | RE2's boundary ignores U+017F and U+212A, which ECMA counts as word characters there |
/// | a bound above 1000 | RE2's largest repetition count |
/// | `\p{Script_Extensions=…}`, `\p{Emoji_Component}`, `\p{Extended_Pictographic}` | neither RE2 nor the Swift runtime has the table |
struct RE2Translation {
    /// Why a pattern cannot be written for RE2, for a schema author to read.
    struct Unsupported: Error, Sendable, Equatable {
        let reason: String
    }

    /// RE2's largest `{n,m}` bound.
    static let maximumRepetition = 1000

    private var output = ""
    private var flags: PatternFlags = []

    /// The RE2 pattern that matches what `tree` matches.
    static func translate(_ tree: PatternTree) throws(Unsupported) -> String {
        var translation = RE2Translation()
        try translation.write(tree)
        return translation.output
    }

    private mutating func write(_ tree: PatternTree) throws(Unsupported) {
        switch tree {
        case .empty:
            output += "(?:)"
        case .sequence(let terms):
            for term in terms { try write(term) }
        case .alternation(let alternatives):
            output += "(?:"
            for (index, alternative) in alternatives.enumerated() {
                if index > 0 { output += "|" }
                try write(alternative)
            }
            output += ")"
        case .character(let value):
            writeCharacter(value)
        case .anyCharacter:
            writeSet(flags.contains(.dotAll) ? .all : ECMACharacterSets.lineTerminators.complement)
        case .set(let set):
            try writeSet(set)
        case .inputStart:
            guard !flags.contains(.multiline) else { throw Unsupported(reason: "`^` under the `m` modifier") }
            output += "^"
        case .inputEnd:
            guard !flags.contains(.multiline) else { throw Unsupported(reason: "`$` under the `m` modifier") }
            output += "\\z"
        case .wordBoundary(let negated):
            guard !flags.contains(.ignoreCase) else { throw Unsupported(reason: "`\\b` or `\\B` under the `i` modifier") }
            output += negated ? "\\B" : "\\b"
        case .group(let inner):
            output += "(?:"
            try write(inner)
            output += ")"
        case .modified(let inner, let adding, let removing):
            let saved = flags
            flags.formUnion(adding)
            flags.subtract(removing)
            defer { flags = saved }
            let caseChange = flags.contains(.ignoreCase) != saved.contains(.ignoreCase)
            output += caseChange ? (flags.contains(.ignoreCase) ? "(?i:" : "(?-i:") : "(?:"
            try write(inner)
            output += ")"
        case .lookaround(_, let behind, _):
            throw Unsupported(reason: behind ? "a lookbehind `(?<=…)` or `(?<!…)`" : "a lookahead `(?=…)` or `(?!…)`")
        case .backreference:
            throw Unsupported(reason: "a backreference `\\1` or `\\k<name>`")
        case .repetition(let atom, let minimum, let maximum):
            guard minimum <= Self.maximumRepetition, (maximum ?? 0) <= Self.maximumRepetition else {
                throw Unsupported(reason: "a repetition bound above \(Self.maximumRepetition)")
            }
            output += "(?:"
            try write(atom)
            output += ")"
            switch (minimum, maximum) {
            case (0, nil): output += "*"
            case (1, nil): output += "+"
            case (0, 1?): output += "?"
            case (_, nil): output += "{\(minimum),}"
            case (_, let maximum?) where maximum == minimum: output += "{\(minimum)}"
            case (_, let maximum?): output += "{\(minimum),\(maximum)}"
            }
        }
    }

    private mutating func writeCharacter(_ value: UInt32) {
        if CodePointSet.surrogates.contains(value) {
            // A lone surrogate escape: no Swift string holds one.
            writeSet(CodePointSet([]))
        } else if let scalar = Unicode.Scalar(value), scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
            output.unicodeScalars.append(scalar)
        } else {
            output += Self.hex(value)
        }
    }

    private mutating func writeSet(_ set: PatternSet) throws(Unsupported) {
        var points = CodePointSet([])
        // Scripts stay names for RE2's tables: `\p{Greek}` (or `\P{Greek}`) inside the brackets.
        var scripts: [String] = []
        for member in set.members {
            switch member {
            case .range(let lower, let upper):
                points = points.union(CodePointSet([lower...upper]))
            case .digit(let negated):
                points = points.union(negated ? ECMACharacterSets.digit.complement : ECMACharacterSets.digit)
            case .word(let negated):
                let word = flags.contains(.ignoreCase) ? ECMACharacterSets.wordIgnoringCase : ECMACharacterSets.word
                points = points.union(negated ? word.complement : word)
            case .space(let negated):
                points = points.union(negated ? ECMACharacterSets.whiteSpace.complement : ECMACharacterSets.whiteSpace)
            case .property(let property, let negated):
                if let members = CodePointSet(property: property) {
                    points = points.union(negated ? members.complement : members)
                } else if property.name == "Script" || property.name == "sc", let script = property.value {
                    scripts.append((negated ? "\\P{" : "\\p{") + script + "}")
                } else {
                    throw Unsupported(reason: "the Unicode property \(property.name)\(property.value.map { "=" + $0 } ?? "")")
                }
            }
        }
        guard set.negated || !scripts.isEmpty else {
            writeSet(points)
            return
        }
        // A negated class stays `[^…]` for RE2, which (like ECMA-262) closes the members under
        // case folding before complementing: `(?i:[^k])` matches neither k, K nor U+212A.
        let members = points.subtracting(.surrogates)
        if set.negated, members.isEmpty, scripts.isEmpty {
            writeSet(.all)
            return
        }
        output += set.negated ? "[^" : "["
        writeRanges(members)
        output += scripts.joined()
        output += "]"
    }

    /// `set` as one bracketed class, without surrogates; a class that matches nothing when empty.
    private mutating func writeSet(_ set: CodePointSet) {
        let points = set.subtracting(.surrogates)
        if points.isEmpty {
            output += "[^\\x{0}-\\x{10FFFF}]"
            return
        }
        output += "["
        writeRanges(points)
        output += "]"
    }

    /// Ranges of code points, none of them surrogates, as the inside of a bracketed class.
    private mutating func writeRanges(_ set: CodePointSet) {
        for range in set.ranges {
            output += Self.hex(range.lowerBound)
            if range.upperBound != range.lowerBound { output += "-" + Self.hex(range.upperBound) }
        }
    }

    private static func hex(_ value: UInt32) -> String {
        "\\x{" + String(value, radix: 16, uppercase: true) + "}"
    }
}
