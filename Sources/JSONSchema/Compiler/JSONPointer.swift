/// RFC 6901 JSON pointers as plain strings.
public enum JSONPointer {
    /// Escapes one reference token (`~` → `~0`, `/` → `~1`).
    public static func escape(_ token: String) -> String {
        // By code point, as RFC 6901 defines tokens (a byte scan, not a walk over Characters).
        var bytes = token
        let special = bytes.withUTF8 { utf8 in utf8.contains { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") } }
        guard special else { return token }
        var escaped = ""
        for scalar in token.unicodeScalars {
            switch scalar {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `pointer` with one more reference token, escaped.
    public static func appending(_ pointer: String, _ token: String) -> String {
        pointer + "/" + escape(token)
    }

    /// `pointer` with one more array index.
    public static func appending(_ pointer: String, _ index: Int) -> String {
        pointer + "/" + String(index)
    }

    /// The pointer text for `tokens`.
    public static func text(_ tokens: [String]) -> String {
        var s = ""
        for token in tokens {
            s += "/"
            s += escape(token)
        }
        return s
    }

    /// The tokens of `pointer`, or nil when it is not a pointer ("" or starting with "/").
    public static func tokens(_ pointer: String) -> [String]? {
        // By code point: "/" before a combining mark (`/$defs/\u{301}x`) is one `Character`,
        // which `String`'s `split` and `hasPrefix` would not see as a separator.
        var scalars = pointer.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return [] }
        guard first == "/" else { return nil }
        var tokens: [String] = []
        var token = String.UnicodeScalarView()
        var tilde = false
        while let scalar = scalars.next() {
            if tilde {
                tilde = false
                if scalar == "0" || scalar == "1" {
                    token.append(scalar == "0" ? "~" : "/")
                    continue
                }
                token.append("~")
            }
            switch scalar {
            case "/":
                tokens.append(String(token))
                token = String.UnicodeScalarView()
            case "~": tilde = true
            default: token.append(scalar)
            }
        }
        if tilde { token.append("~") }
        tokens.append(String(token))
        return tokens
    }

    /// The value `pointer` designates inside `root`.
    public static func resolve(_ pointer: String, in root: JSONValue) -> JSONValue? {
        tokens(pointer).flatMap { resolve($0, in: root) }
    }

    /// The value at `tokens` below `root`, if it exists.
    public static func resolve(_ tokens: some Sequence<String>, in root: JSONValue) -> JSONValue? {
        var current = root
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let array):
                guard let i = Int(token), token == String(i), array.indices.contains(i) else { return nil }
                current = array[i]
            default:
                return nil
            }
        }
        return current
    }
}
