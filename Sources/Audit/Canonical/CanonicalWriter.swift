/// Writes RFC 8785 (JCS) pieces straight into a byte buffer, for callers that know their members
/// and write them in canonical order themselves (`AuditEntry.writeCanonical(into:)`).
///
/// Produces exactly the bytes `CanonicalJSON` produces for the same values; it only skips
/// building a value tree and sorting member names.
struct CanonicalWriter {
    /// The bytes written so far.
    var bytes: [UInt8]
    /// Whether the next member of the current object is its first (no comma before it).
    private var first = true

    /// Appends to `bytes`, keeping what it already holds.
    init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// Writes the comma that separates an array element from the previous one.
    mutating func element() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    /// Writes `"name":` (and the comma before it); `name` is a literal that needs no escaping.
    mutating func member(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        member(name)
        string(value)
    }

    mutating func member(_ name: StaticString, _ value: Int?) throws(AuditError) {
        guard let value else { return }
        member(name)
        try integer(value)
    }

    /// An integer in plain decimal; outside ±(2^53−1) it is `audit-not-canonical`, as in `CanonicalJSON`.
    mutating func integer(_ value: Int) throws(AuditError) {
        guard value.magnitude <= UInt(CanonicalJSON.maxSafeInteger) else {
            throw AuditError(code: .notCanonical, message: "integer outside ±(2^53−1)")
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }

    /// A JCS string: only `"`, `\` and C0 controls are escaped, short forms where JSON has them.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        // Native strings are contiguous UTF-8: copy runs that need no escaping in one go.
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                escape(byte)
                runStart = index + 1
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            Self.hexDigits.withUTF8Buffer { hex in
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
    }

    /// A `Timestamp.format(milliseconds:)` string, written without building the intermediate strings.
    mutating func timestamp(milliseconds: Int64) {
        guard let fields = Timestamp.fields(milliseconds: milliseconds), fields.year <= 9999 else {
            // Years outside 0000–9999 keep whatever shape `Timestamp.format` gives them.
            string(Timestamp.format(milliseconds: milliseconds))
            return
        }
        bytes.append(UInt8(ascii: "\""))
        digits(fields.year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(fields.month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(fields.day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(fields.hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(fields.minute, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(fields.second, 2)
        bytes.append(UInt8(ascii: "."))
        digits(fields.millisecond, 3)
        bytes.append(UInt8(ascii: "Z"))
        bytes.append(UInt8(ascii: "\""))
    }

    /// A non-negative value below 10^width as exactly `width` digits.
    private mutating func digits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
