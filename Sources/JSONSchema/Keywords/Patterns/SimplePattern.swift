/// A matcher for the regular expressions contracts mostly use: sequences of literals, `.`,
/// character classes and escapes with greedy quantifiers, optionally anchored (`^[0-9]{10}$`).
/// It runs on UTF-8 bytes without allocating, with ECMA-262 semantics (code points, ASCII `\d`
/// and `\w`, `$` only at the very end). Anything richer (groups, alternation, lookaround,
/// lazy quantifiers, `\p{…}`) returns nil from `init` and is left to RE2 (`Pattern`).
struct SimplePattern: Sendable {
    /// A set of code points as sorted ranges, possibly negated.
    struct CharacterSet: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        var negated = false

        @inline(__always)
        func contains(_ scalar: UInt32) -> Bool {
            var found = false
            for range in ranges where range.contains(scalar) {
                found = true
                break
            }
            return found != negated
        }
    }

    struct Atom: Sendable {
        var set: CharacterSet
        var min: Int
        var max: Int
        /// Membership of the code points below 128, as bits (filled by `prepareASCII`).
        var asciiLow: UInt64 = 0
        var asciiHigh: UInt64 = 0

        mutating func prepareASCII() {
            for c in UInt32(0)..<128 where set.contains(c) {
                if c < 64 { asciiLow |= 1 << UInt64(c) } else { asciiHigh |= 1 << UInt64(c - 64) }
            }
        }

        @inline(__always)
        func contains(_ scalar: UInt32) -> Bool {
            if scalar < 64 { return asciiLow & (1 << UInt64(scalar)) != 0 }
            if scalar < 128 { return asciiHigh & (1 << UInt64(scalar - 64)) != 0 }
            return set.contains(scalar)
        }
    }

    private(set) var atoms: [Atom] = []
    private(set) var anchoredStart = false
    private(set) var anchoredEnd = false

    private static let digit = ECMACharacterSets.digit.ranges
    private static let word = ECMACharacterSets.word.ranges
    private static let space = ECMACharacterSets.whiteSpace.ranges
    private static let lineTerminators = ECMACharacterSets.lineTerminators.ranges

    init?(_ source: String) {
        var chars = Array(source.unicodeScalars.map(\.value))[...]
        if chars.first == 94 {  // ^
            anchoredStart = true
            chars.removeFirst()
        }
        while let c = chars.first {
            if c == 36, chars.count == 1 {  // $ at the end
                anchoredEnd = true
                chars.removeFirst()
                break
            }
            chars.removeFirst()
            var set = CharacterSet()
            switch c {
            case 46: set = CharacterSet(ranges: Self.lineTerminators, negated: true)  // .
            case 91:  // [
                guard let parsed = Self.parseClass(&chars) else { return nil }
                set = parsed
            case 92:  // backslash
                guard let escaped = chars.popFirst(), let parsed = Self.escape(escaped, inClass: false) else { return nil }
                set = parsed
            case 40, 41, 123, 125, 42, 43, 63, 94, 36, 124, 93: return nil  // ( ) { } * + ? ^ $ | ]
            default: set = CharacterSet(ranges: [c...c])
            }
            var atom = Atom(set: set, min: 1, max: 1)
            if let q = chars.first {
                switch q {
                case 63: atom.min = 0; chars.removeFirst()  // ?
                case 42: atom.min = 0; atom.max = .max; chars.removeFirst()  // *
                case 43: atom.max = .max; chars.removeFirst()  // +
                case 123:  // {
                    guard let (lo, hi) = Self.parseBraces(&chars) else { return nil }
                    atom.min = lo
                    atom.max = hi
                default: break
                }
                if chars.first == 63 || chars.first == 123 || chars.first == 42 || chars.first == 43 { return nil }  // lazy or stacked
            }
            atoms.append(atom)
        }
        for i in atoms.indices { atoms[i].prepareASCII() }
    }

    private static func escape(_ c: UInt32, inClass: Bool) -> CharacterSet? {
        switch c {
        case 100: return CharacterSet(ranges: digit)  // d
        case 68: return CharacterSet(ranges: digit, negated: true)  // D
        case 119: return CharacterSet(ranges: word)  // w
        case 87: return CharacterSet(ranges: word, negated: true)  // W
        case 115: return CharacterSet(ranges: space)  // s
        case 83: return CharacterSet(ranges: space, negated: true)  // S
        case 116: return CharacterSet(ranges: [9...9])  // t
        case 110: return CharacterSet(ranges: [10...10])  // n
        case 114: return CharacterSet(ranges: [13...13])  // r
        default:
            // Escaped syntax characters stand for themselves; other escapes (\b, \u, \p, \1…) are not handled here.
            let syntax: Set<UInt32> = [94, 36, 92, 46, 42, 43, 63, 40, 41, 91, 93, 123, 125, 124, 47, 45]
            return syntax.contains(c) ? CharacterSet(ranges: [c...c]) : nil
        }
    }

    private static func parseClass(_ chars: inout ArraySlice<UInt32>) -> CharacterSet? {
        var set = CharacterSet()
        if chars.first == 94 {
            set.negated = true
            chars.removeFirst()
        }
        while let c = chars.popFirst() {
            // `]` closes the class even first: in ECMA-262 `[]` matches nothing and `[^]` anything.
            if c == 93 { return set }
            var low: UInt32
            if c == 92 {
                guard let e = chars.popFirst(), let escaped = escape(e, inClass: true) else { return nil }
                if escaped.negated || escaped.ranges.count != 1 || escaped.ranges[0].count != 1 {
                    guard !escaped.negated else { return nil }
                    set.ranges += escaped.ranges
                    continue
                }
                low = escaped.ranges[0].lowerBound
            } else if c == 91 {
                return nil  // nested or POSIX classes: leave to RE2
            } else {
                low = c
            }
            if chars.first == 45, chars.count >= 2, chars[chars.startIndex + 1] != 93 {  // a-z
                chars.removeFirst()
                var high = chars.removeFirst()
                if high == 92 {
                    guard let e = chars.popFirst(), let escaped = escape(e, inClass: true), !escaped.negated,
                        escaped.ranges.count == 1, escaped.ranges[0].count == 1
                    else { return nil }
                    high = escaped.ranges[0].lowerBound
                }
                guard low <= high else { return nil }
                set.ranges.append(low...high)
            } else {
                set.ranges.append(low...low)
            }
        }
        return nil
    }

    private static func parseBraces(_ chars: inout ArraySlice<UInt32>) -> (Int, Int)? {
        guard let close = chars.firstIndex(of: 125) else { return nil }
        let body = String(String.UnicodeScalarView(chars[chars.index(after: chars.startIndex)..<close].compactMap(Unicode.Scalar.init)))
        chars = chars[chars.index(after: close)...]
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        guard let lo = Int(parts[0]), lo <= 100_000 else { return nil }
        if parts.count == 1 { return (lo, lo) }
        guard parts.count == 2 else { return nil }
        if parts[1].isEmpty { return (lo, .max) }
        guard let hi = Int(parts[1]), hi >= lo else { return nil }
        return (lo, hi)
    }

    /// Whether the pattern matches somewhere in `text` (ECMA-262 `RegExp.prototype.test`).
    ///
    /// Backtracking answers typical inputs without allocating; when it exceeds a step budget
    /// linear in the input (overlapping quantifiers on hostile input), a dynamic-programming
    /// pass answers in O(atoms × length) instead.
    func matches(_ text: String) -> Bool {
        var text = text
        let outcome: Bool? = text.withUTF8 { bytes in
            atoms.withUnsafeBufferPointer { atoms in
                var budget = 1_000 + 8 * bytes.count
                if anchoredStart { return match(atoms, 0, bytes, 0, &budget) }
                var start = 0
                while true {
                    guard let found = match(atoms, 0, bytes, start, &budget) else { return nil }
                    if found { return true }
                    guard start < bytes.count else { return false }
                    start = Self.decode(bytes, start).next
                }
            }
        }
        return outcome ?? matchesByTable(text)
    }

    /// nil when the step budget ran out.
    private func match(_ atoms: UnsafeBufferPointer<Atom>, _ atomIndex: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ position: Int,
                       _ budget: inout Int) -> Bool? {
        budget -= 1
        guard budget > 0 else { return nil }
        guard atomIndex < atoms.count else { return !anchoredEnd || position == bytes.count }
        let atom = atoms.baseAddress! + atomIndex
        var p = position
        var count = 0
        let maximum = atom.pointee.max, low = atom.pointee.asciiLow, high = atom.pointee.asciiHigh
        while count < maximum, p < bytes.count {
            let byte = bytes[p]
            if byte < 0x80 {
                // ASCII (most contract text): one bit test, no decoding.
                guard (byte < 64 ? low >> UInt64(byte) : high >> UInt64(byte &- 64)) & 1 != 0 else { break }
                p += 1
            } else {
                let (scalar, next) = Self.decode(bytes, p)
                guard atom.pointee.contains(scalar) else { break }
                p = next
            }
            count += 1
        }
        budget -= count
        while count >= atom.pointee.min {
            guard let found = match(atoms, atomIndex + 1, bytes, p, &budget) else { return nil }
            if found { return true }
            guard count > atom.pointee.min else { return false }
            repeat { p -= 1 } while p > position && bytes[p] & 0xC0 == 0x80
            count -= 1
        }
        return false
    }

    /// `ok[k][p]`: atoms k... match from code point p. Computed right to left per atom with run
    /// lengths and prefix sums, so each row costs O(length).
    func matchesByTable(_ text: String) -> Bool {
        let scalars = text.unicodeScalars.map(\.value)
        let n = scalars.count
        var next = [Bool](repeating: !anchoredEnd, count: n + 1)
        next[n] = true
        var run = [Int](repeating: 0, count: n + 1)
        var prefix = [Int](repeating: 0, count: n + 2)
        for atom in atoms.reversed() {
            for p in stride(from: n - 1, through: 0, by: -1) { run[p] = atom.set.contains(scalars[p]) ? run[p + 1] + 1 : 0 }
            for q in 0...n { prefix[q + 1] = prefix[q] + (next[q] ? 1 : 0) }
            var current = [Bool](repeating: false, count: n + 1)
            for p in 0...n {
                let low = p + atom.min
                let high = p + min(atom.max, run[p])
                current[p] = low <= high && prefix[high + 1] - prefix[low] > 0
            }
            next = current
        }
        return anchoredStart ? next[0] : next.contains(true)
    }

    @inline(__always)
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (scalar: UInt32, next: Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, i + 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), i + 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), i + 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                    | UInt32(bytes[i + 3] & 0x3F), i + 4)
    }
}
