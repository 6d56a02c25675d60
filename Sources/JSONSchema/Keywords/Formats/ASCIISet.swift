/// A set of ASCII characters as a 128-bit mask: a membership test is a shift and a mask, with no
/// branch per character class. Non-ASCII bytes and code points are never members.
struct ASCIISet {
    /// Members below 64 and from 64 to 127.
    let low: UInt64, high: UInt64

    @inline(__always)
    func contains(_ c: some FixedWidthInteger & UnsignedInteger) -> Bool {
        if c < 64 { return low &>> UInt64(c) & 1 != 0 }
        return c < 128 && high &>> UInt64(c & 63) & 1 != 0
    }

    /// RFC 5322 atext: ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~".
    static var atext: ASCIISet { ASCIISet(low: 0xA3FF_ACFA_0000_0000, high: 0x7FFF_FFFF_C7FF_FFFE) }
    /// Letters, digits and hyphen (RFC 1123 host name labels).
    static var ldh: ASCIISet { ASCIISet(low: 0x03FF_2000_0000_0000, high: 0x07FF_FFFE_07FF_FFFE) }
    /// HEXDIG, either case.
    static var hexDigit: ASCIISet { ASCIISet(low: 0x03FF_0000_0000_0000, high: 0x0000_007E_0000_007E) }
    /// RFC 3986 unreserved and sub-delims, and `%` (checked separately as pct-encoded).
    static var unreservedOrSubDelimiter: ASCIISet { ASCIISet(low: 0x2BFF_7FF2_0000_0000, high: 0x47FF_FFFE_87FF_FFFE) }
    /// RFC 3986 scheme characters after the first: ALPHA / DIGIT / "+" / "-" / ".".
    static var scheme: ASCIISet { ASCIISet(low: 0x03FF_6800_0000_0000, high: 0x07FF_FFFE_07FF_FFFE) }
}
