/// Reads an ECMA-262 regular expression pattern in Unicode mode (the `u` flag, which JSON Schema
/// recommends), without Annex B's web-compatibility leniencies, so `\a`, a lone `{` or `]`, and
/// Perl/ICU/Python-only groups (`(?#…)`, `(?i)`, `(?P<n>…)`) are rejected. It checks syntax and the
/// early errors (back-references to existing groups, ordered class ranges and quantifier bounds,
/// group names repeated only across alternatives as ES2025 allows) and builds the `PatternTree`
/// that `pattern` is translated from; it does not match anything. ES2025 modifier groups
/// `(?i:…)`/`(?-s:…)` are accepted. The `regex` format is `isValid`.
struct ECMAPatternSyntax {
    /// One step of the path to a group: which alternative of which disjunction it sits in.
    private struct Branch: Comparable {
        var disjunction: Int
        var alternative: Int

        static func < (a: Branch, b: Branch) -> Bool {
            (a.disjunction, a.alternative) < (b.disjunction, b.alternative)
        }
    }

    /// Groups nest at most this deep; deeper patterns are rejected rather than risk the stack
    /// (the instance being checked may come from an untrusted request).
    private static let maximumNesting = 256

    private let s: [Unicode.Scalar]
    private var i = 0
    private var groupCount = 0
    private var disjunctionCount = 0
    private var path: [Branch] = []
    private var groupNames: [(name: String, path: [Branch])] = []
    private var largestBackreference = 0
    private var namedBackreferences: [String] = []

    private init(_ pattern: String) {
        s = Array(pattern.unicodeScalars)
    }

    /// Whether `pattern` is a syntactically valid ECMA-262 pattern (Unicode mode).
    static func isValid(_ pattern: String) -> Bool {
        parse(pattern) != nil
    }

    /// The tree of `pattern`, or nil when it is not a valid ECMA-262 pattern (Unicode mode).
    static func parse(_ pattern: String) -> PatternTree? {
        var parser = ECMAPatternSyntax(pattern)
        guard let tree = parser.disjunction(), parser.i == parser.s.count, parser.largestBackreference <= parser.groupCount
        else { return nil }
        let names = Set(parser.groupNames.map(\.name))
        guard parser.namedBackreferences.allSatisfy(names.contains) else { return nil }
        // ES2025: a name may repeat only in groups that can never both participate in a match,
        // i.e. whose paths fork at a common disjunction. In lexicographic order of paths, a
        // violating pair exists exactly when some neighbouring pair violates.
        for (_, paths) in Dictionary(grouping: parser.groupNames, by: \.name) where paths.count > 1 {
            let sorted = paths.map(\.path).sorted { $0.lexicographicallyPrecedes($1) }
            for (first, second) in zip(sorted, sorted.dropFirst()) {
                guard let fork = zip(first, second).first(where: { $0 != $1 }), fork.0.disjunction == fork.1.disjunction
                else { return nil }
            }
        }
        return tree
    }

    private var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

    private mutating func eat(_ c: Unicode.Scalar) -> Bool {
        guard peek == c else { return false }
        i += 1
        return true
    }

