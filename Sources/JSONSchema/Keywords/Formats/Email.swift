/// Mailbox syntax (RFC 5321 §4.1.2): `Local-part "@" ( Domain / address-literal )`. With
/// `international` it is RFC 6531's (`idn-email`): any non-ASCII character may appear in the
/// local part (UTF8-non-ascii) and the domain is an internationalized host name.
enum Email {
    /// RFC 5321 §4.5.3.1.1, in octets.
    private static let maximumLocalPartLength = 64

    /// Whether `text` is a mailbox address.
    static func isValid(_ text: String, international: Bool) -> Bool {
        var text = text
        return text.withUTF8 { isValid(utf8: $0, international: international) }
    }

    /// Whether the UTF-8 bytes `b` are a mailbox address. ASCII input is checked on the bytes;
    /// only an address with non-ASCII characters (valid only as `idn-email`) decodes scalars.
    static func isValid(utf8 b: UnsafeBufferPointer<UInt8>, international: Bool) -> Bool {
        guard let at = asciiLocalPartEnd(b) else {
            guard international, b.contains(where: { $0 >= 0x80 }) else { return false }
            return isValidInternational(Array(String(decoding: b, as: UTF8.self).unicodeScalars))
        }
        guard at <= maximumLocalPartLength else { return false }
        let domain = UnsafeBufferPointer(rebasing: b[(at + 1)...])
        if domain.count >= 2, domain[0] == UInt8(ascii: "["), domain[domain.count - 1] == UInt8(ascii: "]") {
            return isAddressLiteral(UnsafeBufferPointer(rebasing: domain[1..<(domain.count - 1)]))
        }
        // An ASCII name is an idn-hostname exactly when it is a hostname.
        return international && domain.contains(where: { $0 >= 0x80 })
            ? Hostname.isValidInternationalized(utf8: domain, String(decoding: domain, as: UTF8.self))
            : Hostname.isValid(utf8: domain)
    }

    /// The index of the `@` after an ASCII local part (dot-string or quoted-string), or nil if
    /// the bytes do not start with one.
    private static func asciiLocalPartEnd(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        if b.first == UInt8(ascii: "\"") {
            // Quoted-string: qtextSMTP (printable ASCII and space but `"` and `\`) or quoted pairs.
            i = 1
            while true {
                guard i < b.count else { return nil }
                let c = b[i]
                i += 1
                if c == UInt8(ascii: "\"") { break }
                guard c &- 0x20 < 0x5F else { return nil }
                if c == UInt8(ascii: "\\") {
                    guard i < b.count, b[i] &- 0x20 < 0x5F else { return nil }
                    i += 1
                }
            }
        } else {
            // Dot-string: atoms of atext separated by single dots.
            var previous = UInt8(ascii: ".")
            while i < b.count, b[i] != UInt8(ascii: "@") {
                let c = b[i]
                guard c == UInt8(ascii: ".") ? previous != UInt8(ascii: ".") : isAtext(c) else { return nil }
                previous = c
                i += 1
            }
            guard i > 0, previous != UInt8(ascii: ".") else { return nil }
        }
        guard i < b.count, b[i] == UInt8(ascii: "@") else { return nil }
        return i
    }

    /// `[IPv6:…]` or `[d.d.d.d]` (RFC 5321 §4.1.3), without the brackets.
    private static func isAddressLiteral(_ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        let prefix = "IPv6:".utf8
        if literal.count >= prefix.count, literal.prefix(prefix.count).elementsEqual(prefix) {
            return Format.isIPv6(UnsafeBufferPointer(rebasing: literal[prefix.count...]))
        }
        return Format.isIPv4(literal)
    }

    /// The scalar path, for addresses with non-ASCII characters (`idn-email` only).
    private static func isValidInternational(_ s: [Unicode.Scalar]) -> Bool {
        var i = 0
        if s.first == "\"" {
            i = 1
            while true {
                guard i < s.count else { return false }
                let c = s[i]
                i += 1
                if c == "\"" { break }
                if c == "\\" {
                    guard i < s.count, (0x20...0x7E).contains(s[i].value) else { return false }
                    i += 1
                } else {
                    guard (0x20...0x7E).contains(c.value) || !c.isASCII else { return false }
                }
            }
        } else {
            var previous: Unicode.Scalar = "."
            while i < s.count, s[i] != "@" {
                let c = s[i]
                guard c == "." ? previous != "." : (c.isASCII && isAtext(UInt8(c.value))) || !c.isASCII else { return false }
                previous = c
                i += 1
            }
            guard i > 0, previous != "." else { return false }
        }
        guard i < s.count, s[i] == "@",
            String(String.UnicodeScalarView(s[..<i])).utf8.count <= maximumLocalPartLength
        else { return false }
        let domain = String(String.UnicodeScalarView(s[(i + 1)...]))
        if domain.hasPrefix("["), domain.hasSuffix("]") {
            var literal = String(domain.dropFirst().dropLast())
            return literal.withUTF8(isAddressLiteral)
        }
        return Hostname.isValidInternationalized(domain)
    }

    /// RFC 5322 atext: ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~".
    private static func isAtext(_ c: UInt8) -> Bool { ASCIISet.atext.contains(c) }
}
