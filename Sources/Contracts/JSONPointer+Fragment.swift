import JSONSchema

/// JSON pointers used as URI fragments.
extension JSONPointer {
    /// `pointer` written as a URI fragment: characters a fragment may not hold are percent-encoded.
    static func fragment(_ pointer: String) -> String {
        var out = ""
        for byte in pointer.utf8 {
            if isFragmentSafe(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// The JSON pointer written in a local reference such as `#/components/schemas/Name`.
    static func fromFragmentReference(_ reference: String) -> String? {
        guard reference.hasPrefix("#") else { return nil }
        return PercentEncoding.decode(Substring(reference.dropFirst()))
    }

    // RFC 3986 fragment = *( pchar / "/" / "?" ), pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
    private static func isFragmentSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~!$&'()*+,;=:@/?".utf8.contains(byte)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