    private mutating func disjunction() -> PatternTree? {
        guard path.count < Self.maximumNesting else { return nil }
        path.append(Branch(disjunction: disjunctionCount, alternative: 0))
        disjunctionCount += 1
        defer { path.removeLast() }
        var alternatives: [PatternTree] = []
        while true {
            var terms: [PatternTree] = []
            while let c = peek, c != "|", c != ")" {
                guard let term = term() else { return nil }
                terms.append(term)
            }
            alternatives.append(terms.count == 1 ? terms[0] : terms.isEmpty ? .empty : .sequence(terms))
            guard eat("|") else { return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives) }
            path[path.count - 1].alternative += 1
        }
    }

    private mutating func term() -> PatternTree? {
        guard let c = peek else { return nil }
        i += 1
        let atom: PatternTree
        switch c {
        case "^": return .inputStart
        case "$": return .inputEnd
        case "\\":
            if eat("b") { return .wordBoundary(negated: false) }
            if eat("B") { return .wordBoundary(negated: true) }
            guard let escape = atomEscape() else { return nil }
            atom = escape
        case "(":
            if eat("?") {
                if eat("=") || eat("!") {
                    return lookaround(behind: false, negated: s[i - 1] == "!")
                } else if peek == "<", peek(1) == "=" || peek(1) == "!" {
                    i += 2
                    return lookaround(behind: true, negated: s[i - 1] == "!")
                } else if eat("<") {
                    guard let name = groupName() else { return nil }
                    groupNames.append((name, path))
                    groupCount += 1
                    guard let inner = disjunction(), eat(")") else { return nil }
                    atom = .group(inner)
                } else {
                    guard let (adding, removing) = modifiers(), let inner = disjunction(), eat(")") else { return nil }
                    atom = adding.isEmpty && removing.isEmpty ? .group(inner) : .modified(inner, adding: adding, removing: removing)
                }
            } else {
                groupCount += 1
                guard let inner = disjunction(), eat(")") else { return nil }
                atom = .group(inner)
            }
        case ".": atom = .anyCharacter
        case "[":
            guard let set = characterClass() else { return nil }
            atom = .set(set)
        case "*", "+", "?", "{", "}", "]", ")", "|": return nil
        default: atom = .character(c.value)
        }
        return quantifier(atom)
    }

    /// `(?=`, `(?!`, `(?<=` or `(?<!` already read: the body and `)`. Not quantifiable in Unicode mode.
    private mutating func lookaround(behind: Bool, negated: Bool) -> PatternTree? {
        guard let inner = disjunction(), eat(")") else { return nil }
        return .lookaround(inner, behind: behind, negated: negated)
    }

    /// `(?:`, or ES2025 modifiers `(?ims-ims:` with each flag at most once and not `(?-:`.
    private mutating func modifiers() -> (adding: PatternFlags, removing: PatternFlags)? {
        var adding: PatternFlags = [], removing: PatternFlags = []
        var afterMinus = false
        while let c = peek, c != ":" {
            i += 1
            if c == "-", !afterMinus {
                afterMinus = true
            } else if let flag = PatternFlags(letter: c), !adding.contains(flag), !removing.contains(flag) {
                if afterMinus { removing.insert(flag) } else { adding.insert(flag) }
            } else {
                return nil
            }
        }
        guard eat(":") else { return nil }
        return !afterMinus || !adding.isEmpty || !removing.isEmpty ? (adding, removing) : nil
    }

    /// The quantifier after `atom`, if any, applied to it.
    private mutating func quantifier(_ atom: PatternTree) -> PatternTree? {
        guard let c = peek else { return atom }
        let minimum: Double, maximum: Double?
        switch c {
        case "*": (minimum, maximum) = (0, nil)
        case "+": (minimum, maximum) = (1, nil)
        case "?": (minimum, maximum) = (0, 1)
        case "{":
            i += 1
            guard let low = decimal() else { return nil }
            minimum = low
            if eat(",") {
                maximum = decimal()
                if let maximum, maximum < low { return nil }
            } else {
                maximum = low
            }
            guard peek == "}" else { return nil }
        default: return atom
        }
        i += 1
        _ = eat("?")
        let bound = { (value: Double) in Int(min(value, Double(Int32.max))) }
        return .repetition(atom, minimum: bound(minimum), maximum: maximum.map(bound))
    }

    /// Digits as a number, saturating (bounds beyond 2^53 compare equal, which is harmless).
    private mutating func decimal() -> Double? {
        var value: Double?
        while let c = peek, ("0"..."9").contains(c) {
            value = (value ?? 0) * 10 + Double(c.value - 48)
            i += 1
        }
        return value
    }

    private mutating func atomEscape() -> PatternTree? {
        guard let c = peek else { return nil }
        switch c {
        case "1"..."9":
            let number = decimal() ?? 0
            largestBackreference = max(largestBackreference, number > 1e6 ? Int.max : Int(number))
            return .backreference
        case "k":
            i += 1
            guard eat("<"), let name = groupName() else { return nil }
            namedBackreferences.append(name)
            return .backreference
        default:
            if let member = classEscape() { return .set(PatternSet(members: [member])) }
            return characterEscape(inClass: false).map { .character($0) }
        }
    }

    /// `\d \D \s \S \w \W \p{…} \P{…}` (after the backslash); nil, reading nothing, for any other escape.
    private mutating func classEscape() -> PatternSet.Member? {
        guard let c = peek else { return nil }
        switch c {
        case "d", "D": i += 1; return .digit(negated: c == "D")
        case "s", "S": i += 1; return .space(negated: c == "S")
        case "w", "W": i += 1; return .word(negated: c == "W")
        case "p", "P":
            let mark = i
            i += 1
            guard let property = propertyExpression() else {
                i = mark
                return nil
            }
            return .property(property, negated: c == "P")
        default: return nil
        }
    }

    /// A `CharacterEscape` (after the backslash); returns the code point it denotes.
    private mutating func characterEscape(inClass: Bool) -> UInt32? {
        guard let c = peek else { return nil }
        i += 1
        switch c {
        case "f": return 0x0C
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "v": return 0x0B
        case "c":
            guard let letter = peek, ("a"..."z").contains(letter) || ("A"..."Z").contains(letter) else { return nil }
            i += 1
            return letter.value % 32
        case "0":
            if let next = peek, ("0"..."9").contains(next) { return nil }
            return 0
        case "x":
            return hex(count: 2)
        case "u":
            return unicodeEscape()
        case "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/":
            return c.value
        case "-" where inClass:
            return c.value
        default:
            return nil
        }
    }

    private mutating func hex(count: Int) -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let c = peek, let digit = c.properties.isASCIIHexDigit ? UInt32(String(c), radix: 16) : nil else { return nil }
            value = value * 16 + digit
            i += 1
        }
        return value
    }

    /// `u` already read: `XXXX` (a surrogate pair counts as one code point) or `{X…}` ≤ 10FFFF.
    private mutating func unicodeEscape() -> UInt32? {
        if eat("{") {
            var value: UInt32 = 0, digits = 0
            while let c = peek, c.properties.isASCIIHexDigit, let digit = UInt32(String(c), radix: 16) {
                value = value * 16 + digit
                digits += 1
                i += 1
                guard value <= 0x10FFFF else { return nil }
            }
            return digits > 0 && eat("}") ? value : nil
        }
        guard let lead = hex(count: 4) else { return nil }
        if (0xD800...0xDBFF).contains(lead), peek == "\\", peek(1) == "u" {
            let mark = i
            i += 2
            if let trail = hex(count: 4), (0xDC00...0xDFFF).contains(trail) {
                return 0x10000 + ((lead - 0xD800) << 10) + (trail - 0xDC00)
            }
            i = mark
        }
        return lead
    }

    /// `<` already read: a `RegExpIdentifierName` and `>`.
    private mutating func groupName() -> String? {
        var name = String.UnicodeScalarView()
        while true {
            guard var c = peek else { return nil }
            i += 1
            if c == ">" { break }
            if c == "\\" {
                guard eat("u"), let value = unicodeEscape(), let scalar = Unicode.Scalar(value) else { return nil }
                c = scalar
            }
            let ok = name.isEmpty
                ? c.properties.isIDStart || c == "$" || c == "_"
                : c.properties.isIDContinue || c == "$" || c == "\u{200C}" || c == "\u{200D}"
            guard ok else { return nil }
            name.append(c)
        }
        return name.isEmpty ? nil : String(name)
    }

    private enum ClassAtom {
        case character(UInt32)
        case set(PatternSet.Member)
    }

    /// `[` already read: class contents up to and including `]`. `[]` and `[^]` are valid.
    private mutating func characterClass() -> PatternSet? {
        var set = PatternSet(negated: eat("^"))
        while true {
            guard let c = peek else { return nil }
            if c == "]" {
                i += 1
                return set
            }
            guard let low = classAtom() else { return nil }
            if peek == "-", let next = peek(1), next != "]" {
                i += 1
                guard let high = classAtom(), case .character(let a) = low, case .character(let b) = high, a <= b else { return nil }
                set.members.append(.range(a, b))
            } else {
                switch low {
                case .character(let a): set.members.append(.range(a, a))
                case .set(let member): set.members.append(member)
                }
            }
        }
    }

    private mutating func classAtom() -> ClassAtom? {
        guard let c = peek else { return nil }
        i += 1
        guard c == "\\" else { return .character(c.value) }
        if eat("b") { return .character(0x08) }
        if let member = classEscape() { return .set(member) }
        return characterEscape(inClass: true).map { .character($0) }
    }

    /// `p`/`P` already read: `{Name}` or `{Name=Value}` as ECMA-262 tables 67–69 allow.
    private mutating func propertyExpression() -> UnicodeProperty? {
        guard eat("{") else { return nil }
        var name = "", value: String?
        while let c = peek, c != "}" {
            i += 1
            if c == "=", value == nil {
                value = ""
            } else if c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" {
                if value == nil { name.unicodeScalars.append(c) } else { value!.unicodeScalars.append(c) }
            } else {
                return nil
            }
        }
        guard eat("}"), !name.isEmpty else { return nil }
        let property = UnicodeProperty(name: name, value: value)
        guard let value else {
            let known = UnicodePropertyNames.generalCategories[name] != nil || UnicodePropertyNames.binary.contains(name)
            return known ? property : nil
        }
        switch name {
        case "General_Category", "gc": return UnicodePropertyNames.generalCategories[value] != nil ? property : nil
        // Script values are not tabulated here: any name is accepted.
        case "Script", "sc", "Script_Extensions", "scx": return value.isEmpty ? nil : property
        default: return nil
        }
    }
}
