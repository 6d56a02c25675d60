/// An ECMA-262 pattern (Unicode mode) as `ECMAPatternSyntax` reads it: what the translation to
/// RE2 walks. Captures and laziness are not kept: a schema only asks whether a pattern matches.
indirect enum PatternTree: Sendable, Equatable {
    case empty
    case sequence([PatternTree])
    case alternation([PatternTree])
    /// One code point.
    case character(UInt32)
    /// `.`
    case anyCharacter
    /// A class `[…]`, or an escape such as `\d` or `\p{L}` outside one.
    case set(PatternSet)
    /// `^`
    case inputStart
    /// `$`
    case inputEnd
    /// `\b`, or `\B` when negated.
    case wordBoundary(negated: Bool)
    /// `(…)`, `(?<name>…)` or `(?:…)`.
    case group(PatternTree)
    /// An ES2025 modifier group `(?i:…)`, `(?-s:…)`.
    case modified(PatternTree, adding: PatternFlags, removing: PatternFlags)
    /// `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`.
    case lookaround(PatternTree, behind: Bool, negated: Bool)
    /// `\1` or `\k<name>`.
    case backreference
    /// A quantified atom; `maximum` nil is unbounded. Bounds beyond `Int32.max` are clamped.
    case repetition(PatternTree, minimum: Int, maximum: Int?)
}

/// The flags an ES2025 modifier group may turn on or off.
struct PatternFlags: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    static let ignoreCase = PatternFlags(rawValue: 1)
    static let multiline = PatternFlags(rawValue: 2)
    static let dotAll = PatternFlags(rawValue: 4)

    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The flag a modifier letter names (`i`, `m`, `s`).
    init?(letter: Unicode.Scalar) {
        switch letter {
        case "i": self = .ignoreCase
        case "m": self = .multiline
        case "s": self = .dotAll
        default: return nil
        }
    }
}

/// A character class: the union of its members, complemented when negated.
struct PatternSet: Sendable, Equatable {
    enum Member: Sendable, Equatable {
        /// Code points from `lower` to `upper`, both included (a single character is a range of one).
        case range(UInt32, UInt32)
        /// `\d`, or `\D` when negated.
        case digit(negated: Bool)
        /// `\w`, or `\W` when negated.
        case word(negated: Bool)
        /// `\s`, or `\S` when negated.
        case space(negated: Bool)
        /// `\p{…}`, or `\P{…}` when negated.
        case property(UnicodeProperty, negated: Bool)
    }

    var negated = false
    var members: [Member] = []
}

/// A Unicode property as `\p{…}` names it: `Name` alone (a general category or a binary
/// property) or `Name=Value` (General_Category, Script, Script_Extensions and their aliases).
struct UnicodeProperty: Sendable, Equatable {
    var name: String
    var value: String?
}
