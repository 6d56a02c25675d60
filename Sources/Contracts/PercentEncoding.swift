/// Percent-encoding (RFC 3986 §2.1): decoding that refuses malformed escapes and non-UTF-8
/// results, and the two encodings Rabt forwards — literal path text and parameter values.
public enum PercentEncoding {
    /// The decoded text, or nil when an escape is malformed or the bytes are not UTF-8.
    public static func decode(_ text: Substring) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// A parameter value as Rabt forwards it: every byte but the unreserved ones
    /// (`A–Z a–z 0–9 - . _ ~`) and `,` escaped with upper-case hex, so the value reads back as
    /// exactly itself whatever the receiver treats as a delimiter. The comma stays as it is
    /// because Rabt reads it as the item separator of `simple` and `form` arrays (after decoding),
    /// so a receiver that splits before decoding must see the same items Rabt validated.
    public static func encodeValue(_ text: String) -> String {
        encode(text) { isUnreserved($0) || $0 == UInt8(ascii: ",") }
    }

    /// ``encodeValue(_:)`` that also escapes `delimiters`: the bytes of the literal text beside a
    /// value in its path segment (`{name}.{ext}`), so the value cannot be read back split
    /// elsewhere.
    static func encodeValue(_ text: String, escaping delimiters: Set<UInt8>) -> String {
        guard !delimiters.isEmpty else { return encodeValue(text) }
        return encode(text) { (isUnreserved($0) || $0 == UInt8(ascii: ",")) && !delimiters.contains($0) }
    }

    /// Literal path text of a contract's template as it appears on the wire: the characters a
    /// path segment may hold (RFC 3986 `pchar` without `%`) as they are, anything else escaped.
    static func encodeLiteral(_ text: String) -> String {
        encode(text) { isPathCharacter($0) && $0 != UInt8(ascii: "%") }
    }

    /// Whether `byte` is unreserved (RFC 3986 §2.3).
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Whether `byte` may appear as it is in a path segment: unreserved, sub-delims, `:`, `@`,
    /// or `%` opening an escape (RFC 3986 §3.3 `pchar`).
    static func isPathCharacter(_ byte: UInt8) -> Bool {
        if isUnreserved(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "%"):
            return true
        default:
            return false
        }
    }

    private static func encode(_ text: String, keeping keep: (UInt8) -> Bool) -> String {
        let utf8 = text.utf8
        guard !utf8.allSatisfy(keep) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if keep(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
