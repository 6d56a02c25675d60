import JSONSchema

/// RFC 6901 JSON pointers as plain strings, and their use as URI fragments.
enum JSONPointer {
    /// `pointer` with one more reference token, escaped (`~` → `~0`, `/` → `~1`).
    static func appending(_ pointer: String, _ token: String) -> String {
        pointer + "/" + token.replacingTilde()
    }

    /// `pointer` with one more array index.
    static func appending(_ pointer: String, _ index: Int) -> String {
        pointer + "/" + String(index)
    }

    /// The unescaped reference tokens of `pointer`, or nil when it is not a pointer.
    static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
            String(token).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    /// The value `pointer` designates inside `root`.
    static func resolve(_ pointer: String, in root: JSONValue) -> JSONValue? {
        guard let tokens = tokens(pointer) else { return nil }
        var current = root
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let array):
                guard let index = Int(token), token == String(index), array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }

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
        return PercentDecoding.decode(Substring(reference.dropFirst()))
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
    fileprivate func replacingTilde() -> String {
        replacing("~", with: "~0").replacing("/", with: "~1")
    }

    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
