/// The Bidi rule for internationalized domain names (RFC 5893 §2).
enum BidiRule {
    /// Bidi_Class values the rule distinguishes (R and AL are treated alike by every rule).
    enum Class {
        case l, r, an, en, es, cs, et, on, bn, nsm
    }

    /// Whether a domain of `labels` (U-labels or lowercase LDH labels) satisfies the rule: when
    /// any label holds a right-to-left character (R, AL or AN), every label must.
    static func holds(forDomain labels: [[Unicode.Scalar]]) -> Bool {
        guard labels.contains(where: { $0.contains { !$0.isASCII } }) else { return true }  // ASCII has no R, AL or AN
        let classes = labels.map { $0.map(bidiClass) }
        guard classes.contains(where: { $0.contains { $0 == .r || $0 == .an } }) else { return true }
        return classes.allSatisfy(holds(forLabel:))
    }

    /// Rules 1–6 for one label.
    static func holds(forLabel classes: [Class]) -> Bool {
        guard let first = classes.first, let last = classes.last(where: { $0 != .nsm }) else { return false }
        switch first {
        case .r:  // rules 2–4
            let allowed: Set<Class> = [.r, .an, .en, .es, .cs, .et, .on, .bn, .nsm]
            return classes.allSatisfy(allowed.contains) && [.r, .en, .an].contains(last)
                && !(classes.contains(.en) && classes.contains(.an))
        case .l:  // rules 5–6
            let allowed: Set<Class> = [.l, .en, .es, .cs, .et, .on, .bn, .nsm]
            return classes.allSatisfy(allowed.contains) && (last == .l || last == .en)
        default:  // rule 1
            return false
        }
    }

    /// Bidi_Class of a code point that IDNA2008 can admit in a label (letters, marks, digits,
    /// the hyphen and the CONTEXTJ/CONTEXTO exceptions), from Unicode DerivedBidiClass.txt.
    /// Code points IDNA rejects are never asked about and come out as L.
    static func bidiClass(_ c: Unicode.Scalar) -> Class {
        switch c.value {
        case 0x30...0x39, 0x6F0...0x6F9: return .en
        case 0x2D: return .es
        case 0x660...0x669, 0x10D30...0x10D39: return .an
        case 0x200C, 0x200D: return .bn
        // MIDDLE DOT, KERAIA, KATAKANA MIDDLE DOT, and modifier letters of class ON.
        case 0xB7, 0x375, 0x30FB, 0x2B9...0x2BA, 0x2C6...0x2CF, 0x2EC, 0x2E2F, 0xA67F, 0xA717...0xA71F, 0xA788: return .on
        // Nonspacing marks of class L.
        case 0xCBF, 0xCC6, 0x11A07...0x11A08, 0x11C3F: return .l
        default: break
        }
        switch c.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return .nsm
        default: break
        }
        switch c.value {
        // Every letter and digit in these blocks is R or AL (Hebrew, Arabic, Syriac, Thaana,
        // N'Ko, Samaritan, Mandaic, their presentation forms, and the RTL SMP blocks).
        case 0x590...0x8FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF: return .r
        default: return .l
        }
    }
}
