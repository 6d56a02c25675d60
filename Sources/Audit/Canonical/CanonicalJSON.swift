/// A JSON value restricted to what audit entries use, serialised per RFC 8785 (JCS).
///
/// Numbers are integers only: entries never carry floats, so the ECMAScript number formatting
/// JCS prescribes reduces to plain decimal digits within ±(2^53−1).
public indirect enum CanonicalJSON: Sendable, Hashable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer within ±(2^53−1).
    case integer(Int)
    /// A string.
    case string(String)
    /// An array, order kept.
    case array([CanonicalJSON])
    /// An object; members are sorted when written.
    case object([String: CanonicalJSON])

    /// The largest magnitude an integer may have: beyond it an IEEE 754 double (which JCS assumes) loses precision.
    public static let maxSafeInteger = (1 << 53) - 1

    /// The canonical UTF-8 bytes of the value.
    public func canonicalBytes() throws(AuditError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        try write(into: &output)
        return output
    }

    /// The canonical text of the value.
    public func canonicalString() throws(AuditError) -> String {
        String(decoding: try canonicalBytes(), as: UTF8.self)
    }

    private func write(into output: inout [UInt8]) throws(AuditError) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value):
            guard value.magnitude <= UInt(Self.maxSafeInteger) else {
                throw AuditError(code: .notCanonical, message: "integer outside ±(2^53−1)")
            }
            output.append(contentsOf: String(value).utf8)
        case .string(let value):
            Self.writeString(value, into: &output)
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try value.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // JCS orders members by the UTF-16 code units of their names, not by code points.
            let names = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, name) in names.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(name, into: &output)
                output.append(UInt8(ascii: ":"))
                try members[name]!.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// JCS string form: only `"`, `\` and C0 controls are escaped, short forms where JSON has them.
    private static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x00..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
