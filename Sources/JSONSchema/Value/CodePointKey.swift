#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text that compares and hashes as a sequence of Unicode code points, as JSON compares strings
/// and JSON Schema compares member names.
///
/// Swift's `String ==` and `hash(into:)` use canonical equivalence: "\u{212A}ind" (KELVIN SIGN)
/// equals "Kind" and "\u{E9}" equals "e\u{301}". To JSON those are different names, so every set
/// or dictionary of member names (and of what is made of them: pointer tokens, schema locations,
/// `patternProperties` regex sources) is keyed by this type, and single comparisons use
/// `CodePointKey.equal`. The same code points are the same UTF-8 bytes, so both are byte
/// operations, cheaper than `String`'s.
struct CodePointKey: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: CodePointKey, rhs: CodePointKey) -> Bool {
        equal(lhs.text, rhs.text)
    }

    func hash(into hasher: inout Hasher) {
        Self.hash(text, into: &hasher)
    }

    /// Whether `a` and `b` are the same code points: the same representation, else the same byte
    /// count and bytes. Only the first test is inlined (as in `String ==`), which keeps the
    /// callers (the evaluator's hot loops) small enough for the optimizer to inline them.
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        sameRepresentation(a, b) || sameBytes(a, b)
    }

    @inline(never)
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        if count == 0 { return true }
        let same = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b in memcmp(a.baseAddress!, b.baseAddress!, count) == 0 }
        }
        // Only a bridged (non-native) string lacks contiguous UTF-8.
        return (same ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    /// Whether `a` and `b` are the same inline small string (up to 15 bytes, compared as two words)
    /// or share one buffer: then they are the same text, with no bytes to read. This is the test
    /// `String ==` (and `String._isIdentical(to:)`) makes first; most matches of member names
    /// (short, so parsed into small strings) end here.
    @inline(__always)
    private static func sameRepresentation(_ a: String, _ b: String) -> Bool {
        // A `String` is two words on 64-bit platforms (the only ones Rabt runs on); elsewhere skip.
        guard MemoryLayout<String>.size == 2 * MemoryLayout<UInt64>.size else { return false }
        let a = unsafeBitCast(a, to: (UInt64, UInt64).self), b = unsafeBitCast(b, to: (UInt64, UInt64).self)
        return a.0 == b.0 && a.1 == b.1
    }

    /// Feeds `text`'s byte count and UTF-8 bytes to `hasher` (consistent with `equal`).
    static func hash(_ text: String, into hasher: inout Hasher) {
        hasher.combine(text.utf8.count)
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil { Array(text.utf8).withUnsafeBytes { hasher.combine(bytes: $0) } }
    }
}
