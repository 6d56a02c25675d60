/// Mailbox syntax (RFC 5321 §4.1.2): `Local-part "@" ( Domain / address-literal )`. With
/// `international` it is RFC 6531's (`idn-email`): any non-ASCII character may appear in the
/// local part (UTF8-non-ascii) and the domain is an internationalized host name.
enum Email {
    /// RFC 5321 §4.5.3.1.1, in octets.
    private static let maximumLocalPartLength = 64

    /// Whether `text` is a mailbox address.
    static func isValid(_ text: String, international: Bool) -> Bool {
        let s = Array(text.unicodeScalars)
        var i = 0
        if s.first == "\"" {
            // Quoted-string: qtextSMTP (printable ASCII and space but `"` and `\`) or quoted pairs.
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
                    guard (0x20...0x7E).contains(c.value) || (international && !c.isASCII) else { return false }
                }
            }
        } else {
            // Dot-string: atoms of atext separated by single dots.
            var previous: Unicode.Scalar = "."
            while i < s.count, s[i] != "@" {
                let c = s[i]
                guard c == "." ? previous != "." : isAtext(c) || (international && !c.isASCII) else { return false }
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
            let literal = domain.dropFirst().dropLast()
            return literal.hasPrefix("IPv6:") ? Format.ipv6.accepts(String(literal.dropFirst(5))) : Format.ipv4.accepts(String(literal))
        }
        return international ? Hostname.isValidInternationalized(domain) : Hostname.isValid(domain)
    }

    /// RFC 5322 atext: ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~".
    private static func isAtext(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(c)
        }
    }
}
