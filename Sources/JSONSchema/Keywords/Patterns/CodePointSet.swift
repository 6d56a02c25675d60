/// A set of Unicode code points as sorted, disjoint, non-adjacent ranges.
struct CodePointSet: Sendable, Equatable {
    static let maximum: UInt32 = 0x10FFFF
    /// Every code point.
    static let all = CodePointSet([0...maximum])
    /// The surrogates, which no Swift string (valid UTF-8) holds.
    static let surrogates = CodePointSet([0xD800...0xDFFF])

    private(set) var ranges: [ClosedRange<UInt32>]

    /// The union of `ranges`, in any order, overlapping or not.
    init(_ ranges: [ClosedRange<UInt32>]) {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// The code points whose scalar satisfies `predicate` (surrogates are not scalars and never do).
    /// Reads all 1.1 million code points: for compiling patterns, not for matching.
    init(scalarsWhere predicate: (Unicode.Scalar) -> Bool) {
        var ranges: [ClosedRange<UInt32>] = []
        var start: UInt32?
        for value in UInt32(0)...Self.maximum {
            let member = Unicode.Scalar(value).map(predicate) ?? false
            if member, start == nil { start = value }
            if !member, let first = start {
                ranges.append(first...value - 1)
                start = nil
            }
        }
        if let first = start { ranges.append(first...Self.maximum) }
        self.ranges = ranges
    }

    var isEmpty: Bool { ranges.isEmpty }

    func union(_ other: CodePointSet) -> CodePointSet {
        CodePointSet(ranges + other.ranges)
    }

    /// Every code point not in the set.
    var complement: CodePointSet {
        var gaps: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { gaps.append(next...range.lowerBound - 1) }
            next = range.upperBound &+ 1
        }
        if next <= Self.maximum { gaps.append(next...Self.maximum) }
        var set = CodePointSet([])
        set.ranges = gaps
        return set
    }

    func subtracting(_ other: CodePointSet) -> CodePointSet {
        other.union(complement).complement
    }

    func contains(_ value: UInt32) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].contains(value)
    }
}

/// The sets ECMA-262 gives its class escapes and `.`; they differ from RE2's and ICU's own.
enum ECMACharacterSets {
    /// `\d`: ASCII digits only.
    static let digit = CodePointSet([0x30...0x39])
    /// `\w`: ASCII letters, digits and `_` only.
    static let word = CodePointSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// `\w` under the `i` flag in Unicode mode also holds the characters that case-fold into it:
    /// U+017F LATIN SMALL LETTER LONG S and U+212A KELVIN SIGN.
    static let wordIgnoringCase = word.union(CodePointSet([0x17F...0x17F, 0x212A...0x212A]))
    /// `\s`: WhiteSpace (TAB, VT, FF, U+FEFF and every Space_Separator) and LineTerminator.
    static let whiteSpace = CodePointSet([
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
    /// LineTerminator, which `.` does not match without the `s` flag.
    static let lineTerminators = CodePointSet([0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029])
}
