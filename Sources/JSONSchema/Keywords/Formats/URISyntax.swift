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
        // Over bytes, `international: false` admits only ASCII, where URIs and IRIs agree.
        if URIParser(s: b, international: false).parse(requireScheme: requireScheme) { return true }
        guard international, b.contains(where: { $0 >= 0x80 }) else { return false }
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

/// The parser behind `URISyntax`, over ASCII bytes or over scalar values. Scans use plain index
/// loops over the buffer (no slices, whose subscripts are range-checked).
private struct URIParser<Unit: FixedWidthInteger & UnsignedInteger> {
    let s: UnsafeBufferPointer<Unit>
    let international: Bool

    private static func ascii(_ c: Unicode.Scalar) -> Unit { Unit(truncatingIfNeeded: c.value) }

    func parse(requireScheme: Bool) -> Bool {
        let question = Self.ascii("?"), hash = Self.ascii("#"), slash = Self.ascii("/")
        let end = s.count
        let fragmentStart = first(in: 0..<end) { $0 == hash }
        let queryStart = first(in: 0..<(fragmentStart ?? end)) { $0 == question }
        let hierarchyEnd = queryStart ?? fragmentStart ?? end
        var i = 0
        // A colon before any "/" starts a scheme; a relative reference may not have one there.
        if let colon = first(in: 0..<hierarchyEnd, where: { $0 == Self.ascii(":") || $0 == slash }), s[colon] == Self.ascii(":") {
            guard isScheme(0..<colon) else { return false }
            i = colon + 1
        } else if requireScheme {
            return false
        }
        let pathStart: Int
        if hierarchyEnd - i >= 2, s[i] == slash, s[i + 1] == slash {
            let authorityEnd = first(in: (i + 2)..<hierarchyEnd) { $0 == slash } ?? hierarchyEnd
            guard isAuthority((i + 2)..<authorityEnd) else { return false }
            pathStart = authorityEnd
        } else {
            pathStart = i
        }
        guard all(in: pathStart..<hierarchyEnd, { $0 == slash || isPathCharacter($0) }), isPercentEncodingValid(pathStart..<end) else { return false }
        if let queryStart {
            guard all(in: (queryStart + 1)..<(fragmentStart ?? end), {
                $0 == slash || $0 == question || isPathCharacter($0) || (international && URISyntax.isPrivate(UInt32($0)))
            })
            else { return false }
        }
        if let fragmentStart {
            guard all(in: (fragmentStart + 1)..<end, { $0 == slash || $0 == question || isPathCharacter($0) }) else { return false }
        }
        return true
    }

    /// The first index in `range` whose unit satisfies `predicate`.
    @inline(__always)
    private func first(in range: Range<Int>, where predicate: (Unit) -> Bool) -> Int? {
        var i = range.lowerBound
        while i < range.upperBound {
            if predicate(s[i]) { return i }
            i += 1
        }
        return nil
    }

    /// Whether every unit in `range` satisfies `predicate`.
    @inline(__always)
    private func all(in range: Range<Int>, _ predicate: (Unit) -> Bool) -> Bool {
        first(in: range) { !predicate($0) } == nil
    }

    /// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    private func isScheme(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty, isAlpha(s[range.lowerBound]) else { return false }
        return all(in: range) { ASCIISet.scheme.contains($0) }
    }

    /// authority = [ userinfo "@" ] host [ ":" port ]
    private func isAuthority(_ authority: Range<Int>) -> Bool {
        var host = authority
        if let at = first(in: authority, where: { $0 == Self.ascii("@") }) {
            guard all(in: authority.lowerBound..<at, { $0 == Self.ascii(":") || isUnreservedOrSubDelimiter($0) }) else { return false }
            host = (at + 1)..<authority.upperBound
        }
        var port = host.upperBound..<host.upperBound
        if !host.isEmpty, s[host.lowerBound] == Self.ascii("[") {
            guard let close = first(in: host, where: { $0 == Self.ascii("]") }), isIPLiteral((host.lowerBound + 1)..<close) else { return false }
            let rest = (close + 1)..<host.upperBound
            guard rest.isEmpty || s[rest.lowerBound] == Self.ascii(":") else { return false }
            port = rest.dropFirst()
        } else {
            if let colon = first(in: host, where: { $0 == Self.ascii(":") }) {
                port = (colon + 1)..<host.upperBound
                host = host.lowerBound..<colon
            }
            guard all(in: host, isUnreservedOrSubDelimiter) else { return false }
        }
        return all(in: port, isDigit) && isPercentEncodingValid(authority)
    }

    /// IPv6address or IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
    private func isIPLiteral(_ literal: Range<Int>) -> Bool {
        if let first = literal.first, s[first] | 0x20 == Self.ascii("v") {
            guard let dot = self.first(in: literal, where: { $0 == Self.ascii(".") }), dot > first + 1,
                all(in: (first + 1)..<dot, isHexDigit), dot + 1 < literal.upperBound
            else { return false }
            return all(in: (dot + 1)..<literal.upperBound) {
                $0 == Self.ascii(":") || ($0 < 0x80 && isUnreservedOrSubDelimiter($0) && $0 != Self.ascii("%"))
            }
        }
        guard all(in: literal, { $0 < 0x80 }) else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: literal.count) { bytes in
            for (offset, index) in literal.enumerated() { bytes[offset] = UInt8(truncatingIfNeeded: s[index]) }
            return Format.isIPv6(UnsafeBufferPointer(bytes))
        }
    }

    /// pchar = unreserved / pct-encoded / sub-delims / ":" / "@" (the `%` is checked separately).
    private func isPathCharacter(_ c: Unit) -> Bool {
        c == Self.ascii(":") || c == Self.ascii("@") || isUnreservedOrSubDelimiter(c)
    }

    /// unreserved / sub-delims / "%" (with `ucschar` for IRIs).
    private func isUnreservedOrSubDelimiter(_ c: Unit) -> Bool {
        c < 0x80 ? ASCIISet.unreservedOrSubDelimiter.contains(c) : international && URISyntax.isUCSChar(UInt32(c))
    }

    private func isAlpha(_ c: Unit) -> Bool { (c | 0x20) &- Self.ascii("a") < 26 }
    private func isDigit(_ c: Unit) -> Bool { c &- Self.ascii("0") < 10 }
    private func isHexDigit(_ c: Unit) -> Bool { ASCIISet.hexDigit.contains(c) }

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
