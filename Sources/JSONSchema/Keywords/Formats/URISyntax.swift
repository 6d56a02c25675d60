/// Generic syntax of URIs and URI references (RFC 3986 §3–4), and with `international` set, of
/// IRIs and IRI references (RFC 3987 §2.2: `ucschar` wherever unreserved characters may appear,
/// `iprivate` in the query). Syntax only: host names are not checked against DNS rules.
enum URISyntax {
    /// Whether `text` is a URI (`requireScheme`) or URI reference; an IRI or IRI reference when
    /// `international`.
    static func isValid(_ text: String, requireScheme: Bool, international: Bool) -> Bool {
        var text = text
        return text.withUTF8 { isValid(utf8: $0, requireScheme: requireScheme, international: international) }
    }

    /// `isValid` of the UTF-8 bytes `b`. ASCII text is parsed on the bytes; only an IRI with
    /// non-ASCII characters is decoded to scalars (a URI has none).
    static func isValid(utf8 b: UnsafeBufferPointer<UInt8>, requireScheme: Bool, international: Bool) -> Bool {
        guard b.contains(where: { $0 >= 0x80 }) else {
            return URIParser(s: b, international: international).parse(requireScheme: requireScheme)
        }
        guard international else { return false }
        let scalars = String(decoding: b, as: UTF8.self).unicodeScalars.map(\.value)
        return scalars.withUnsafeBufferPointer { URIParser(s: $0, international: true).parse(requireScheme: requireScheme) }
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
}

/// The parser behind `URISyntax`, over ASCII bytes or over scalar values.
private struct URIParser<Unit: FixedWidthInteger & UnsignedInteger> {
    let s: UnsafeBufferPointer<Unit>
    let international: Bool

    private static func ascii(_ c: Unicode.Scalar) -> Unit { Unit(truncatingIfNeeded: c.value) }

    func parse(requireScheme: Bool) -> Bool {
        let question = Self.ascii("?"), hash = Self.ascii("#"), slash = Self.ascii("/")
        let hierarchyEnd = s.firstIndex { $0 == question || $0 == hash } ?? s.count
        let fragmentStart = s.firstIndex(of: hash)
        let queryStart = s[..<(fragmentStart ?? s.count)].firstIndex(of: question)
        var i = 0
        // A colon before any "/" starts a scheme; a relative reference may not have one there.
        if let colon = s[..<hierarchyEnd].firstIndex(where: { $0 == Self.ascii(":") || $0 == slash }), s[colon] == Self.ascii(":") {
            guard isScheme(0..<colon) else { return false }
            i = colon + 1
        } else if requireScheme {
            return false
        }
        let pathStart: Int
        if hierarchyEnd - i >= 2, s[i] == slash, s[i + 1] == slash {
            let authorityEnd = s[(i + 2)..<hierarchyEnd].firstIndex(of: slash) ?? hierarchyEnd
            guard isAuthority((i + 2)..<authorityEnd) else { return false }
            pathStart = authorityEnd
        } else {
            pathStart = i
        }
        guard s[pathStart..<hierarchyEnd].allSatisfy({ $0 == slash || isPathCharacter($0) }),
            isPercentEncodingValid(pathStart..<s.count)
        else { return false }
        if let queryStart {
            let query = s[(queryStart + 1)..<(fragmentStart ?? s.count)]
            guard query.allSatisfy({ $0 == slash || $0 == question || isPathCharacter($0) || (international && URISyntax.isPrivate(UInt32($0))) })
            else { return false }
        }
        if let fragmentStart {
            guard s[(fragmentStart + 1)...].allSatisfy({ $0 == slash || $0 == question || isPathCharacter($0) }) else { return false }
        }
        return true
    }

    /// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    private func isScheme(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty, isAlpha(s[range.lowerBound]) else { return false }
        return s[range].allSatisfy { isAlpha($0) || isDigit($0) || $0 == Self.ascii("+") || $0 == Self.ascii("-") || $0 == Self.ascii(".") }
    }

    /// authority = [ userinfo "@" ] host [ ":" port ]
    private func isAuthority(_ authority: Range<Int>) -> Bool {
        var host = authority
        if let at = s[authority].firstIndex(of: Self.ascii("@")) {
            guard s[authority.lowerBound..<at].allSatisfy({ $0 == Self.ascii(":") || isUnreservedOrSubDelimiter($0) }) else { return false }
            host = (at + 1)..<authority.upperBound
        }
        var port = host.upperBound..<host.upperBound
        if host.first.map({ s[$0] }) == Self.ascii("[") {
            guard let close = s[host].firstIndex(of: Self.ascii("]")), isIPLiteral((host.lowerBound + 1)..<close) else { return false }
            let rest = (close + 1)..<host.upperBound
            guard rest.isEmpty || s[rest.lowerBound] == Self.ascii(":") else { return false }
            port = rest.dropFirst()
        } else {
            if let colon = s[host].firstIndex(of: Self.ascii(":")) {
                port = (colon + 1)..<host.upperBound
                host = host.lowerBound..<colon
            }
            guard s[host].allSatisfy(isUnreservedOrSubDelimiter) else { return false }
        }
        return s[port].allSatisfy(isDigit) && isPercentEncodingValid(authority)
    }

    /// IPv6address or IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
    private func isIPLiteral(_ literal: Range<Int>) -> Bool {
        if let first = literal.first, s[first] | 0x20 == Self.ascii("v") {
            guard let dot = s[literal].firstIndex(of: Self.ascii(".")), dot > first + 1,
                s[(first + 1)..<dot].allSatisfy(isHexDigit), dot + 1 < literal.upperBound
            else { return false }
            return s[(dot + 1)..<literal.upperBound].allSatisfy {
                $0 == Self.ascii(":") || ($0 < 0x80 && isUnreservedOrSubDelimiter($0) && $0 != Self.ascii("%"))
            }
        }
        guard s[literal].allSatisfy({ $0 < 0x80 }) else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: literal.count) { bytes in
            for (offset, c) in s[literal].enumerated() { bytes[offset] = UInt8(truncatingIfNeeded: c) }
            return Format.isIPv6(UnsafeBufferPointer(bytes))
        }
    }

    /// pchar = unreserved / pct-encoded / sub-delims / ":" / "@" (the `%` is checked separately).
    private func isPathCharacter(_ c: Unit) -> Bool {
        c == Self.ascii(":") || c == Self.ascii("@") || isUnreservedOrSubDelimiter(c)
    }

    /// unreserved / sub-delims / "%" (with `ucschar` for IRIs).
    private func isUnreservedOrSubDelimiter(_ c: Unit) -> Bool {
        guard c < 0x80 else { return international && URISyntax.isUCSChar(UInt32(c)) }
        switch UInt8(truncatingIfNeeded: c) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): return true
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "%"):
            return true
        default: return false
        }
    }

    private func isAlpha(_ c: Unit) -> Bool { (c | 0x20) &- Self.ascii("a") < 26 }
    private func isDigit(_ c: Unit) -> Bool { c &- Self.ascii("0") < 10 }
    private func isHexDigit(_ c: Unit) -> Bool { isDigit(c) || (c | 0x20) &- Self.ascii("a") < 6 }

    /// Every `%` starts `%` HEXDIG HEXDIG.
    private func isPercentEncodingValid(_ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            if s[i] == Self.ascii("%") {
                guard i + 2 < range.upperBound, isHexDigit(s[i + 1]), isHexDigit(s[i + 2]) else { return false }
                i += 3
            } else {
                i += 1
            }
        }
        return true
    }
}
