import Foundation

/// Host names: `hostname` (RFC 1123 labels, where an `xn--` label must be an IDNA2008 A-label)
/// and `idn-hostname` (RFC 5890: U-labels, A-labels or LDH labels). ASCII letters compare
/// case-insensitively, as in DNS, so `XN--` and upper-case letters are accepted.
enum Hostname {
    private static let maximumLength = 253, maximumLabelLength = 63

    /// Whether `text` is an ASCII host name (`hostname`).
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        var labels: [[Unicode.Scalar]] = []
        for raw in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            let label = raw.map { Unicode.Scalar($0 | (($0 &- UInt8(ascii: "A")) < 26 ? 0x20 : 0)) }
            guard isLDH(label) else { return false }
            if hasACEPrefix(label) {
                guard let uLabel = uLabel(fromALabel: label) else { return false }
                labels.append(uLabel)
            } else {
                labels.append(label)
            }
        }
        return BidiRule.holds(forDomain: labels)
    }

    /// Whether `text` is an internationalized host name (`idn-hostname`). Labels are separated by
    /// `.` or its ideographic, fullwidth and halfwidth forms (RFC 3490 §3.1). A U-label is brought
    /// to NFC first, as a lookup application does (RFC 5891 §5.2); lengths count the A-label form.
    static func isValidInternationalized(_ text: String) -> Bool {
        // A label's A-label form is at least as long as its code points, so this bounds the work.
        guard text.unicodeScalars.count <= maximumLength else { return false }
        var labels: [[Unicode.Scalar]] = [[]]
        for c in text.unicodeScalars {
            switch c {
            case ".", "\u{3002}", "\u{FF0E}", "\u{FF61}": labels.append([])
            case "A"..."Z": labels[labels.count - 1].append(Unicode.Scalar(c.value | 0x20)!)
            default: labels[labels.count - 1].append(c)
            }
        }
        var length = labels.count - 1
        for index in labels.indices {
            let label = labels[index]
            if label.allSatisfy(\.isASCII) {
                guard isLDH(label) else { return false }
                if hasACEPrefix(label) {
                    guard let uLabel = uLabel(fromALabel: label) else { return false }
                    labels[index] = uLabel
                }
                length += label.count
            } else {
                let normalized = Array(String(String.UnicodeScalarView(label)).precomposedStringWithCanonicalMapping.unicodeScalars)
                guard normalized.count <= maximumLabelLength, IDNA.isValidULabel(normalized), let encoded = Punycode.encode(normalized),
                    encoded.count + 4 <= maximumLabelLength
                else { return false }
                labels[index] = normalized
                length += encoded.count + 4
            }
        }
        return length <= maximumLength && BidiRule.holds(forDomain: labels)
    }

    /// 1–63 letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123 §2.1).
    private static func isLDH(_ label: [Unicode.Scalar]) -> Bool {
        guard (1...maximumLabelLength).contains(label.count), label.first != "-", label.last != "-" else { return false }
        return label.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    private static func hasACEPrefix(_ label: [Unicode.Scalar]) -> Bool {
        label.count >= 4 && label[0] == "x" && label[1] == "n" && label[2] == "-" && label[3] == "-"
    }

    /// The U-label a lowercase `xn--` label stands for, if it is a valid A-label (RFC 5891
    /// §4.2.3, §5.4): decodable, canonical (it re-encodes to itself), not all ASCII, in NFC,
    /// and a valid U-label.
    private static func uLabel(fromALabel label: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        let encoded = label.dropFirst(4).map { UInt8($0.value) }
        guard let decoded = Punycode.decode(encoded), !decoded.allSatisfy(\.isASCII),
            Punycode.encode(decoded) == encoded, IDNA.isNFC(decoded), IDNA.isValidULabel(decoded)
        else { return nil }
        return decoded
    }
}
