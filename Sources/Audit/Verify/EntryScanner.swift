/// A single-pass check of one entry line that yields its sequence number without building values.
///
/// The verifier reads a million lines per run, and a full `JSONDecoder` decode of each would cost more
/// than hashing them, so this scanner validates the JSON grammar (strict UTF-8, integers only, nesting
/// at most `maximumDepth`), requires the top-level member names in strictly increasing order without
/// escapes (the canonical order, which also rules out duplicates), and checks the members an
/// `AuditEntry` decodes: `sequence` (a non-negative integer), `time` (RFC 3339 UTC ms), `kind`
/// (a string) and the types of the optional ones. Unknown members are accepted, as by
/// `AuditEntry(canonicalText:)`.
struct EntryScanner {
    /// What a top-level member must hold.
    private enum Expected {
        case string, integer, attempts, sequence, time, kind
    }

    /// Known member names in byte order, matched while walking the (sorted) names of a line.
    private static let members: [(name: StaticString, expected: Expected)] = [
        ("actor", .string), ("attempts", .attempts), ("consumer", .string), ("detail", .string),
        ("exchangeId", .string), ("kind", .kind), ("latencyMs", .integer), ("operation", .string),
        ("problemType", .string), ("provider", .string), ("requestDigest", .string),
        ("responseDigest", .string), ("sequence", .sequence), ("service", .string),
        ("serviceVersion", .integer), ("status", .integer), ("target", .string), ("time", .time),
    ]

    static let maximumDepth = 16

    struct Failure: Error {
        var message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The sequence number of a well-formed entry line, or a failure saying what is wrong.
    static func sequence(of line: UnsafeBufferPointer<UInt8>) -> Result<Int, Failure> {
        var scanner = EntryScanner(line)
        do {
            return .success(try scanner.entry())
        } catch {
            return .failure(error)
        }
    }

    private mutating func entry() throws(Failure) -> Int {
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        var sequence: Int?
        var sawTime = false
        var sawKind = false
        var previous: Range<Int>?
        var known = 0
        skipWhitespace()
        if peek() != UInt8(ascii: "}") {
            while true {
                skipWhitespace()
                let name = try plainName()
                if let previous, compare(previous, name) >= 0 {
                    throw Failure(message: "member names are not in strictly increasing canonical order")
                }
                previous = name
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                var order = 1
                while known < Self.members.count {
                    order = compare(Self.members[known].name, name)
                    guard order < 0 else { break }
                    known += 1
                }
                if order == 0 {
                    switch Self.members[known].expected {
                    case .string: try typed(string: true, "a string")
                    case .integer: try typed(string: false, "an integer")
                    case .attempts:
                        guard peek() == UInt8(ascii: "[") else { throw Failure(message: "`attempts` is not an array") }
                        try value(depth: 1)
                    case .sequence:
                        let value = try integer()
                        guard value >= 0 else { throw Failure(message: "`sequence` is negative") }
                        sequence = value
                    case .time:
                        let text = try string()
                        guard Timestamp.parseMilliseconds(utf8: UnsafeBufferPointer(rebasing: bytes[text])) != nil else {
                            throw Failure(message: "`time` is not an RFC 3339 UTC millisecond timestamp")
                        }
                        sawTime = true
                    case .kind:
                        _ = try string()
                        sawKind = true
                    }
                } else {
                    try value(depth: 1)
                }
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                break
            }
        }
        try expect(UInt8(ascii: "}"))
        skipWhitespace()
        guard index == bytes.count else { throw Failure(message: "text after the entry object") }
        guard let sequence else { throw Failure(message: "no `sequence`") }
        guard sawTime else { throw Failure(message: "no `time`") }
        guard sawKind else { throw Failure(message: "no `kind`") }
        return sequence
    }

    /// Three-way JCS comparison (UTF-16 code units) of two names' raw UTF-8 bytes.
    private func compare(_ a: Range<Int>, _ b: Range<Int>) -> Int {
        Self.compare(UnsafeBufferPointer(rebasing: bytes[a]), UnsafeBufferPointer(rebasing: bytes[b]))
    }

