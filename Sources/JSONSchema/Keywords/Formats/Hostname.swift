import Foundation

/// Host names: `hostname` (RFC 1123 labels, where an `xn--` label must be an IDNA2008 A-label)
/// and `idn-hostname` (RFC 5890: U-labels, A-labels or LDH labels). ASCII letters compare
/// case-insensitively, as in DNS, so `XN--` and upper-case letters are accepted.
enum Hostname {
    private static let maximumLength = 253, maximumLabelLength = 63

    /// Whether `text` is an ASCII host name (`hostname`).
    static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isValid(utf8:))
    }

    /// Whether the UTF-8 bytes `b` are an ASCII host name. LDH labels are checked on the bytes;
    /// only a name with an `xn--` label takes the IDNA path.
    static func isValid(utf8 b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let hasALabel = ldhLabels(b) else { return false }
        return !hasALabel || isValidWithALabels(b)
    }

    /// Whether `b` is 1–253 bytes of LDH labels (RFC 1123 §2.1): nil if not, else whether any
    /// label starts with the ACE prefix `xn--` (in any case).
    private static func ldhLabels(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard !b.isEmpty, b.count <= maximumLength else { return nil }
        var i = 0, hasALabel = false
        while true {
            let start = i
            while i < b.count, b[i] != UInt8(ascii: ".") {
                guard ASCIISet.ldh.contains(b[i]) else { return nil }
                i += 1
            }
            let length = i - start
            guard length >= 1, length <= maximumLabelLength, b[start] != UInt8(ascii: "-"), b[i - 1] != UInt8(ascii: "-") else { return nil }
            if length >= 4, b[start + 2] == UInt8(ascii: "-"), b[start + 3] == UInt8(ascii: "-"), b[start] | 0x20 == UInt8(ascii: "x"),
                b[start + 1] | 0x20 == UInt8(ascii: "n")
            {
                hasALabel = true
            }
            if i == b.count { return hasALabel }
            i += 1
        }
    }

    /// The IDNA path of `hostname`, for LDH names with an `xn--` label: every A-label must
    /// decode to a valid U-label, and the domain must satisfy the Bidi rule.
    private static func isValidWithALabels(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
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
        var utf8 = text
        return utf8.withUTF8 { isValidInternationalized(utf8: $0, text) }
    }

    /// `isValidInternationalized` of `text`, given its UTF-8 bytes `b`. An ASCII name is an
    /// idn-hostname exactly when it is a hostname (the other label separators are not ASCII).
    static func isValidInternationalized(utf8 b: UnsafeBufferPointer<UInt8>, _ text: String) -> Bool {
        if !b.contains(where: { $0 >= 0x80 }) { return isValid(utf8: b) }
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
