/// Syntax of a URI Template (RFC 6570 §2, level 4): literals and `{…}` expressions.
enum URITemplate {
    /// Whether `text` is a URI template.
    static func isValid(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        var i = 0
        while i < s.count {
            if s[i] == "{" {
                guard let end = expressionEnd(s, from: i + 1) else { return false }
                i = end + 1
            } else if s[i] == "%" {
                guard isPercentEncoded(s, at: i) else { return false }
                i += 3
            } else {
                guard isLiteral(s[i]) else { return false }
                i += 1
            }
        }
        return true
    }

    /// RFC 6570 `literals`: any character but controls, space, `"`, `<`, `>`, `\`, `^`, `` ` ``,
    /// `{`, `|`, `}` and a bare `%`. The apostrophe is accepted (RFC 6570 erratum 6937, which the
    /// JSON-Schema-Test-Suite follows).
    private static func isLiteral(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0...0x20, 0x7F: return false
        case 0x22, 0x25, 0x3C, 0x3E, 0x5C, 0x5E, 0x60, 0x7B, 0x7C, 0x7D: return false
        case 0x80...0x9F: return false
        case 0x21...0x7E: return true
        default: return URISyntax.isUCSChar(c.value) || URISyntax.isPrivate(c.value)
        }
    }

    private static func isVarchar(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_": return true
        default: return false
        }
    }

    private static func isPercentEncoded(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        i + 2 < s.count && s[i + 1].properties.isASCIIHexDigit && s[i + 2].properties.isASCIIHexDigit
    }

    /// Parses `[operator] varspec *("," varspec) "}"` starting after `{`; returns the index of `}`.
    /// The operators RFC 6570 reserves for future use (`=`, `,`, `!`, `@`, `|`) are rejected:
    /// §3 requires a processor to report an unrecognised operator as an error.
    private static func expressionEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var i = start
        if i < s.count, "+#./;?&".unicodeScalars.contains(s[i]) { i += 1 }
        while true {
            // varname = varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded
            var sawChar = false, afterDot = false
            while i < s.count {
                if s[i] == "%" {
                    guard isPercentEncoded(s, at: i) else { return nil }
                    i += 3
                } else if isVarchar(s[i]) {
                    i += 1
                } else if s[i] == ".", sawChar, !afterDot {
                    i += 1
                    afterDot = true
                    continue
                } else {
                    break
                }
                sawChar = true
                afterDot = false
            }
            guard sawChar, !afterDot, i < s.count else { return nil }
            if s[i] == "*" {
                i += 1
            } else if s[i] == ":" {
                // max-length = %x31-39 0*3DIGIT
                i += 1
                let digits = i
                while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
                guard (1...4).contains(i - digits), s[digits] != "0" else { return nil }
            }
            guard i < s.count else { return nil }
            if s[i] == "}" { return i }
            guard s[i] == "," else { return nil }
            i += 1
        }
    }
}