    private func compare(_ a: StaticString, _ b: Range<Int>) -> Int {
        Self.compare(UnsafeBufferPointer(start: a.utf8Start, count: a.utf8CodeUnitCount), UnsafeBufferPointer(rebasing: bytes[b]))
    }

    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let shared = min(a.count, b.count)
        var index = 0
        while index < shared, a[index] == b[index] {
            index += 1
        }
        guard index < shared else { return a.count - b.count }
        let (x, y) = (a[index], b[index])
        // UTF-8 byte order is code point order. UTF-16 order differs only between a supplementary
        // character (lead byte F0–F4, a surrogate pair) and U+E000–U+FFFF (lead byte EE or EF).
        if x >= 0xF0, y == 0xEE || y == 0xEF { return -1 }
        if y >= 0xF0, x == 0xEE || x == 0xEF { return 1 }
        return x < y ? -1 : 1
    }

    private mutating func typed(string: Bool, _ what: String) throws(Failure) {
        if string {
            guard peek() == UInt8(ascii: "\"") else { throw Failure(message: "a member that must be \(what) is not") }
            _ = try self.string()
        } else {
            _ = try integer()
        }
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    @inline(__always)
    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard index < bytes.count, bytes[index] == byte else { throw unexpected(byte) }
        index += 1
    }

    @inline(never)
    private func unexpected(_ byte: UInt8) -> Failure {
        Failure(message: "expected `\(Character(UnicodeScalar(byte)))` at byte \(index)")
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            index += 1
        }
    }

    /// A top-level member name: a string without escapes (canonical names never need them).
    private mutating func plainName() throws(Failure) -> Range<Int> {
        let range = try string()
        if bytes[range].contains(UInt8(ascii: "\\")) {
            throw Failure(message: "member name with an escape")
        }
        return range
    }

    /// A JSON string; returns the range of its raw contents between the quotes.
    private mutating func string() throws(Failure) -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let start = index
        while true {
            // Plain ASCII runs make up nearly all of an entry: skip them without the switch.
            while index < bytes.count {
                let byte = bytes[index]
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
                index += 1
            }
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return start..<(index - 1)
            case UInt8(ascii: "\\"):
                index += 1
                guard let escaped = peek() else { break }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    continue
                case UInt8(ascii: "u"):
                    for _ in 0..<4 {
                        guard let hex = peek(), hex.isHexDigit else { throw Failure(message: "bad \\u escape") }
                        index += 1
                    }
                default:
                    throw Failure(message: "bad escape")
                }
            case 0..<0x20:
                throw Failure(message: "control character in a string")
            case 0..<0x80:
                index += 1
            default:
                try utf8Scalar()
            }
        }
        throw Failure(message: "unterminated string")
    }

    /// One multi-byte UTF-8 scalar, rejecting overlong forms, surrogates and values above U+10FFFF.
    private mutating func utf8Scalar() throws(Failure) {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw Failure(message: "invalid UTF-8")
        }
        guard index + length <= bytes.count else { throw Failure(message: "invalid UTF-8") }
        let second = bytes[index + 1]
        guard second >= lower, second <= upper else { throw Failure(message: "invalid UTF-8") }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
            throw Failure(message: "invalid UTF-8")
        }
        index += length
    }

    /// A JSON integer within ±(2^53−1); fractions and exponents are refused (entries hold none).
    private mutating func integer() throws(Failure) -> Int {
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value = 0
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            guard index - start < 16 else { throw Failure(message: "integer outside ±(2^53−1)") }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            index += 1
        }
        guard index > start else { throw Failure(message: "expected an integer at byte \(start)") }
        guard bytes[start] != UInt8(ascii: "0") || index - start == 1 else { throw Failure(message: "integer with a leading zero") }
        guard value <= CanonicalJSON.maxSafeInteger else { throw Failure(message: "integer outside ±(2^53−1)") }
        if let next = peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw Failure(message: "a number that is not an integer")
        }
        return negative ? -value : value
    }

    /// Any JSON value, nested at most `maximumDepth` deep.
    private mutating func value(depth: Int) throws(Failure) {
        guard depth <= Self.maximumDepth else { throw Failure(message: "nested deeper than \(Self.maximumDepth)") }
        switch peek() {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "{"):
            index += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                _ = try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                try value(depth: depth + 1)
                skipWhitespace()
                guard peek() == UInt8(ascii: ",") else { break }
                index += 1
            }
            try expect(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try value(depth: depth + 1)
                skipWhitespace()
                guard peek() == UInt8(ascii: ",") else { break }
                index += 1
            }
            try expect(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            _ = try integer()
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        for byte in word.utf8 {
            guard peek() == byte else { throw Failure(message: "bad literal") }
            index += 1
        }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
