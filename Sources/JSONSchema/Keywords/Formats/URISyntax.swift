/// Generic syntax of URIs and URI references (RFC 3986 §3–4), and with `international` set, of
/// IRIs and IRI references (RFC 3987 §2.2: `ucschar` wherever unreserved characters may appear,
/// `iprivate` in the query). Syntax only: host names are not checked against DNS rules.
struct URISyntax {
    private let s: [Unicode.Scalar]
    private let international: Bool

    private init(_ text: String, international: Bool) {
        s = Array(text.unicodeScalars)
        self.international = international
    }

    /// Whether `text` is a URI (`requireScheme`) or URI reference; an IRI or IRI reference when
    /// `international`.
    static func isValid(_ text: String, requireScheme: Bool, international: Bool) -> Bool {
        URISyntax(text, international: international).parse(requireScheme: requireScheme)
    }

    private func parse(requireScheme: Bool) -> Bool {
        let hierarchyEnd = s.firstIndex { $0 == "?" || $0 == "#" } ?? s.count
        let fragmentStart = s.firstIndex(of: "#")
        let queryStart = s[..<(fragmentStart ?? s.count)].firstIndex(of: "?")
        var i = 0
        // A colon before any "/" starts a scheme; a relative reference may not have one there.
        if let colon = s[..<hierarchyEnd].firstIndex(where: { $0 == ":" || $0 == "/" }), s[colon] == ":" {
            guard isScheme(s[..<colon]) else { return false }
            i = colon + 1
        } else if requireScheme {
            return false
        }
        let pathStart: Int
        if hierarchyEnd - i >= 2, s[i] == "/", s[i + 1] == "/" {
            let authorityEnd = s[(i + 2)..<hierarchyEnd].firstIndex(of: "/") ?? hierarchyEnd
            guard isAuthority(s[(i + 2)..<authorityEnd]) else { return false }
            pathStart = authorityEnd
        } else {
            pathStart = i
        }
        guard s[pathStart..<hierarchyEnd].allSatisfy({ $0 == "/" || isPathCharacter($0) }),
            isPercentEncodingValid(pathStart..<s.count)
        else { return false }
        if let queryStart {
            let query = s[(queryStart + 1)..<(fragmentStart ?? s.count)]
            guard query.allSatisfy({ $0 == "/" || $0 == "?" || isPathCharacter($0) || (international && Self.isPrivate($0.value)) }) else { return false }
        }
        if let fragmentStart {
            guard s[(fragmentStart + 1)...].allSatisfy({ $0 == "/" || $0 == "?" || isPathCharacter($0) }) else { return false }
        }
        return true
    }

    /// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    private func isScheme(_ scheme: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = scheme.first, isAlpha(first) else { return false }
        return scheme.allSatisfy { isAlpha($0) || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// authority = [ userinfo "@" ] host [ ":" port ]
    private func isAuthority(_ authority: ArraySlice<Unicode.Scalar>) -> Bool {
        var host = authority
        if let at = authority.firstIndex(of: "@") {
            guard authority[..<at].allSatisfy({ $0 == ":" || isUnreservedOrSubDelimiter($0) }) else { return false }
            host = authority[(at + 1)...]
        }
        var port: ArraySlice<Unicode.Scalar> = []
        if host.first == "[" {
            guard let close = host.firstIndex(of: "]"), isIPLiteral(host[(host.startIndex + 1)..<close]) else { return false }
            let rest = host[(close + 1)...]
            guard rest.isEmpty || rest.first == ":" else { return false }
            port = rest.dropFirst()
        } else {
            if let colon = host.firstIndex(of: ":") {
                port = host[(colon + 1)...]
                host = host[..<colon]
            }
            guard host.allSatisfy(isUnreservedOrSubDelimiter) else { return false }
        }
        return port.allSatisfy { ("0"..."9").contains($0) } && isPercentEncodingValid(authority.indices)
    }

    /// IPv6address or IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
    private func isIPLiteral(_ literal: ArraySlice<Unicode.Scalar>) -> Bool {
        if literal.first == "v" || literal.first == "V" {
            guard let dot = literal.firstIndex(of: "."), dot > literal.startIndex + 1,
                literal[(literal.startIndex + 1)..<dot].allSatisfy(\.properties.isASCIIHexDigit), dot + 1 < literal.endIndex
            else { return false }
            return literal[(dot + 1)...].allSatisfy { $0 == ":" || ($0.isASCII && isUnreservedOrSubDelimiter($0) && $0 != "%") }
        }
        return Format.ipv6.accepts(String(String.UnicodeScalarView(literal)))
    }

    /// pchar = unreserved / pct-encoded / sub-delims / ":" / "@" (the `%` is checked separately).
    private func isPathCharacter(_ c: Unicode.Scalar) -> Bool {
        c == ":" || c == "@" || isUnreservedOrSubDelimiter(c)
    }

    /// unreserved / sub-delims / "%" (with `ucschar` for IRIs).
    private func isUnreservedOrSubDelimiter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "-", ".", "_", "~": return true
        case "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", "%": return true
        default: return international && Self.isUCSChar(c.value)
        }
    }

    /// RFC 3987 `ucschar`.
    static func isUCSChar(_ v: UInt32) -> Bool {
        switch v {
        case 0xA0...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFEF: return true
        case 0x10000...0xEFFFD: return v & 0xFFFF <= 0xFFFD && v < 0xE0000 || (0xE1000...0xEFFFD).contains(v)
        default: return false
        }
    }

    /// RFC 3987 `iprivate`.
    static func isPrivate(_ v: UInt32) -> Bool {
        (0xE000...0xF8FF).contains(v) || (0xF0000...0xFFFFD).contains(v) || (0x100000...0x10FFFD).contains(v)
    }

    private func isAlpha(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }

    /// Every `%` starts `%` HEXDIG HEXDIG.
    private func isPercentEncodingValid(_ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            if s[i] == "%" {
                guard i + 2 < range.upperBound, s[i + 1].properties.isASCIIHexDigit, s[i + 2].properties.isASCIIHexDigit else { return false }
                i += 3
            } else {
                i += 1
            }
        }
        return true
    }
}
